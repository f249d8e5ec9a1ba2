import { sql } from 'drizzle-orm';
import { cellArea, cellToParent } from 'h3-js';
import type { Bbox } from '../api/params';
import type { FiberCommunesPayload, PopulationCellsPayload } from '../coverage/payload';
import { ANY_OPERATOR } from '../coverage/scorecard';
import { cachePerDatabase } from './data-version';
import type { Database } from './db/index';
import { householdLayer, householdsAt } from './households';
import { cellCentreInBbox } from './report-cells';
import { fiberByCommune } from './scorecard-inputs';

/**
 * The explorer's context layers: population density per H3 cell and fiber household coverage per
 * commune. Both are aggregates of public or published figures (a population raster, commune
 * household counts, operators' fiber counts), so every caller gets them.
 */

const densityCache = cachePerDatabase<{ cell: string; households: number; people: number; perKm2: number }[]>(8);

/** Households, people and households per km² of the cells (res 7 or 8) whose centre lies in `bbox`. */
export async function populationCellsInBbox(db: Database, bbox: Bbox, res: 7 | 8): Promise<PopulationCellsPayload> {
	const layer = await householdLayer(db);
	const all = await densityCache(db).get(`res${res}`, layer.version, async () => {
		const people = new Map<string, number>();
		for (const [cell, n] of layer.people) {
			const parent = cellToParent(cell, res);
			people.set(parent, (people.get(parent) ?? 0) + n);
		}
		return [...householdsAt(layer, res)]
			.filter(([, households]) => households > 0)
			.map(([cell, households]) => ({ cell, households, people: people.get(cell) ?? 0, perKm2: households / cellArea(cell, 'km2') }))
			.sort((a, b) => (a.cell < b.cell ? -1 : 1));
	});
	const shown = all.filter((c) => cellCentreInBbox(c.cell, bbox));
	const round1 = (n: number) => Math.round(n * 10) / 10;
	return { res, cells: shown.map((c) => c.cell), households: shown.map((c) => round1(c.households)), people: shown.map((c) => Math.round(c.people)), householdsPerKm2: shown.map((c) => round1(c.perKm2)) };
}

/**
 * Fiber households per 2025 commune for `operator` (null: any operator — per unit the largest
 * total and a lower bound of households passed, as the scorecards count them).
 */
export async function fiberCommunes(db: Database, operator: string | null): Promise<FiberCommunesPayload> {
	const view = operator ?? ANY_OPERATOR;
	const byView = await fiberByCommune(db, operator ? [operator] : []);
	const communes = [...(byView.get(view) ?? new Map()).entries()].sort(([a], [b]) => (a < b ? -1 : 1));
	const [meta] = await db.rows<{ as_of: string | null; synthetic: boolean | null }>(sql`
		select max(as_of)::text as as_of, bool_or(synthetic) as synthetic from fiber_coverage
		where ${operator === null ? sql`true` : sql`operator_code = ${operator}`}`);
	return {
		operator,
		asOf: meta?.as_of ?? null,
		codes: communes.map(([code]) => code),
		householdsTotal: communes.map(([, f]) => f.total),
		householdsPassed: communes.map(([, f]) => f.passed),
		householdsConnected: communes.map(([, f]) => f.connected),
		synthetic: meta?.synthetic ?? false
	};
}
