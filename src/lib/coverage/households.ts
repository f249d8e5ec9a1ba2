/**
 * Households per res-9 cell: where people live, so a dead zone and a village can say how many
 * households they hold. A commune's household count (the census or the province's own) is spread
 * over the commune's cells by a dasymetric rule (Eicher & Brewer 2001: spread a zone's total by an
 * ancillary layer saying where people are), the best ancillary layer first:
 *
 *   1. `population` — the population raster (e.g. WorldPop) where it has people in the commune:
 *      households in proportion to people per cell;
 *   2. `settled` — cells near a village or a public site (school, health station, commune office):
 *      shared equally among them;
 *   3. `even` — every cell of the commune alike.
 *
 * A commune without a household count takes the raster's people divided by the average household
 * size (rule `population`), or nothing. Every figure is an estimate — only rule 1 rests on counts
 * of people per cell — and each cell says which rule gave it. Pure.
 */

export type HouseholdRule = 'population' | 'settled' | 'even';

export interface CommuneCells {
	code: string;
	/** Households counted in the commune; null: unknown. */
	households: number | null;
	/** Its res-9 cells (centres inside the boundary). */
	cells: readonly string[];
}

export interface CellHouseholds {
	h3: string;
	commune: string;
	households: number;
	rule: HouseholdRule;
}

export interface SpreadOptions {
	/** People per res-9 cell from the population raster (absent: none imported). */
	people: ReadonlyMap<string, number>;
	/** Cells near a village or public site. */
	settled: ReadonlySet<string>;
	/** People per household where a commune's count is unknown (setting `households.people_per_household`). */
	householdSize: number;
}

/** Spreads each commune's households over its cells by the first rule that applies (see above). */
export function spreadHouseholds(communes: readonly CommuneCells[], { people, settled, householdSize }: SpreadOptions): CellHouseholds[] {
	if (!(householdSize > 0)) throw new RangeError(`householdSize must be > 0, got ${householdSize}`);
	const out: CellHouseholds[] = [];
	for (const commune of communes) {
		const { code, cells, households } = commune;
		if (cells.length === 0) continue;
		if (households !== null && !(households >= 0)) throw new RangeError(`commune ${code}: households must be ≥ 0 or null, got ${households}`);
		let peopleSum = 0;
		for (const c of cells) peopleSum += people.get(c) ?? 0;
		if (peopleSum > 0) {
			const scale = households === null ? 1 / householdSize : households / peopleSum;
			for (const c of cells) {
				const p = people.get(c) ?? 0;
				if (p > 0) out.push({ h3: c, commune: code, households: p * scale, rule: 'population' });
			}
			continue;
		}
		if (households === null || households === 0) continue;
		const near = cells.filter((c) => settled.has(c));
		const over = near.length > 0 ? near : cells;
		const rule: HouseholdRule = near.length > 0 ? 'settled' : 'even';
		const each = households / over.length;
		for (const c of over) out.push({ h3: c, commune: code, households: each, rule });
	}
	return out;
}
