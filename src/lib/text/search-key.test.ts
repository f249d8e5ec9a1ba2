import { describe, expect, it } from 'vitest';
import { toSearchKey } from './search-key';

describe('toSearchKey', () => {
	it.each([
		['Đàm Thuỷ', 'dam thuy'],
		['Đàm Thủy', 'dam thuy'], // the other tone-mark placement folds to the same key
		['Phục Hòa', 'phuc hoa'],
		['Phục Hoà', 'phuc hoa'],
		['  Xã   Quảng  Uyên ', 'xa quang uyen'],
		['Nùng Trí Cao', 'nung tri cao'],
		['PHƯỜNG THỤC PHÁN', 'phuong thuc phan'],
		['Tân-Giang', 'tan giang'],
		['', '']
	])('%j → %j', (input, expected) => {
		expect(toSearchKey(input)).toBe(expected);
	});

	it('treats decomposed (NFD) input like composed input', () => {
		expect(toSearchKey('Đàm Thuỷ'.normalize('NFD'))).toBe(toSearchKey('Đàm Thuỷ'.normalize('NFC')));
	});
});
