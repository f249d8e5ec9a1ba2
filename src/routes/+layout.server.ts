import { LANG_COOKIE, parseLang } from '$lib/i18n/i18n.svelte';

export function load({ cookies }) {
	return { lang: parseLang(cookies.get(LANG_COOKIE)) };
}
