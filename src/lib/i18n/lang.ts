/** The languages, their cookie and the fallback: shared by both translators, free of i18next. */
export const LANGUAGES = ['vi', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];
export const LANG_COOKIE = 'lang';

/** Picks a supported language from a cookie value, defaulting to Vietnamese. */
export function parseLang(value: string | null | undefined): Lang {
	return value === 'en' ? 'en' : 'vi';
}

/** Makes `lang` the page's language now and on later visits (the cookie the server reads). */
export function rememberLanguage(lang: Lang): void {
	document.documentElement.lang = lang;
	document.cookie = `${LANG_COOKIE}=${lang}; path=/; max-age=31536000; samesite=lax`;
}
