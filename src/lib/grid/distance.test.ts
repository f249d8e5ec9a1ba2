import { distance } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { approxDistanceKm, offsetPosition } from './distance';

describe('approxDistanceKm', () => {
	it.each([
		[[106.25, 22.66], [106.26, 22.67]],
		[[106.25, 22.66], [106.65, 22.84]],
		[[106.9, 10.95], [106.6, 11.7]]
	] as [number, number][][])('agrees with turf haversine within 0.2 %% (%j → %j)', (a, b) => {
		const expected = distance(a, b, { units: 'kilometers' });
		expect(Math.abs(approxDistanceKm(a, b) - expected) / expected).toBeLessThan(0.002);
	});

	it('is zero for the same point', () => {
		expect(approxDistanceKm([106, 22], [106, 22])).toBe(0);
	});
});

describe('offsetPosition', () => {
	it('moves by the requested metres', () => {
		const from: [number, number] = [106.25, 22.66];
		const to = offsetPosition(from, 300, 400);
		expect(approxDistanceKm(from, to)).toBeCloseTo(0.5, 3);
	});
});
