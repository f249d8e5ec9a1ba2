import type { Lang } from '../i18n/i18n.svelte';
import { en } from '../i18n/en';
import { errorKind } from '../i18n/error-kind';
import { vi, type MessageKey } from '../i18n/vi';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A complete, styled HTML error page in `lang`, for answers made before SvelteKit renders a page
 * (an access refusal in the hook, a database outage). Pages SvelteKit renders itself use
 * `+error.svelte` with the same messages. No script: it must work when everything else fails.
 */
export function renderErrorPage(status: number, lang: Lang, { signedIn }: { signedIn: boolean }): string {
	const messages: Record<MessageKey, string> = lang === 'en' ? en : vi;
	const t = (key: MessageKey, status?: number) => escapeHtml(messages[key].replace('{{status}}', String(status ?? '')));
	const kind = errorKind(status);
	const other = lang === 'en' ? 'vi' : 'en';
	return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t(`error.title.${kind}`)} — Phủ Sóng</title>
<style>
body{margin:0;font-family:system-ui,'Noto Sans','DejaVu Sans',sans-serif;color:#1c2730}
header{display:flex;align-items:center;gap:1rem;padding:.6rem 1.2rem;border-bottom:1px solid #d5dde2}
header a{color:#0b5d7a}
.brand{font-weight:700;text-decoration:none;font-size:1.15rem;margin-right:auto}
main{max-width:40rem;margin:0 auto;padding:2rem 1.2rem}
.status{color:#55636e;font-size:.9rem}
.actions{display:flex;gap:1rem;flex-wrap:wrap;margin-top:1.5rem}
.actions a{padding:.5rem .9rem;border-radius:5px;border:1px solid #0b5d7a;color:#0b5d7a;text-decoration:none}
.actions a.primary{background:#0b5d7a;color:#fff}
</style>
</head>
<body>
<header><a class="brand" href="/">Phủ Sóng</a><a href="?lang=${other}" hreflang="${other}">${other === 'en' ? 'English' : 'Tiếng Việt'}</a></header>
<main>
<p class="status">${t('error.status', status)}</p>
<h1>${t(`error.title.${kind}`)}</h1>
<p>${t(`error.body.${kind}`)}</p>
<p class="actions"><a class="primary" href="/">${t('error.back')}</a>${kind === 403 ? `<a href="/login">${t(signedIn ? 'error.signInOther' : 'nav.login')}</a>` : ''}</p>
</main>
</body>
</html>`;
}
