import { describe, expect, it } from 'vitest';
import { classLabel, classOf, fiberClassLabel, densityFill, DENSITY_BREAKS, DENSITY_RGB, fiberFill, fiberShare, FIBER_BREAKS, FIBER_RGB, NO_FIBER_DATA_RGB } from './choropleth';

describe('choropleth classes', () => {
	it('put a value in the class whose lower break it reaches', () => {
		expect([0, 4.9, 5, 24.9, 25, 99, 100, 399, 400, 5000].map((v) => classOf(v, DENSITY_BREAKS))).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
		expect([0, 0.19, 0.2, 0.5, 0.8, 1].map((v) => classOf(v, FIBER_BREAKS))).toEqual([0, 0, 1, 2, 4, 4]);
	});

	it('label every class, open at both ends', () => {
		const pct = (n: number) => `${Math.round(n * 100)} %`;
		expect([0, 1, 2, 3, 4].map((i) => classLabel(i, FIBER_BREAKS, pct))).toEqual(['< 20 %', '20 %–40 %', '40 %–60 %', '60 %–80 %', '≥ 80 %']);
		expect(classLabel(4, DENSITY_BREAKS, String)).toBe('≥ 400');
		expect([0, 1, 4].map(fiberClassLabel)).toEqual(['< 20 %', '20–40 %', '≥ 80 %']);
	});

	it('have one colour per class', () => {
		expect(DENSITY_RGB).toHaveLength(DENSITY_BREAKS.length + 1);
		expect(FIBER_RGB).toHaveLength(FIBER_BREAKS.length + 1);
	});

	it('draw a commune without fiber figures grey, not as 0 %', () => {
		expect(fiberShare(undefined)).toBeNull();
		expect(fiberShare({ total: 0, passed: 0, connected: 0 })).toBeNull();
		expect(fiberFill(undefined).slice(0, 3)).toEqual(NO_FIBER_DATA_RGB);
		expect(fiberFill({ total: 100, passed: 0, connected: 0 }).slice(0, 3)).toEqual(FIBER_RGB[0]);
		expect(fiberFill({ total: 100, passed: 85, connected: 40 }).slice(0, 3)).toEqual(FIBER_RGB[4]);
		expect(densityFill(150).slice(0, 3)).toEqual(DENSITY_RGB[3]);
	});
});
