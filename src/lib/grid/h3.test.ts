import { describe, expect, it } from 'vitest';
import { booleanPointInPolygon } from '@turf/turf';
import { addCellsOfArea, cellCenter, cellOfPosition, cellsWithinKm, cellToDecimal, decimalToCell, getResolution } from './h3';
import { approxDistanceKm } from './distance';

describe('h3 helpers', () => {
	it('puts Cao Bằng town in a resolution-9 cell whose centre is within 200 m', () => {
		const position: [number, number] = [106.2574, 22.6657];
		const cell = cellOfPosition(position);
		expect(getResolution(cell)).toBe(9);
		const [lng, lat] = cellCenter(cell);
		expect(Math.abs(lng - position[0]) * 102_000).toBeLessThan(200);
		expect(Math.abs(lat - position[1]) * 111_000).toBeLessThan(200);
	});

	it('round-trips through the decimal bigint form, which stays positive', () => {
		const cell = cellOfPosition([106.65, 22.84]);
		const decimal = cellToDecimal(cell);
		expect(BigInt(decimal) > 0n).toBe(true);
		expect(BigInt(decimal) < 2n ** 63n).toBe(true);
		expect(decimalToCell(decimal)).toBe(cell);
		expect(decimalToCell(BigInt(decimal))).toBe(cell);
	});

	it('names the bad argument', () => {
		expect(() => cellOfPosition([22.8, 106.6])).toThrow(/lat must be within/);
		expect(() => cellToDecimal('zz')).toThrow(/not a valid H3 cell/);
	});

	it('fills polygons and multipolygons with the cells whose centres lie inside, once each', () => {
		const square = (w: number, s: number, size: number) => [[[w, s], [w + size, s], [w + size, s + size], [w, s + size], [w, s]]];
		const one = addCellsOfArea({ type: 'Polygon', coordinates: square(106.2, 22.6, 0.02) }, 9);
		expect(one.size).toBeGreaterThan(30);
		for (const cell of one) expect(booleanPointInPolygon(cellCenter(cell), { type: 'Polygon', coordinates: square(106.2, 22.6, 0.02) })).toBe(true);
		// Two parts, one of them overlapping the first square: the union, each cell once.
		const both = addCellsOfArea({ type: 'MultiPolygon', coordinates: [square(106.2, 22.6, 0.02), square(106.21, 22.6, 0.02)] }, 9);
		const wider = addCellsOfArea({ type: 'Polygon', coordinates: [[[106.2, 22.6], [106.23, 22.6], [106.23, 22.62], [106.2, 22.62], [106.2, 22.6]]] }, 9);
		expect([...both].sort()).toEqual([...wider].sort());
		expect(addCellsOfArea({ type: 'Polygon', coordinates: square(106.25, 22.6, 0.01) }, 9, new Set(one)).size).toBeGreaterThan(one.size);
	});
});

describe('cellsWithinKm', () => {
	it('takes the cells whose centres lie within the radius, and the home cell always', () => {
		const p: [number, number] = [106.25, 22.66];
		expect(cellsWithinKm(p, 0)).toEqual([cellOfPosition(p)]);
		const near = cellsWithinKm(p, 1);
		// ~π km² over ~0.105 km² cells.
		expect(near.length).toBeGreaterThan(25);
		expect(near.length).toBeLessThan(36);
		for (const c of near) if (c !== cellOfPosition(p)) expect(approxDistanceKm(p, cellCenter(c))).toBeLessThanOrEqual(1);
		expect(() => cellsWithinKm(p, -1)).toThrow(/radiusKm/);
	});
});
