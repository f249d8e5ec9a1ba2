import type { VillageStatus } from '../coverage/villages';
import type { CandidateSite } from './candidates';
import type { DemandCell } from './demand';

/**
 * What a solved plan means, site by site and commune by commune (issue 16): taking the chosen
 * sites in the solver's order (each adds the most to those before it), the households each newly
 * covers, the share of its dead zone it closes, the villages whose status it changes, and coverage
 * before and after per commune. Pure: from the demand, the candidates, their cover sets and the
 * choice.
 */

/** A village as planning sees it: its centre cell and unserved cells now. */
export interface PlanVillage {
	id: number;
	name: string;
	communeCode: string;
	status: VillageStatus;
	centreCell: string;
	unservedCells: readonly string[];
	unservedHouseholds: number;
}

export interface VillageChange {
	id: number;
	name: string;
	from: VillageStatus;
	to: VillageStatus;
}

export interface PlannedSite {
	rank: number;
	candidate: CandidateSite;
	/** Demand cells it serves that no site before it does (its targets), and their households and weight. */
	newCells: string[];
	householdsNewlyCovered: number;
	weightNewlyCovered: number;
	/** All the demand cells it serves. */
	coveredCells: string[];
	/** The dead zone it closes most of, and the share of that zone's households it closes. */
	zoneId: number | null;
	zoneShareClosed: number;
	/** Villages whose status changes once this site (and those before it) are built. */
	villagesChanged: VillageChange[];
}

export interface CommuneCoverage {
	communeCode: string;
	households: number;
	servedBefore: number;
	servedAfter: number;
}

export interface PlanOutcome {
	sites: PlannedSite[];
	communes: CommuneCoverage[];
	householdsNewlyCovered: number;
	demandHouseholds: number;
}

/** A village's status once the cells in `served` are served (the rule of src/lib/coverage/villages.ts). */
export function statusAfter(v: PlanVillage, served: ReadonlySet<string>, householdsOf: (h3: string) => number, minHouseholds: number): VillageStatus {
	if (v.status === 'co_song') return 'co_song';
	const centreServed = v.status !== 'trang_song' || served.has(v.centreCell);
	if (!centreServed) return 'trang_song';
	let left = 0;
	let cells = 0;
	for (const c of v.unservedCells)
		if (!served.has(c) && householdsOf(c) > 0) {
			left += householdsOf(c);
			cells++;
		}
	return cells > 0 && left >= minHouseholds ? 'lom_song' : 'co_song';
}

export function planOutcome(input: {
	demand: readonly DemandCell[];
	candidates: readonly CandidateSite[];
	/** Demand indices each candidate covers. */
	covers: readonly Int32Array[];
	/** Chosen candidate indices, in the order they were added. */
	chosen: readonly number[];
	villages: readonly PlanVillage[];
	/** Households per cell (any cell, served or not: villages count theirs). */
	householdsOf: (h3: string) => number;
	/** Households and those served now, per commune (of the planned area). */
	communes: readonly { communeCode: string; households: number; served: number }[];
	minVillageHouseholds: number;
}): PlanOutcome {
	const { demand, candidates, covers, chosen, villages, householdsOf } = input;
	const zoneHouseholds = new Map<number, number>();
	for (const d of demand) if (d.zoneId !== null) zoneHouseholds.set(d.zoneId, (zoneHouseholds.get(d.zoneId) ?? 0) + d.households);
	const covered = new Uint8Array(demand.length);
	const served = new Set<string>();
	const statusNow = new Map(villages.map((v) => [v.id, v.status]));
	const newlyByCommune = new Map<string, number>();
	const sites: PlannedSite[] = chosen.map((c, rank) => {
		const newCells: string[] = [];
		let households = 0;
		let weight = 0;
		const byZone = new Map<number, number>();
		for (const d of covers[c]) {
			if (covered[d]) continue;
			covered[d] = 1;
			const cell = demand[d];
			newCells.push(cell.h3);
			served.add(cell.h3);
			households += cell.households;
			weight += cell.weight;
			if (cell.zoneId !== null) byZone.set(cell.zoneId, (byZone.get(cell.zoneId) ?? 0) + cell.households);
			if (cell.communeCode !== null) newlyByCommune.set(cell.communeCode, (newlyByCommune.get(cell.communeCode) ?? 0) + cell.households);
		}
		let zoneId: number | null = null;
		let closed = 0;
		for (const [z, h] of byZone) if (h > closed || (h === closed && zoneId !== null && z < zoneId)) [zoneId, closed] = [z, h];
		const zoneTotal = zoneId === null ? 0 : zoneHouseholds.get(zoneId)!;
		const villagesChanged: VillageChange[] = [];
		for (const v of villages) {
			const before = statusNow.get(v.id)!;
			if (before === 'co_song') continue;
			const after = statusAfter(v, served, householdsOf, input.minVillageHouseholds);
			if (after !== before) {
				villagesChanged.push({ id: v.id, name: v.name, from: before, to: after });
				statusNow.set(v.id, after);
			}
		}
		return {
			rank: rank + 1,
			candidate: candidates[c],
			newCells,
			householdsNewlyCovered: households,
			weightNewlyCovered: weight,
			coveredCells: Array.from(covers[c], (d) => demand[d].h3),
			zoneId,
			zoneShareClosed: zoneTotal > 0 ? closed / zoneTotal : 0,
			villagesChanged
		};
	});
	const communes = input.communes.map((c) => ({ communeCode: c.communeCode, households: c.households, servedBefore: c.served, servedAfter: Math.min(c.households, c.served + (newlyByCommune.get(c.communeCode) ?? 0)) }));
	return {
		sites,
		communes,
		householdsNewlyCovered: sites.reduce((s, x) => s + x.householdsNewlyCovered, 0),
		demandHouseholds: demand.reduce((s, d) => s + d.households, 0)
	};
}
