import { describe, expect, it } from 'vitest';
import { simplifyToleranceDeg } from './simplify';

describe('simplifyToleranceDeg', () => {
	it.each([
		[0, 0.703125],
		[8, 0.00274658203125],
		[14, 360 / 256 / 2 ** 14 / 2]
	])('zoom %d → %f°', (zoom, expected) => expect(simplifyToleranceDeg(zoom)).toBeCloseTo(expected, 12));

	it('halves with each zoom level', () => {
		expect(simplifyToleranceDeg(10) / simplifyToleranceDeg(11)).toBe(2);
	});

	it('refuses a zoom outside 0…24', () => {
		expect(() => simplifyToleranceDeg(-1)).toThrow(/zoom must be within/);
	});
});
