import { describe, expect, it } from 'vitest';
import {
	addCounts,
	countCommunes,
	coverKey,
	crosswalkWeights,
	emptyCounts,
	priorityScore,
	rankByPriority,
	rollUp,
	sharesOf,
	splitCounts,
	type CommuneFacts,
	type ScoreCounts,
	type ScoredCell
} from './scorecard';

const KEYS = ['*', 'viettel', 'vnpt'].flatMap((op) => ['*', '4G', '5G'].map((t) => coverKey(op, t as '*' | '4G' | '5G')));

const cell = (commune: string, households: number, covered: string[], o: Partial<ScoredCell> = {}): ScoredCell => ({
	commune,
	households,
	areaKm2: 0.1,
	covered: new Set(covered),
	deadZoneOf: new Set(),
	remote: false,
	openReports: 0,
	fresh: false,
	...o
});

// Commune A: 100 households in four cells; B: 40 in two. Viettel 4G covers A's first two cells,
// VNPT 2G its third; A's fourth cell (remote, 10 households) is a dead zone for every operator.
const cells: ScoredCell[] = [
	cell('A', 50, ['viettel|*', 'viettel|4G', '*|*', '*|4G'], { fresh: true, openReports: 2 }),
	cell('A', 20, ['viettel|*', 'viettel|4G', '*|*', '*|4G'], { fresh: true }),
	cell('A', 20, ['vnpt|*', '*|*'], { openReports: 1 }),
	cell('A', 10, [], { remote: true, deadZoneOf: new Set(['*', 'viettel', 'vnpt']), openReports: 4 }),
	cell('B', 30, ['vnpt|*', 'vnpt|4G', 'vnpt|5G', '*|*', '*|4G', '*|5G'], { fresh: true }),
	cell('B', 10, [], { remote: true, deadZoneOf: new Set(['*', 'viettel']) }),
	// Unpopulated and foreign cells count for nothing.
	cell('A', 0, ['*|*']),
	cell('Z', 99, [])
];
const facts: CommuneFacts[] = [
	{
		code: 'A',
		population: 380,
		households: 100,
		villages: [
			{ status: 'trang_song', hasPower: true },
			{ status: 'lom_song', hasPower: true },
			{ status: 'co_song', hasPower: null }
		],
		fiber: { total: 100, passed: 60, connected: 25 }
	},
	{ code: 'B', population: null, households: null, villages: [{ status: 'co_song', hasPower: true }], fiber: null }
];

describe('countCommunes', () => {
	const any = countCommunes(cells, facts, { view: '*', coverKeys: KEYS, peoplePerHousehold: 3.5 });
	const a = any.get('A')!;
	const b = any.get('B')!;

	it('counts households covered per operator and technology, unserved, remote, dead zones and freshness', () => {
		expect(a.households).toBe(100);
		expect(a.coveredHouseholds).toMatchObject({ '*|*': 90, '*|4G': 70, '*|5G': 0, 'viettel|*': 70, 'viettel|4G': 70, 'vnpt|*': 20, 'vnpt|4G': 0 });
		expect(a.unservedHouseholds).toBe(10);
		expect(a.remoteUnservedHouseholds).toBe(10);
		expect(a.deadZoneHouseholds).toBe(10);
		expect(a.deadZoneAreaKm2).toBeCloseTo(0.1);
		expect(a.freshHouseholds).toBe(70);
		expect(a.openReports).toBe(7);
		expect(any.has('Z')).toBe(false);
	});

	it('takes the counted population, else households × people per household', () => {
		expect(a.population).toBe(380);
		expect(b.population).toBe(40 * 3.5);
	});

	it('counts villages by status, and those with power that have service', () => {
		expect([a.villages, a.trangSong, a.lomSong, a.villagesWithPower, a.villagesWithPowerServed]).toEqual([3, 1, 1, 2, 1]);
		expect([b.villages, b.villagesWithPower, b.villagesWithPowerServed]).toEqual([1, 1, 1]);
		expect([a.fiberHouseholdsTotal, a.fiberHouseholdsPassed, a.fiberHouseholdsConnected]).toEqual([100, 60, 25]);
	});

	it("counts an operator's view against that operator's cover and dead zones", () => {
		const vnpt = countCommunes(cells, facts, { view: 'vnpt', coverKeys: KEYS, peoplePerHousehold: 3.5 });
		expect(vnpt.get('A')!.unservedHouseholds).toBe(80);
		expect(vnpt.get('A')!.remoteUnservedHouseholds).toBe(10);
		expect(vnpt.get('B')!.unservedHouseholds).toBe(10);
		expect(vnpt.get('B')!.deadZoneHouseholds).toBe(0);
	});

	it('derives shares from the counts, null where the whole is 0', () => {
		const s = sharesOf(a, '*');
		expect(s.coveredShare).toBeCloseTo(0.9);
		expect(s.share4G).toBeCloseTo(0.7);
		expect(s.share5G).toBe(0);
		expect(s.populationCovered).toBeCloseTo(342);
		expect(s.fiberPassedShare).toBeCloseTo(0.6);
		expect(s.villagesWithPowerServedShare).toBeCloseTo(0.5);
		expect(sharesOf(b, '*').fiberPassedShare).toBeNull();
		expect(sharesOf(emptyCounts(), '*').coveredShare).toBeNull();
	});
});

