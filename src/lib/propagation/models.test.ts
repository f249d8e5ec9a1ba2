import { describe, expect, it } from 'vitest';
import { cost231Loss } from './cost231';
import { freeSpaceLoss } from './free-space';
import { hataLoss, mobileCorrectionLargeCity } from './hata';
import { parseModel, pathLoss } from './models';

const at = (freqMhz: number, baseHeightM: number, mobileHeightM: number, distanceKm: number) => ({ freqMhz, baseHeightM, mobileHeightM, distanceKm });

describe('published reference values (issue 11)', () => {
	it('COST-231 medium, 1800 MHz, hb 30 m, hm 1.5 m, 2 km → 146.80 dB', () => expect(cost231Loss(at(1800, 30, 1.5, 2), 'medium').lossDb).toBeCloseTo(146.8, 2));
	it('Hata urban-large, 869 MHz, 30 m, 1 m, 2 km → 137.93 dB', () => expect(hataLoss(at(869, 30, 1, 2), 'urban-large').lossDb).toBeCloseTo(137.93, 2));
	it('Hata open, 500 MHz, 30 m, 2 m, 1 km → 92.326 dB', () => expect(hataLoss(at(500, 30, 2, 1), 'open').lossDb).toBeCloseTo(92.326, 3));
});

// Our own table, worked by hand from the formulas (log = log₁₀), to 0.01 dB.
describe('values from the formulas', () => {
	it.each([
		// free space: 32.45 + 20 log 900 + 20 log 5 = 32.45 + 59.085 + 13.979
		['fspl', null, at(900, 30, 1.5, 5), 105.51],
		// free space: 32.45 + 20 log 2100 + 20 log 0.1 = 32.45 + 66.444 − 20
		['fspl', null, at(2100, 30, 1.5, 0.1), 78.89],
		// Hata urban-small 900 MHz, 50 m, 1.5 m, 10 km: 69.55 + 77.28 − 23.48 − 0.0161 + 33.77
		['hata', 'urban-small', at(900, 50, 1.5, 10), 157.11],
		// suburban = urban-small − 2 (log(900/28))² − 5.4 = 157.109 − 4.543 − 5.4
		['hata', 'suburban', at(900, 50, 1.5, 10), 147.17],
		// open = urban-small − 4.78 (log 900)² + 18.33 log 900 − 40.94
		['hata', 'open', at(900, 50, 1.5, 10), 128.6],
		// large city at 150 MHz uses 8.29 (log 1.54·1.5)² − 1.1 = 0.2125: 69.55 + 56.93 − 20.41 − 0.21 + 24.83
		['hata', 'urban-large', at(150, 30, 1.5, 5), 130.69],
		// COST-231 metropolitan = medium + 3
		['cost231', 'metropolitan', at(1800, 30, 1.5, 2), 149.8]
	] as const)('%s %s %j → %d dB', (model, env, inputs, expected) => expect(pathLoss(model, env, inputs).lossDb).toBeCloseTo(expected, 2));
});

describe('large-city correction between 200 and 400 MHz', () => {
	it('meets each formula at its end and moves linearly between', () => {
		const low = 8.29 * Math.log10(1.54 * 1.5) ** 2 - 1.1;
		const high = 3.2 * Math.log10(11.75 * 1.5) ** 2 - 4.97;
		expect(mobileCorrectionLargeCity(200, 1.5)).toBeCloseTo(low, 12);
		expect(mobileCorrectionLargeCity(400, 1.5)).toBeCloseTo(high, 12);
		expect(mobileCorrectionLargeCity(300, 1.5)).toBeCloseTo((low + high) / 2, 12);
	});
});

describe('validity', () => {
	it('computes outside the fitted ranges but warns for each input, without clamping', () => {
		const inside = hataLoss(at(900, 30, 1.5, 20), 'open');
		const outside = hataLoss(at(900, 30, 1.5, 40), 'open');
		expect(inside.warnings).toEqual([]);
		expect(outside.warnings.map((w) => w.parameter)).toEqual(['distanceKm']);
		expect(outside.warnings[0].message).toMatch(/distanceKm 40 is outside 1–20/);
		// Not clamped: twice the distance adds (44.9 − 6.55 log 30) log 2 dB.
		expect(outside.lossDb - inside.lossDb).toBeCloseTo((44.9 - 6.55 * Math.log10(30)) * Math.log10(2), 10);
		expect(cost231Loss(at(900, 20, 12, 0.5), 'medium').warnings.map((w) => w.parameter)).toEqual(['freqMhz', 'baseHeightM', 'mobileHeightM', 'distanceKm']);
		expect(freeSpaceLoss({ freqMhz: 3500, distanceKm: 50 }).warnings).toEqual([]);
	});
	it('refuses what no logarithm can take, naming the parameter', () => {
		expect(() => freeSpaceLoss({ freqMhz: 900, distanceKm: 0 })).toThrow(/distanceKm must be a positive number, got 0/);
		expect(() => hataLoss(at(900, -5, 1.5, 2), 'open')).toThrow(/baseHeightM must be a positive number/);
	});
});

describe('model names', () => {
	it('names the allowed values for an unknown model or environment', () => {
		expect(() => parseModel('okumura', null)).toThrow(/model "okumura" is unknown; use one of: fspl, hata, cost231/);
		expect(() => parseModel('cost231', 'suburban')).toThrow(/environment "suburban" is unknown for cost231; use one of: medium, metropolitan/);
		expect(() => parseModel('hata', '')).toThrow(/environment \(none\) is unknown for hata; use one of: urban-large, urban-small, suburban, open/);
		expect(() => parseModel('fspl', 'open')).toThrow(/fspl takes no environment/);
		expect(parseModel('fspl', '')).toEqual({ model: 'fspl', environment: null });
	});
});
