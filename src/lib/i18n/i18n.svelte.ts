import i18next, { type TOptions } from 'i18next';
import { getContext, setContext } from 'svelte';
import { en } from './en';
import { vi, type MessageKey } from './vi';
import { LANG_COOKIE, LANGUAGES, parseLang, type Lang } from './lang';

export { LANG_COOKIE, LANGUAGES, parseLang, type Lang };

// One shared, synchronously initialised i18next instance: resources are bundled, nothing is fetched.
const translator = i18next.createInstance();
translator.init({
	resources: { vi: { translation: vi }, en: { translation: en } },
	lng: 'vi',
	fallbackLng: 'vi',
	keySeparator: false,
	nsSeparator: false,
	interpolation: { escapeValue: false }, // Svelte escapes what it renders
	initAsync: false
});

/** Per-page translation state: a reactive language and a `t` that re-runs when it changes. */
export class I18n {
	lang = $state<Lang>('vi');

	constructor(lang: Lang) {
		this.lang = lang;
	}

	t = (key: MessageKey, values?: TOptions): string => translator.t(key, { lng: this.lang, ...values });

	/** Formats a number in the current language's convention (1.234 vs 1,234). */
	n = (value: number): string => value.toLocaleString(this.lang === 'vi' ? 'vi-VN' : 'en-GB');
}

const KEY = Symbol('i18n');

/** Creates the page's i18n state and puts it in context (call from the root layout). */
export function provideI18n(lang: Lang): I18n {
	return setContext(KEY, new I18n(lang));
}

/** The i18n state provided by the root layout. */
export function useI18n(): I18n {
	const i18n = getContext<I18n | undefined>(KEY);
	if (!i18n) throw new Error('useI18n() needs provideI18n() in a parent layout');
	return i18n;
}
