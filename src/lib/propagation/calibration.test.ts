import { latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { calibrate, errorStats, fitCorrection, isHeldBack, MIN_FIT_CELLS, type CalibrationPoint } from './calibration';

/** A seeded generator (mulberry32) and normal deviates (Box–Muller). */
function rng(seed: number) {
	let a = seed;
	const u = () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return { u, normal: () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u()) };
}

/** Cells around Cao Bằng whose "truth" is the prediction with a known bias and slope, plus 6 dB noise. */
function biased(n: number, offset: number, slope: number, group = 'viettel|4G|rural', seed = 7): CalibrationPoint[] {
	const r = rng(seed);
	return Array.from({ length: n }, (_, i) => {
		const distanceKm = 0.5 + 15 * r.u();
		const predictedDbm = -70 - 30 * Math.log10(distanceKm) + 3 * r.normal();
		const cell = latLngToCell(22.6 + (i % 100) * 0.003, 106.2 + Math.floor(i / 100) * 0.003, 9);
		return { cell, group, distanceKm, predictedDbm, measuredDbm: predictedDbm + offset + slope * Math.log10(distanceKm) + 6 * r.normal() };
	});
}

describe('calibration', () => {
	it('holds back about one cell in five, the same cells every time', () => {
		const cells = biased(2000, 0, 0).map((p) => p.cell);
		const held = cells.filter(isHeldBack).length / cells.length;
		expect(held).toBeGreaterThan(0.17);
		expect(held).toBeLessThan(0.23);
		expect(cells.filter(isHeldBack)).toEqual(cells.filter(isHeldBack));
	});

	it('recovers a known bias and slope by least squares', () => {
		const c = fitCorrection(biased(3000, -8, 5));
		expect(c.offsetDb).toBeCloseTo(-8, 0);
		expect(c.slopeDbPerDecade).toBeCloseTo(5, 0);
	});

	it('fits an offset alone when the distances do not spread', () => {
		const near = biased(200, -6, 0).map((p) => ({ ...p, distanceKm: 2 }));
		const c = fitCorrection(near);
		expect(c.slopeDbPerDecade).toBe(0);
		expect(c.offsetDb).toBeCloseTo(-6, 0);
	});

	it('improves RMSE and removes the mean error on held-back cells of a biased set', () => {
		const [g] = calibrate(biased(2000, -10, 4));
		expect(g.before.meanErrorDb).toBeGreaterThan(5); // predictions too optimistic
		expect(Math.abs(g.after.meanErrorDb)).toBeLessThan(1);
		expect(g.after.rmseDb).toBeLessThan(g.before.rmseDb);
		expect(g.after.rmseDb).toBeLessThan(7); // the noise is 6 dB
		expect(g.after.count).toBe(g.before.count);
		expect(g.fitted + g.after.count).toBe(2000);
	});

	it('leaves a group with too few cells uncorrected, and reports groups in a stable order', () => {
		const groups = calibrate([...biased(MIN_FIT_CELLS - 1, -10, 0, 'vnpt|3G|urban'), ...biased(500, -3, 0, 'mobifone|4G|rural')]);
		expect(groups.map((g) => g.group)).toEqual(['mobifone|4G|rural', 'vnpt|3G|urban']);
		expect(groups[1].correction).toEqual({ offsetDb: 0, slopeDbPerDecade: 0 });
		expect(errorStats([])).toEqual({ count: 0, meanErrorDb: 0, rmseDb: 0 });
	});
});
