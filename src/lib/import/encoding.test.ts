import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { detectEncoding } from './encoding';

const bytes = (...b: number[]) => new Uint8Array(b);

describe('detectEncoding', () => {
	it.each([
		['UTF-8 BOM', bytes(0xef, 0xbb, 0xbf, 0x61), { encoding: 'utf-8', bomLength: 3 }],
		['UTF-16 LE BOM', bytes(0xff, 0xfe, 0x61, 0), { encoding: 'utf-16le', bomLength: 2 }],
		['UTF-16 BE BOM', bytes(0xfe, 0xff, 0, 0x61), { encoding: 'utf-16be', bomLength: 2 }],
		['plain ASCII', new TextEncoder().encode('a,b\n1,2\n'), { encoding: 'utf-8', bomLength: 0 }],
		['UTF-8 Vietnamese', new TextEncoder().encode('Đàm Thuỷ,Phục Hòa'), { encoding: 'utf-8', bomLength: 0 }],
		['Windows-1252 French', iconv.encode('café,crème brûlée,naïve', 'windows-1252'), { encoding: 'windows-1252', bomLength: 0 }],
		// Đ (0xD0), combining grave (0xCC), combining hook (0xD2): only Windows-1258 writes these.
		['Windows-1258 Vietnamese', bytes(0xd0, 0x61, 0xcc, 0x6d, 0x20, 0x54, 0x68, 0x75, 0x79, 0xd2), { encoding: 'windows-1258', bomLength: 0 }]
	])('%s', (_name, sample, expected) => {
		expect(detectEncoding(sample)).toEqual(expected);
	});

	it('accepts UTF-8 whose last character is cut by the sample boundary', () => {
		const full = new TextEncoder().encode('a,Đàm');
		expect(detectEncoding(full.subarray(0, full.length - 1)).encoding).toBe('utf-8');
	});

	it('refuses UTF-16 without a BOM, saying so', () => {
		expect(() => detectEncoding(iconv.encode('lat,lon,rsrp,operator\n22.6,106.2,-90,Viettel\n', 'utf-16le'))).toThrow(/UTF-16 without a byte-order mark/);
	});
});
