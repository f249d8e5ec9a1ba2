import { describe, expect, it } from 'vitest';
import { normaliseTrackingCode, TRACKING_ALPHABET, trackingCodeFrom } from './tracking-code';

describe('tracking codes', () => {
	it('use no look-alike characters', () => {
		for (const ch of '01OIlLU') expect(TRACKING_ALPHABET).not.toContain(ch.toUpperCase() === ch ? ch : ch.toUpperCase());
		expect(new Set(TRACKING_ALPHABET).size).toBe(30);
	});

	it('are two groups of four from the alphabet, spread evenly over it', () => {
		const seen = new Map<string, number>();
		for (let i = 0; i < 2000; i++) {
			const bytes = new Uint8Array(16).map((_, j) => (i * 31 + j * 7) % 240);
			const code = trackingCodeFrom(bytes);
			expect(code).toMatch(/^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
			for (const ch of code.replace('-', '')) seen.set(ch, (seen.get(ch) ?? 0) + 1);
		}
		expect(seen.size).toBe(30);
	});

	it('skip bytes that would bias the alphabet, and need enough of them', () => {
		const bytes = new Uint8Array([250, 251, 0, 1, 2, 3, 4, 5, 6, 7]);
		expect(trackingCodeFrom(bytes)).toBe('2345-6789');
		expect(() => trackingCodeFrom(new Uint8Array([250, 251, 252, 253, 254, 255, 0, 1, 2]))).toThrow(/random bytes/);
	});

	it('are read back in any case, with or without the dash', () => {
		expect(normaliseTrackingCode('7kq4m2xd')).toBe('7KQ4-M2XD');
		expect(normaliseTrackingCode(' 7KQ4 - M2XD ')).toBe('7KQ4-M2XD');
		expect(normaliseTrackingCode('7KQ0-M2XD')).toBeNull();
		expect(normaliseTrackingCode('7KQ4-M2X')).toBeNull();
		expect(normaliseTrackingCode('../../etc')).toBeNull();
	});
});
