import { describe, expect, it } from 'vitest';
import { checkPosition } from './bounds';
import { operatorFromName } from './operators';
import { technologyFromName } from './technology';
import { parseNumberCell, parseTimestampCell } from './values';

describe('parseNumberCell', () => {
	it.each([
		['-95', {}, { value: -95 }],
		[' 12.5 ', {}, { value: 12.5 }],
		['', {}, { value: null }],
		['-', {}, { value: null }],
		['NaN', {}, { value: null }],
		['1e3', {}, { value: 1000 }],
		['-95,5', {}, { error: expect.stringMatching(/decimal comma/) }],
		['-95,5', { decimalComma: true }, { value: -95.5 }],
		['12abc', {}, { error: 'is not a number' }],
		['0x10', {}, { error: 'is not a number' }]
	])('%j %j → %j', (raw, options, expected) => expect(parseNumberCell(raw, options)).toEqual(expected));
});

describe('parseTimestampCell', () => {
	it.each([
		['2019.12.16_07.22.43', '2019-12-16T00:22:43.000Z'],
		['2026-10-01T07:00:00+07:00', '2026-10-01T00:00:00.000Z'],
		['2026-10-01T07:00:00Z', '2026-10-01T07:00:00.000Z'],
		['2026-10-01 07:00', '2026-10-01T00:00:00.000Z'],
		['1662768000', '2022-09-10T00:00:00.000Z'],
		['1662768000123', '2022-09-10T00:00:00.123Z']
	])('%s → %s', (raw, iso) => {
		const parsed = parseTimestampCell(raw);
		expect('value' in parsed && parsed.value.toISOString()).toBe(iso);
	});

	it.each(['yesterday', '2026-13-45 07:00', '16/12/2019'])('refuses %s', (raw) => {
		expect(parseTimestampCell(raw)).toHaveProperty('error');
	});
});

describe('checkPosition', () => {
	it.each([
		[106.2574, 22.6657, 'ok'],
		[103.96, 10.22, 'ok'], // Phú Quốc
		[22.6657, 106.2574, 'swapped'],
		[13.4, 52.5, 'outside'],
		[0, 0, 'outside']
	] as const)('%f, %f → %s', (lng, lat, expected) => expect(checkPosition(lng, lat)).toBe(expected));
});

describe('operator and technology names', () => {
	it.each([
		['Viettel', 'viettel'],
		['VinaPhone', 'vnpt'],
		['VNPT-VinaPhone', 'vnpt'],
		['MOBIFONE', 'mobifone'],
		['Vietnamobile', 'vietnamobile'],
		['452-04', 'viettel'],
		['Nokia', null]
	])('operator %s → %s', (name, code) => expect(operatorFromName(name)).toBe(code));

	it.each([
		['GSM', '2G'],
		['EDGE', '2G'],
		['HSPA+', '3G'],
		['UMTS', '3G'],
		['LTE', '4G'],
		['LTE-A', '4G'],
		['5G', '5G'],
		['NR_NSA', '5G'],
		['WiMAX', null]
	])('technology %s → %s', (name, tech) => expect(technologyFromName(name)).toBe(tech));
});
