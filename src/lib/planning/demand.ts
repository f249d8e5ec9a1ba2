/**
 * Demand for a plan (issue 16): the populated cells the fused layers call poor or dead for the
 * chosen operator (or for every operator), weighted by households, with optional extra weight for
 * open residents' reports, households in villages trắng/lõm sóng and public facilities (the
 * `planning.weight.*` settings). Pure.
 */

export interface DemandCellInput {
	h3: string;
	/** The fused best estimate is poor or dead (or the cell has no estimate at all). */
	unserved: boolean;
	households: number;
	/** Distinct residents with an open report in the cell. */
	openReporters: number;
	/** The cell belongs to a village that is trắng or lõm sóng. */
	inFlaggedVillage: boolean;
	/** Schools, health stations and commune offices in the cell. */
	facilities: number;
	communeCode: string | null;
	/** The dead zone the cell belongs to, if any. */
	zoneId: number | null;
}

export interface DemandWeights {
	/** Households-equivalent per open reporter. */
	openReporter: number;
	/** Extra weight per household of a flagged village (0.5: a household there counts 1.5). */
	village: number;
	/** Households-equivalent per facility. */
	facility: number;
}

export interface DemandCell {
	h3: string;
	households: number;
	/** What covering it is worth to the solver. */
	weight: number;
	communeCode: string | null;
	zoneId: number | null;
}

export function weightsFromSettings(s: { 'planning.weight.open_reporter': number; 'planning.weight.village': number; 'planning.weight.facility': number }): DemandWeights {
	return { openReporter: s['planning.weight.open_reporter'], village: s['planning.weight.village'], facility: s['planning.weight.facility'] };
}

/** The unserved cells that hold anyone or anything to serve, each with its weight; in cell order. */
export function demandOf(cells: Iterable<DemandCellInput>, w: DemandWeights): DemandCell[] {
	const out: DemandCell[] = [];
	for (const c of cells) {
		if (!c.unserved) continue;
		const weight = c.households * (1 + (c.inFlaggedVillage ? w.village : 0)) + c.openReporters * w.openReporter + c.facilities * w.facility;
		if (!(weight > 0)) continue;
		out.push({ h3: c.h3, households: c.households, weight, communeCode: c.communeCode, zoneId: c.zoneId });
	}
	return out.sort((a, b) => (a.h3 < b.h3 ? -1 : a.h3 > b.h3 ? 1 : 0));
}
