import { describe, expect, it } from 'vitest';
import { approxDistanceKm } from '../grid/distance';
import { backhaulDistanceKm, buildCandidates, gridPositions, type CandidateInput } from './candidates';

// Đàm Thuỷ (Cao Bằng) is near 22.85° N, 106.72° E: the tests place things around there.
const ORIGIN: [number, number] = [106.72, 22.85];
const at = (eastKm: number, northKm: number): [number, number] => [ORIGIN[0] + eastKm / (111.32 * Math.cos((ORIGIN[1] * Math.PI) / 180)), ORIGIN[1] + northKm / 111.32];

const base: CandidateInput = {
	demand: [],
	spacingKm: 1,
	siteTypes: [
		{ type: 'small-cell', heightM: 12, cost: 1 },
		{ type: 'macro', heightM: 35, cost: 5 }
	],
	otherTowers: [],
	facilities: [],
	plannerPoints: [],
	exclusions: [],
	backhaul: { points: [], lines: [] },
	colocationCostShare: 0.4,
	smallCellMaxBackhaulKm: 1
};

describe('grid positions', () => {
	it('one point per square of the spacing that holds demand, none elsewhere', () => {
		// A 3 km × 3 km block of demand every 100 m: at 1 km spacing, 9 squares (±1 at the block's edges).
		const demand: [number, number][] = [];
		for (let x = 0.05; x < 3; x += 0.1) for (let y = 0.05; y < 3; y += 0.1) demand.push(at(x, y));
		const points = gridPositions(demand, 1);
		expect(points.length).toBeGreaterThanOrEqual(9);
		expect(points.length).toBeLessThanOrEqual(16);
		// Neighbouring points are the spacing apart; every point is within a square's half-diagonal of demand.
		for (const p of points) {
			const nearest = Math.min(...points.filter((q) => q !== p).map((q) => approxDistanceKm(p, q)));
			expect(nearest).toBeCloseTo(1, 1);
			expect(Math.min(...demand.map((d) => approxDistanceKm(p, d)))).toBeLessThanOrEqual(Math.SQRT1_2 + 0.01);
		}
		// Coarser spacing, fewer points; the same demand, the same points.
		expect(gridPositions(demand, 2).length).toBeLessThan(points.length);
		expect(gridPositions([...demand].reverse(), 1)).toEqual(points);
	});

	it('two distant clusters get points only over themselves', () => {
		const demand = [at(0, 0), at(0.1, 0.1), at(20, 20)];
		const points = gridPositions(demand, 1);
		// The near pair may straddle a square's edge (the grid is anchored at 0° E, 0° N), the lone point cannot.
		expect(points.filter((p) => approxDistanceKm(p, at(20, 20)) < 1)).toHaveLength(1);
		expect(points.filter((p) => approxDistanceKm(p, at(0, 0)) < 1.5).length).toBeGreaterThanOrEqual(1);
		expect(points.length).toBeLessThanOrEqual(3);
		for (const p of points) expect(Math.min(...demand.map((d) => approxDistanceKm(p, d)))).toBeLessThanOrEqual(Math.SQRT1_2 + 0.01);
	});

	it('refuses a spacing that is not positive, by name', () => {
		expect(() => gridPositions([at(0, 0)], 0)).toThrow(/spacingKm/);
	});
});

describe('backhaul distance', () => {
	it('to the nearest tower or fiber segment (not just its vertices)', () => {
		const fiber = [at(-5, 2), at(5, 2)];
		expect(backhaulDistanceKm(at(0, 0), { points: [at(0, -3)], lines: [fiber] })).toBeCloseTo(2, 1);
		expect(backhaulDistanceKm(at(0, 0), { points: [at(0, -0.5)], lines: [fiber] })).toBeCloseTo(0.5, 1);
		expect(backhaulDistanceKm(at(0, 0), { points: [], lines: [] })).toBeNull();
	});
});

