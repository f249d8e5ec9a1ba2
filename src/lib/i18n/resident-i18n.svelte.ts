import { getContext, setContext } from 'svelte';
import { residentEn } from './resident-en';
import { residentVi, type ResidentKey } from './resident-vi';
import { rememberLanguage, type Lang } from './lang';

/**
 * The residents' pages' translator: the same `{{name}}` messages as i18next reads, without
 * i18next and the planners' dictionaries (40 kB compressed), so the report form loads over 2G.
 */
const DICTIONARIES: Record<Lang, Record<ResidentKey, string>> = { vi: residentVi, en: residentEn };

/** Replaces each `{{name}}` with its value; an unknown name stays as written, so a gap shows. */
export function interpolate(text: string, values: Record<string, unknown> = {}): string {
	return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

export class ResidentI18n {
	lang = $state<Lang>('vi');

	constructor(lang: Lang) {
		this.lang = lang;
	}

	t = (key: ResidentKey, values?: Record<string, unknown>): string => interpolate(DICTIONARIES[this.lang][key] ?? residentVi[key], values);

	/** Formats a number in the current language's convention (1.234 vs 1,234). */
	n = (value: number, digits = 0): string =>
		value.toLocaleString(this.lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });

	/** Switches language in place and remembers it for the next visit (the planners' cookie). */
	switchLanguage = () => {
		this.lang = this.lang === 'vi' ? 'en' : 'vi';
		rememberLanguage(this.lang);
	};
}

const KEY = Symbol('resident-i18n');

export function provideResidentI18n(lang: Lang): ResidentI18n {
	return setContext(KEY, new ResidentI18n(lang));
}

export function useResidentI18n(): ResidentI18n {
	const i18n = getContext<ResidentI18n | undefined>(KEY);
	if (!i18n) throw new Error('useResidentI18n() needs provideResidentI18n() in a parent layout');
	return i18n;
}
