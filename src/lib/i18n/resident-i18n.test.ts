import { describe, expect, it } from 'vitest';
import { en } from './en';
import { ResidentI18n, interpolate } from './resident-i18n.svelte';
import { residentEn } from './resident-en';
import { residentVi } from './resident-vi';
import { vi } from './vi';

describe('the residents’ translator', () => {
	it('translates into the current language and interpolates like i18next', () => {
		const i18n = new ResidentI18n('vi');
		expect(i18n.t('form.send')).toBe('Gửi báo cáo');
		expect(i18n.t('form.located', { m: 12 })).toBe('Đã có vị trí (sai số khoảng 12 m)');
		i18n.lang = 'en';
		expect(i18n.t('form.located', { m: 12 })).toBe('Location found (to about 12 m)');
	});

	it('leaves an unknown placeholder visible rather than blank', () => {
		expect(interpolate('{{a}} and {{ b }}', { a: 1 })).toBe('1 and {{ b }}');
	});

	it('has every key in both languages, none empty, and shares them with the planners’ dictionaries', () => {
		expect(Object.keys(residentEn).sort()).toEqual(Object.keys(residentVi).sort());
		for (const text of [...Object.values(residentVi), ...Object.values(residentEn)]) expect(text.trim()).not.toBe('');
		for (const [key, text] of Object.entries(residentVi)) expect(vi[key as keyof typeof vi]).toBe(text);
		for (const [key, text] of Object.entries(residentEn)) expect(en[key as keyof typeof en]).toBe(text);
	});

	it('formats numbers per language', () => {
		expect(new ResidentI18n('vi').n(1.25, 1)).toBe('1,3');
		expect(new ResidentI18n('en').n(12345)).toBe('12,345');
	});
});