describe('candidates', () => {
	it('each grid position once per site type, ids stable', () => {
		const { candidates } = buildCandidates({ ...base, demand: [at(0.2, 0.2), at(3.2, 0.2)] });
		expect(candidates.map((c) => c.type)).toEqual(['small-cell', 'macro', 'small-cell', 'macro']);
		expect(new Set(candidates.map((c) => c.id)).size).toBe(4);
		expect(buildCandidates({ ...base, demand: [at(0.2, 0.2), at(3.2, 0.2)] }).candidates.map((c) => c.id)).toEqual(candidates.map((c) => c.id));
		expect(candidates.every((c) => c.source === 'grid' && c.backhaulKm === null)).toBe(true);
	});

	it('nothing inside an exclusion zone', () => {
		const [w, s] = at(-1, -1);
		const [e, n] = at(1, 1);
		const zone = { type: 'Polygon' as const, coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] };
		const out = buildCandidates({
			...base,
			demand: [at(0, 0), at(5, 5)],
			facilities: [{ position: at(0.5, 0.5), facilityType: 'school', name: 'Trường Tiểu học' }],
			otherTowers: [{ operator: 'vnpt', site: 'V1', position: at(-0.5, 0), heightM: 40 }],
			plannerPoints: [{ position: at(0.1, 0.1) }],
			exclusions: [zone]
		});
		expect(out.excluded).toBe(4);
		for (const c of out.candidates) expect(Math.max(Math.abs(c.position[0] - ORIGIN[0]), Math.abs(c.position[1] - ORIGIN[1]))).toBeGreaterThan(0.009);
		expect(out.candidates).toHaveLength(2);
	});

	it('co-location on another operator’s tower costs the shared share and keeps the tower’s height for a macro', () => {
		const { candidates } = buildCandidates({ ...base, otherTowers: [{ operator: 'mobifone', site: 'M7', position: at(1, 1), heightM: 42 }] });
		expect(candidates).toEqual([
			expect.objectContaining({ source: 'colocation', type: 'small-cell', cost: 0.4, heightM: 12, host: { kind: 'tower', operator: 'mobifone', site: 'M7' } }),
			expect.objectContaining({ source: 'colocation', type: 'macro', cost: 2, heightM: 42 })
		]);
	});

	it('public sites host candidates; health stations and other facilities do not', () => {
		const { candidates } = buildCandidates({
			...base,
			siteTypes: [{ type: 'macro', heightM: 35, cost: 5 }],
			facilities: [
				{ position: at(0, 0), facilityType: 'public_land', name: null },
				{ position: at(1, 0), facilityType: 'commune_office', name: 'UBND xã' },
				{ position: at(2, 0), facilityType: 'school', name: null },
				{ position: at(3, 0), facilityType: 'health_station', name: 'Trạm y tế' },
				{ position: at(4, 0), facilityType: 'other', name: null }
			]
		});
		expect(candidates.map((c) => (c.host?.kind === 'facility' ? c.host.facilityType : null))).toEqual(['public_land', 'commune_office', 'school']);
	});

	it('a small cell needs backhaul within the limit; a macro does not', () => {
		const out = buildCandidates({ ...base, plannerPoints: [{ position: at(0.5, 0) }, { position: at(10.5, 0) }], backhaul: { points: [], lines: [[at(0, -0.5), at(1, -0.5)]] } });
		expect(out.noBackhaul).toBe(1);
		expect(out.candidates.map((c) => `${c.type}@${c.backhaulKm!.toFixed(1)}`)).toEqual(['small-cell@0.5', 'macro@0.5', 'macro@9.5']);
	});

	it('a planner’s point of a named type is that type only', () => {
		const { candidates } = buildCandidates({ ...base, plannerPoints: [{ position: at(0, 0), type: 'macro' }, { position: at(1, 0) }] });
		expect(candidates.map((c) => `${c.source}/${c.type}`)).toEqual(['planner/macro', 'planner/small-cell', 'planner/macro']);
	});
});
