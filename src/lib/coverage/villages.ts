import type { SignalClass } from '../signal/classes';

/**
 * A village's (thôn, bản, tổ dân phố) mobile status, by the provinces' two-tier count
 * (../shared/DOMAIN.md, "what a dead zone is"; Công văn 1603/BTTTT-CVT, unverified):
 *
 *   - `trang_song` (thôn trắng sóng): no usable signal at the village centre;
 *   - `lom_song`   (thôn lõm sóng): the centre is served, but populated cells of the village —
 *     within `village.radius_km` of the centre — holding at least `village.lom_min_households`
 *     households are not;
 *   - `co_song`    : served at the centre and in its populated cells.
 *
 * "Usable" is the fused best estimate's good or fair; poor, dead and no estimate at all are not
 * usable (a village where nothing is known is not counted as served). Pure.
 */

export const VILLAGE_STATUSES = ['trang_song', 'lom_song', 'co_song'] as const;
export type VillageStatus = (typeof VILLAGE_STATUSES)[number];

export const isUsable = (c: SignalClass | null) => c === 'good' || c === 'fair';

/** One cell of a village's area: its best estimate and households. */
export interface VillageCell {
	h3: string;
	class: SignalClass | null;
	/** Which evidence decided (measured, measured-parent, predicted, declared), or null. */
	source: string | null;
	households: number;
}

/** What a village's status rests on. */
export interface VillageEvidence {
	status: VillageStatus;
	/** The best estimate at the centre and where it came from. */
	centreClass: SignalClass | null;
	centreSource: string | null;
	/** Populated cells of the village without usable signal, and their households. */
	unservedCells: string[];
	unservedHouseholds: number;
	/** Households in the village's populated cells. */
	households: number;
}

/**
 * The status of one village from its centre cell's estimate and its area's cells (the centre's
 * own included). `minHouseholds`: the households in unserved cells that make a village lõm sóng.
 */
export function villageStatus(centre: VillageCell, area: readonly VillageCell[], { minHouseholds }: { minHouseholds: number }): VillageEvidence {
	if (!(minHouseholds >= 0)) throw new RangeError(`minHouseholds must be ≥ 0, got ${minHouseholds}`);
	const unservedCells: string[] = [];
	let unservedHouseholds = 0;
	let households = 0;
	for (const c of area) {
		if (!(c.households > 0)) continue;
		households += c.households;
		if (!isUsable(c.class)) {
			unservedCells.push(c.h3);
			unservedHouseholds += c.households;
		}
	}
	const status: VillageStatus = !isUsable(centre.class) ? 'trang_song' : unservedCells.length > 0 && unservedHouseholds >= minHouseholds ? 'lom_song' : 'co_song';
	return { status, centreClass: centre.class, centreSource: centre.source, unservedCells: unservedCells.sort(), unservedHouseholds, households };
}

/** An imported village with the province's own status, beside ours. */
export interface OfficialComparison {
	id: number;
	name: string;
	official: VillageStatus;
	ours: VillageStatus;
	agrees: boolean;
}

/** How the province's register compares with our statuses: per village, and counts by (official, ours). */
export function compareWithOfficial(villages: readonly { id: number; name: string; official: VillageStatus | null; ours: VillageStatus }[]): {
	rows: OfficialComparison[];
	agreements: number;
	disagreements: number;
	matrix: Record<VillageStatus, Record<VillageStatus, number>>;
} {
	const zero = (): Record<VillageStatus, number> => ({ trang_song: 0, lom_song: 0, co_song: 0 });
	const matrix = { trang_song: zero(), lom_song: zero(), co_song: zero() };
	const rows: OfficialComparison[] = [];
	for (const v of villages) {
		if (v.official === null) continue;
		matrix[v.official][v.ours]++;
		rows.push({ id: v.id, name: v.name, official: v.official, ours: v.ours, agrees: v.official === v.ours });
	}
	const agreements = rows.filter((r) => r.agrees).length;
	return { rows, agreements, disagreements: rows.length - agreements, matrix };
}
