import { describe, expect, it } from 'vitest';
import { boundaryGeometryProblem as geometryProblem, guessBoundarySet, levelOf } from './boundaries';

const ring = (x: number, y: number) => [[x, y], [x + 0.1, y], [x + 0.1, y + 0.1], [x, y + 0.1], [x, y]];

describe('geometryProblem', () => {
	it.each([
		[{ type: 'Polygon', coordinates: [ring(106.2, 22.6)] }, null],
		[{ type: 'MultiPolygon', coordinates: [[ring(106.2, 22.6)], [ring(106.5, 22.5)]] }, null],
		[{ type: 'Polygon', coordinates: [ring(106.2, 22.6).slice(0, 4)] }, /ring 1 of polygon 1 is not closed/],
		[{ type: 'Polygon', coordinates: [[[106, 22], [106.1, 22], [106, 22]]] }, /fewer than 4 positions/],
		[{ type: 'Polygon', coordinates: [ring(22.6, 106.2)] }, /coordinates look swapped/],
		[{ type: 'Polygon', coordinates: [ring(520000, 2500000)] }, /outside Vietnam/],
		[{ type: 'Polygon', coordinates: [[[106, 22], ['a', 22], [106, 22.1], [106, 22]]] }, /not two numbers/],
		[{ type: 'LineString', coordinates: [] }, /must be a Polygon or MultiPolygon, got LineString/],
		[null, /got none/]
	])('%j → %s', (geometry, expected) => {
		const problem = geometryProblem(geometry);
		if (expected === null) expect(problem).toBeNull();
		else expect(problem).toMatch(expected);
	});
});

describe('levels and sets', () => {
	it.each([
		[{ level: 'district', district_code: '047' }, undefined, 'district'],
		[{ commune_code: '01501' }, undefined, 'commune'],
		[{ commune_code: '' }, undefined, 'commune'],
		[{ district_code: '047' }, undefined, 'district'],
		[{ province_code: '04' }, undefined, 'province'],
		[{ province_code: '04' }, 'commune', 'commune']
	] as const)('levelOf(%j, %s) → %s', (props, asked, level) => expect(levelOf(props, asked)).toBe(level));

	it('guesses pre2025 when districts are present, else 2025', () => {
		expect(guessBoundarySet([{ properties: { level: 'province' } }, { properties: { district_code: '047' } }])).toBe('pre2025');
		expect(guessBoundarySet([{ properties: { commune_code: '01501' } }])).toBe('2025');
	});
});