describe('priority', () => {
	it.each([
		{ unserved: 100, remote: 0, weight: 1, score: 100 },
		{ unserved: 100, remote: 40, weight: 1, score: 140 },
		{ unserved: 100, remote: 40, weight: 2.5, score: 200 },
		{ unserved: 0, remote: 0, weight: 3, score: 0 }
	])('unserved $unserved, remote $remote, weight $weight → $score', ({ unserved, remote, weight, score }) => {
		expect(priorityScore({ unservedHouseholds: unserved, remoteUnservedHouseholds: remote }, { remoteWeight: weight })).toBe(score);
	});

	it('ranks highest first; equal scores share a rank and are listed by code', () => {
		const ranked = rankByPriority([
			{ code: 'b', score: 5 },
			{ code: 'a', score: 9 },
			{ code: 'd', score: 5 },
			{ code: 'c', score: 1 }
		]);
		expect(ranked.map((r) => [r.code, r.rank])).toEqual([
			['a', 1],
			['b', 2],
			['d', 2],
			['c', 4]
		]);
	});
});

describe('roll-ups and the crosswalk', () => {
	const any = countCommunes(cells, facts, { view: '*', coverKeys: KEYS, peoplePerHousehold: 3.5 });
	const total = (m: ReadonlyMap<string, ScoreCounts>) => [...m.values()].reduce((s, c) => addCounts(s, c), emptyCounts());

	it('a province is the sum of its communes', () => {
		const province = rollUp(any, () => '04').get('04')!;
		expect(province).toEqual(total(any));
		expect(province.households).toBe(140);
		expect(province.coveredHouseholds['*|*']).toBe(120);
		expect(sharesOf(province, '*').coveredShare).toBeCloseTo(120 / 140);
		// People covered add up by commune (A: 380 people in 90 of 100 households; B: 3.5 per household, 30 of 40 covered),
		// not as the province's population in its covered share of households.
		expect(sharesOf(province, '*').populationCovered).toBeCloseTo(380 * 0.9 + 140 * 0.75);
	});

	it('splits new communes among the old ones they were made of, preserving totals', () => {
		// A was made of old 1 (whole) and half of old 2; B of the other half of old 2 and old 3 (whole).
		const links = [
			{ oldCode: '1', newCode: 'A', share: 1 },
			{ oldCode: '2', newCode: 'A', share: 0.5 },
			{ oldCode: '2', newCode: 'B', share: 0.5 },
			{ oldCode: '3', newCode: 'B', share: 1 }
		];
		const sizes: Record<string, number | null> = { '1': 3000, '2': 2000, '3': null };
		const weights = crosswalkWeights(links, (code) => sizes[code]);
		expect(weights.get('A')!.map((w) => w.weight)).toEqual([0.75, 0.25]);
		// Without a size, every old commune weighs 1 × its share.
		expect(weights.get('B')!.map((w) => w.weight)).toEqual([1 / 3, 2 / 3]);
		const { counts: old, unmapped } = splitCounts(any, weights);
		expect(unmapped).toEqual([]);
		expect(old.get('1')!.households).toBeCloseTo(75);
		expect(old.get('2')!.households).toBeCloseTo(25 + 40 / 3);
		const whole = total(any);
		const parts = total(old);
		for (const key of ['households', 'population', 'unservedHouseholds', 'deadZoneAreaKm2', 'villages', 'openReports'] as const) expect(parts[key]).toBeCloseTo(whole[key]);
		for (const k of KEYS) expect(parts.coveredHouseholds[k]).toBeCloseTo(whole.coveredHouseholds[k]);
	});

	it('leaves out, and names, new communes no link reaches', () => {
		const { counts, unmapped } = splitCounts(any, crosswalkWeights([{ oldCode: '1', newCode: 'A', share: 1 }], () => null));
		expect(unmapped).toEqual(['B']);
		expect(counts.get('1')!.households).toBe(100);
	});
});
