import { LANG_COOKIE, parseLang } from '$lib/i18n/i18n.svelte';

export function load({ cookies, locals }) {
	return { lang: parseLang(cookies.get(LANG_COOKIE)), user: locals.user };
}
