import { describe, expect, it } from 'vitest';
import { csvField, rowsToCsv } from './csv';

describe('csv', () => {
	it.each([
		['plain', 'plain'],
		['a,b', '"a,b"'],
		['say "hi"', '"say ""hi"""'],
		['two\nlines', '"two\nlines"'],
		['cr\r', '"cr\r"'],
		[null, ''],
		[undefined, ''],
		[12.5, '12.5'],
		[false, 'false']
	])('%j → %j', (value, expected) => expect(csvField(value)).toBe(expected));

	it('writes a BOM, the header and CRLF rows', () => {
		expect(rowsToCsv([{ a: 'Đàm Thuỷ', b: 1 }, { a: 'x,y', b: null }], ['a', 'b'])).toBe('\uFEFFa,b\r\nĐàm Thuỷ,1\r\n"x,y",\r\n');
	});
});
