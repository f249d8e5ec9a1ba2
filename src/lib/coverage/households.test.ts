import { gridDisk, latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { spreadHouseholds } from './households';

const cells = gridDisk(latLngToCell(22.66, 106.25, 9), 1).sort();
const total = (rows: { households: number }[]) => rows.reduce((s, r) => s + r.households, 0);

describe('spreadHouseholds (dasymetric rule)', () => {
	it('spreads a commune in proportion to the population raster where it has people', () => {
		const people = new Map([
			[cells[0], 30],
			[cells[1], 10]
		]);
		const rows = spreadHouseholds([{ code: 'A', households: 100, cells }], { people, settled: new Set(cells), householdSize: 3.5 });
		expect(rows.map((r) => [r.h3, r.households, r.rule])).toEqual([
			[cells[0], 75, 'population'],
			[cells[1], 25, 'population']
		]);
	});

	it('takes people per household where the commune has no count', () => {
		const rows = spreadHouseholds([{ code: 'A', households: null, cells }], { people: new Map([[cells[2], 35]]), settled: new Set(), householdSize: 3.5 });
		expect(rows).toEqual([{ h3: cells[2], commune: 'A', households: 10, rule: 'population' }]);
	});

	it('shares equally among settled cells without a raster, else over every cell', () => {
		const settled = spreadHouseholds([{ code: 'A', households: 90, cells }], { people: new Map(), settled: new Set([cells[3], cells[4], cells[5]]), householdSize: 3.5 });
		expect(settled.map((r) => [r.h3, r.households, r.rule])).toEqual([3, 4, 5].map((i) => [cells[i], 30, 'settled']));
		const even = spreadHouseholds([{ code: 'A', households: 70, cells }], { people: new Map(), settled: new Set(['other']), householdSize: 3.5 });
		expect(even).toHaveLength(7);
		expect(even.every((r) => r.rule === 'even' && r.households === 10)).toBe(true);
	});

	it('keeps every commune total, and a commune without households or people gets none', () => {
		const other = gridDisk(latLngToCell(22.7, 106.3, 9), 2);
		const rows = spreadHouseholds(
			[
				{ code: 'A', households: 123, cells },
				{ code: 'B', households: 456, cells: other },
				{ code: 'C', households: null, cells: ['x'] }
			],
			{ people: new Map([[other[0], 5]]), settled: new Set(), householdSize: 3.5 }
		);
		expect(total(rows.filter((r) => r.commune === 'A'))).toBeCloseTo(123, 9);
		expect(total(rows.filter((r) => r.commune === 'B'))).toBeCloseTo(456, 9);
		expect(rows.some((r) => r.commune === 'C')).toBe(false);
	});

	it('names a bad figure', () => {
		expect(() => spreadHouseholds([{ code: 'A', households: -1, cells }], { people: new Map(), settled: new Set(), householdSize: 3.5 })).toThrow(/commune A: households/);
		expect(() => spreadHouseholds([], { people: new Map(), settled: new Set(), householdSize: 0 })).toThrow(/householdSize/);
	});
});
