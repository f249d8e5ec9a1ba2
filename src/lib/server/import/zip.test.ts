import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { makeZipBomb } from '../../../../tests/helpers/zip-bomb';
import { unzipBounded, ZipTooLargeError } from './zip';

const limits = { maxTotalBytes: 8 * 2 ** 20, maxRatio: 100, ratioFloorBytes: 2 ** 20 };
const all = () => true;

describe('unzipBounded', () => {
	it('reads the wanted entries of an ordinary zip and lists every name', () => {
		const zip = zipSync({ 'a.kml': new TextEncoder().encode('<kml/>'), 'b.txt': new Uint8Array([1, 2, 3]) });
		const { entries, names } = unzipBounded(zip, (n) => n.endsWith('.kml'), limits);
		expect(names).toEqual(['a.kml', 'b.txt']);
		expect(Object.keys(entries)).toEqual(['a.kml']);
		expect(new TextDecoder().decode(entries['a.kml'])).toBe('<kml/>');
	});

	it('refuses an entry whose declared size passes the limit, before inflating', () => {
		const bomb = makeZipBomb(9 * 2 ** 20);
		expect(() => unzipBounded(bomb, all, limits)).toThrow(ZipTooLargeError);
		expect(() => unzipBounded(bomb, all, limits)).toThrow(/declares 9 MB.*limit for an unpacked feature file is 8 MB/);
	});

	it('refuses a lying archive by the bytes it actually produces', () => {
		const liar = makeZipBomb(9 * 2 ** 20, { declaredBytes: 1000 });
		expect(() => unzipBounded(liar, all, { ...limits, maxRatio: 10_000 })).toThrow(/unpacks to more than 8 MB \(stopped in doc\.kml\)/);
	});

	it('refuses an extreme ratio even under the total limit', () => {
		const bomb = makeZipBomb(6 * 2 ** 20);
		expect(bomb.length).toBeLessThan(6 * 2 ** 20 / 100);
		expect(() => unzipBounded(bomb, all, limits)).toThrow(/more than 100 times its packed size.*ratio of 100:1/);
	});

	it('never inflates entries that are not wanted', () => {
		const bomb = makeZipBomb(64 * 2 ** 20, { name: 'junk.bin' });
		expect(unzipBounded(bomb, (n) => n.endsWith('.kml'), limits).entries).toEqual({});
	});

	it('names a broken zip as such', () => {
		const zip = zipSync({ 'a.kml': new Uint8Array(5000).fill(65) });
		expect(() => unzipBounded(zip.subarray(0, zip.length - 40), all, limits)).toThrow(/^not a readable zip: /);
	});
});
