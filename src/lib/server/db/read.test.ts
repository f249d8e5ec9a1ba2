import { describe, expect, it } from 'vitest';
import { isLsn, parseLsn } from './read';

describe('LSNs', () => {
	it('compare as WAL positions, the high half first', () => {
		expect(parseLsn('0/16B3748')).toBe(0x16b3748n);
		expect(parseLsn('1/0')).toBe(1n << 32n);
		expect(parseLsn('1/0') > parseLsn('0/FFFFFFFF')).toBe(true);
		expect(parseLsn('A/1') > parseLsn('9/FFFFFFFF')).toBe(true);
	});

	it('refuses what a client could put in a cookie instead', () => {
		for (const bad of ['', '0', '0/', '/1', '0/1; drop', 'G/1', '123456789/1', '0/1/2']) {
			expect(isLsn(bad)).toBe(false);
			expect(() => parseLsn(bad)).toThrow(/not an LSN/);
		}
		expect(isLsn('16/B374D848')).toBe(true);
	});
});
