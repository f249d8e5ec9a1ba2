import { describe, expect, it } from 'vitest';
import type { CandidateSite } from './candidates';
import { demandOf, type DemandCellInput } from './demand';
import { explainSite } from './explain';
import { planOutcome, statusAfter, type PlanVillage } from './scenario';

const cellInput = (h3: string, over: Partial<DemandCellInput> = {}): DemandCellInput => ({ h3, unserved: true, households: 10, openReporters: 0, inFlaggedVillage: false, facilities: 0, communeCode: 'C1', zoneId: 1, ...over });
const W = { openReporter: 2, village: 0.5, facility: 10 };

describe('demand', () => {
	it('unserved cells only, weighted by households, reporters, flagged villages and facilities', () => {
		const d = demandOf(
			[
				cellInput('b', { households: 10 }),
				cellInput('a', { households: 4, inFlaggedVillage: true, openReporters: 3, facilities: 1 }),
				cellInput('c', { unserved: false, households: 100 }),
				cellInput('d', { households: 0 }),
				cellInput('e', { households: 0, openReporters: 1 })
			],
			W
		);
		expect(d.map((x) => [x.h3, x.households, x.weight])).toEqual([
			['a', 4, 4 * 1.5 + 3 * 2 + 10],
			['b', 10, 10],
			['e', 0, 2]
		]);
	});

	it('zero extra weights leave households alone', () => {
		const d = demandOf([cellInput('a', { households: 7, inFlaggedVillage: true, openReporters: 5, facilities: 2 })], { openReporter: 0, village: 0, facility: 0 });
		expect(d[0].weight).toBe(7);
	});
});

const site = (id: string, over: Partial<CandidateSite> = {}): CandidateSite => ({ id, position: [106.7, 22.8], type: 'macro', source: 'grid', cost: 5, heightM: 35, backhaulKm: null, host: null, ...over });

describe('plan outcome', () => {
	const demand = demandOf(
		[cellInput('h1', { households: 30 }), cellInput('h2', { households: 20 }), cellInput('h3', { households: 10, zoneId: 2, communeCode: 'C2' }), cellInput('h4', { households: 40 })],
		W
	);
	// h1 h2 h3 h4 are indices 0 1 2 3.
	const candidates = [site('A'), site('B'), site('C')];
	const covers = [Int32Array.of(0, 1), Int32Array.of(1, 2), Int32Array.of(3)];
	const households = new Map(demand.map((d) => [d.h3, d.households]));
	const village: PlanVillage = { id: 7, name: 'Bản Khoòng', communeCode: 'C1', status: 'trang_song', centreCell: 'h1', unservedCells: ['h1', 'h2'], unservedHouseholds: 50 };

	const outcome = planOutcome({
		demand,
		candidates,
		covers,
		chosen: [0, 1],
		villages: [village],
		householdsOf: (h) => households.get(h) ?? 0,
		communes: [
			{ communeCode: 'C1', households: 200, served: 100 },
			{ communeCode: 'C2', households: 50, served: 40 }
		],
		minVillageHouseholds: 5
	});

	it('counts each household once, for the first site that serves it', () => {
		expect(outcome.sites.map((s) => [s.candidate.id, s.newCells, s.householdsNewlyCovered])).toEqual([
			['A', ['h1', 'h2'], 50],
			['B', ['h3'], 10]
		]);
		expect(outcome.householdsNewlyCovered).toBe(60);
		expect(outcome.demandHouseholds).toBe(100);
		expect(outcome.sites[1].coveredCells).toEqual(['h2', 'h3']);
	});

	it('the share of its dead zone each site closes', () => {
		expect(outcome.sites[0]).toMatchObject({ zoneId: 1, zoneShareClosed: 50 / 90 });
		expect(outcome.sites[1]).toMatchObject({ zoneId: 2, zoneShareClosed: 1 });
	});

	it('villages change status with the site that changes them', () => {
		expect(outcome.sites[0].villagesChanged).toEqual([{ id: 7, name: 'Bản Khoòng', from: 'trang_song', to: 'co_song' }]);
		expect(outcome.sites[1].villagesChanged).toEqual([]);
	});

	it('coverage before and after per commune', () => {
		expect(outcome.communes).toEqual([
			{ communeCode: 'C1', households: 200, servedBefore: 100, servedAfter: 150 },
			{ communeCode: 'C2', households: 50, servedBefore: 40, servedAfter: 50 }
		]);
	});

	it('a village whose centre gets signal but keeps a cluster without becomes lõm sóng', () => {
		const v: PlanVillage = { ...village, unservedCells: ['h1', 'h2', 'h4'] };
		expect(statusAfter(v, new Set(['h1']), (h) => households.get(h) ?? 0, 5)).toBe('lom_song');
		expect(statusAfter(v, new Set(['h2']), (h) => households.get(h) ?? 0, 5)).toBe('trang_song');
		expect(statusAfter(v, new Set(['h1', 'h2', 'h4']), (h) => households.get(h) ?? 0, 5)).toBe('co_song');
		expect(statusAfter({ ...v, status: 'lom_song' }, new Set(['h2']), (h) => households.get(h) ?? 0, 71)).toBe('co_song');
		expect(statusAfter({ ...v, status: 'lom_song' }, new Set(['h2']), (h) => households.get(h) ?? 0, 70)).toBe('lom_song');
	});

	it('explains each site in Vietnamese and English', () => {
		const shared = { ...outcome.sites[0], candidate: site('A', { host: { kind: 'tower', operator: 'mobifone', site: 'M7' }, source: 'colocation', backhaulKm: 0.44 }) };
		const names = { operatorName: (c: string) => (c === 'mobifone' ? 'MobiFone' : c), communeName: 'Đàm Thuỷ' };
		expect(explainSite(shared, 'vi', names)).toBe('Trạm vĩ mô trên trạm M7 của MobiFone (dùng chung hạ tầng): thêm 50 hộ có sóng ở Đàm Thuỷ; khép 56% vùng lõm; thôn Bản Khoòng: trắng sóng → có sóng; cách truyền dẫn 0,4 km.');
		expect(explainSite(shared, 'en', names)).toBe("Macro tower on MobiFone's tower M7 (shared): 50 households newly served in Đàm Thuỷ; closes 56% of its dead zone; Bản Khoòng: trắng sóng (no signal) → served; backhaul 0.4 km away.");
		expect(explainSite({ ...outcome.sites[1], candidate: site('B', { type: 'small-cell' }) }, 'en')).toBe('Small cell at a new grid point: 10 households newly served; closes 100% of its dead zone.');
	});
});
