import { describe, expect, it } from 'vitest';
import { bestCellFill, cellResolutionForZoom, disputedCellLine, disputedResolutionForZoom, DISPUTED_RGB, hexToRgb, measuredCellFill, towerIconScale, UNEXPECTED_RGB } from './layers';

describe('layers helpers', () => {
	it.each([
		[6, 7],
		[10, 7],
		[10.5, 8],
		[14, 8]
	])('zoom %f draws report cells at resolution %i', (zoom, res) => expect(cellResolutionForZoom(zoom)).toBe(res));

	it('parses hex colours and names a bad one', () => {
		expect(hexToRgb('#e4002b')).toEqual([228, 0, 43]);
		expect(() => hexToRgb('red')).toThrow(/colour must be "#rrggbb", got "red"/);
	});
});

describe('measured cell colours', () => {
	it.each([
		[{ class: 'good' as const, confidence: 1 }, [44, 123, 182, 217]],
		[{ class: 'dead' as const, confidence: 0 }, [215, 25, 28, 77]],
		[{ class: null, confidence: 0.5 }, [150, 150, 150, 147]],
		[{ class: 'fair' as const, confidence: 7 }, [171, 217, 233, 217]]
	])('%j → %j (class colour or grey, opacity by confidence)', (cell, rgba) => expect(measuredCellFill(cell)).toEqual(rgba));
});

describe('fused and disputed cell looks', () => {
	it('fills a fused cell in its class colour, more solid the stronger the deciding source', () => {
		const alphas = (['measured', 'measured-parent', 'predicted', 'declared'] as const).map((decidedBy) => bestCellFill({ class: 'poor', decidedBy })[3]);
		expect(alphas).toEqual([...alphas].sort((a, b) => b - a));
		expect(new Set(alphas).size).toBe(4);
		expect(bestCellFill({ class: 'dead', decidedBy: 'measured' }).slice(0, 3)).toEqual([215, 25, 28]);
	});

	it('outlines a contradicted claim in magenta and unexpected coverage in blue', () => {
		expect(disputedCellLine({ flags: ['declared'] }).slice(0, 3)).toEqual(DISPUTED_RGB);
		expect(disputedCellLine({ flags: ['predicted', 'unexpected'] }).slice(0, 3)).toEqual(DISPUTED_RGB);
		expect(disputedCellLine({ flags: ['unexpected'] }).slice(0, 3)).toEqual(UNEXPECTED_RGB);
	});

	it.each([
		[9, 8],
		[11.4, 8],
		[11.5, 9]
	])('zoom %f draws disputes at resolution %i', (zoom, res) => expect(disputedResolutionForZoom(zoom)).toBe(res));
});

describe('tower icons', () => {
	it('are small at province scale and full size from zoom 11, never growing as one zooms out', () => {
		expect(towerIconScale(6)).toBe(0.45);
		expect(towerIconScale(8)).toBeCloseTo(0.45);
		expect(towerIconScale(11)).toBeCloseTo(1);
		expect(towerIconScale(15)).toBe(1);
		for (let z = 5; z < 16; z += 0.5) expect(towerIconScale(z + 0.5)).toBeGreaterThanOrEqual(towerIconScale(z));
	});
});
