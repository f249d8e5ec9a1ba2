import { describe, expect, it } from 'vitest';
import { en } from './en';
import { errorKind } from './error-kind';
import { I18n, parseLang } from './i18n.svelte';
import { vi } from './vi';
import { SETTING_DEFINITIONS } from '../settings/definitions';

describe('i18n', () => {
	it('translates into the current language and interpolates', () => {
		const i18n = new I18n('vi');
		expect(i18n.t('layers.towers')).toBe('Trạm phát sóng');
		expect(i18n.t('search.noResults', { query: 'xyz' })).toBe('Không tìm thấy “xyz”');
		i18n.lang = 'en';
		expect(i18n.t('layers.towers')).toBe('Towers');
	});

	it('has every key in both languages, none empty', () => {
		expect(Object.keys(en).sort()).toEqual(Object.keys(vi).sort());
		for (const text of [...Object.values(vi), ...Object.values(en)]) expect(text.trim()).not.toBe('');
	});

	it('names every settings group the settings page shows (first part of a setting key)', () => {
		for (const group of new Set(SETTING_DEFINITIONS.map((d) => d.key.split('.')[0]))) {
			expect(Object.keys(en)).toContain(`settings.group.${group}`);
			expect(Object.keys(vi)).toContain(`settings.group.${group}`);
		}
	});

	it('formats numbers per language', () => {
		expect(new I18n('vi').n(12345)).toBe('12.345');
		expect(new I18n('en').n(12345)).toBe('12,345');
	});

	it.each([
		['en', 'en'],
		['vi', 'vi'],
		['fr', 'vi'],
		[undefined, 'vi']
	] as const)('parseLang(%s) → %s', (input, lang) => expect(parseLang(input)).toBe(lang));
});

describe('errorKind', () => {
	it.each([
		[403, 403],
		[404, 404],
		[400, 404],
		[410, 404],
		[500, 500],
		[502, 500],
		[503, 503]
	])('%i reads as %i', (status, kind) => expect(errorKind(status)).toBe(kind));
});
