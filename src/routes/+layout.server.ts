import { LANG_COOKIE, parseLang } from '$lib/i18n/lang';

export function load({ cookies, locals }) {
	return { lang: parseLang(cookies.get(LANG_COOKIE)), user: locals.user };
}
