import { sql } from 'drizzle-orm';
import { cellToChildren, cellToParent } from 'h3-js';
import { spreadHouseholds, type CommuneCells, type HouseholdRule } from '../coverage/households';
import type { CommuneRef } from '../coverage/payload';
import { addCellsOfArea, cellsWithinKm, type AreaGeometry } from '../grid/h3';
import { cachePerDatabase, readDataVersion } from './data-version';
import type { Database } from './db/index';
import { readSettings } from './settings';

/**
 * Households per res-9 cell (src/lib/coverage/households.ts has the rule) and which communes of
 * each boundary set a cell lies in — what dead zones, villages and stale cells count. Computed
 * from the communes, the population raster, villages and public sites, and kept for their data
 * versions (a few hundred ms for a province; nothing else writes it).
 */

export type { CommuneRef };

export interface HouseholdLayer {
	version: string;
	/** Households per res-9 cell (cells without any are absent). */
	households: Map<string, number>;
	rule: Map<string, HouseholdRule>;
	/** People per res-9 cell from the population raster (empty without one). */
	people: Map<string, number>;
	/** The communes a res-9 cell lies in: one per boundary set loaded. */
	communesOf: Map<string, CommuneRef[]>;
	peoplePerHousehold: number;
	/** The boundary set whose household counts were spread. */
	spreadSet: '2025' | 'pre2025' | null;
}

/** The data versions the households rest on. */
export const HOUSEHOLD_LAYERS = ['communes', 'population', 'villages', 'facilities', 'settings'] as const;
export const householdsVersion = (db: Database) => readDataVersion(db, HOUSEHOLD_LAYERS);

const cache = cachePerDatabase<HouseholdLayer>(4);

export async function householdLayer(db: Database, known?: string): Promise<HouseholdLayer> {
	const version = known ?? (await householdsVersion(db));
	return cache(db).get('households', version, () => computeHouseholds(db, version));
}

async function computeHouseholds(db: Database, version: string): Promise<HouseholdLayer> {
	const settings = await readSettings(db);
	const communes = await db.rows<{ code: string; name: string; boundary_set: '2025' | 'pre2025'; households: number | null; g: string }>(sql`
		select code, name, boundary_set, households, ST_AsGeoJSON(geom, 7) as g from communes order by boundary_set, code`);
	const people = new Map(
		(await db.rows<{ h3: string; people: number }>(sql`select to_hex(h3_res9) as h3, sum(population)::float8 as people from population_cells group by h3_res9`)).map((r) => [r.h3, r.people])
	);
	const sites = await db.rows<{ lng: number; lat: number }>(sql`
		select ST_X(geom) as lng, ST_Y(geom) as lat from villages
		union all select ST_X(geom), ST_Y(geom) from facilities where facility_type in ('school', 'health_station', 'commune_office')`);
	const settled = new Set<string>();
	const radiusKm = settings['households.settled_radius_km'];
	for (const s of sites) for (const c of cellsWithinKm([s.lng, s.lat], radiusKm)) settled.add(c);

	const communesOf = new Map<string, CommuneRef[]>();
	const bySet: Record<'2025' | 'pre2025', CommuneCells[]> = { '2025': [], pre2025: [] };
	for (const c of communes) {
		const cells = [...addCellsOfArea(JSON.parse(c.g) as AreaGeometry, 9)];
		bySet[c.boundary_set].push({ code: c.code, households: c.households, cells });
		const ref: CommuneRef = { code: c.code, name: c.name, set: c.boundary_set };
		for (const cell of cells) {
			const refs = communesOf.get(cell);
			if (refs) refs.push(ref);
			else communesOf.set(cell, [ref]);
		}
	}
	// The 2025 units' counts when they have any (the current units), else the older ones'.
	const counted = (set: '2025' | 'pre2025') => bySet[set].some((c) => c.households !== null);
	const spreadSet = counted('2025') ? '2025' : counted('pre2025') ? 'pre2025' : bySet['2025'].length > 0 ? '2025' : bySet.pre2025.length > 0 ? 'pre2025' : null;
	const peoplePerHousehold = settings['households.people_per_household'];
	const spread = spreadSet ? spreadHouseholds(bySet[spreadSet], { people, settled, householdSize: peoplePerHousehold }) : [];
	const households = new Map<string, number>();
	const rule = new Map<string, HouseholdRule>();
	for (const r of spread) {
		households.set(r.h3, r.households);
		rule.set(r.h3, r.rule);
	}
	return { version, households, rule, people, communesOf, peoplePerHousehold, spreadSet };
}

const coarser = new WeakMap<HouseholdLayer, Map<number, Map<string, number>>>();

/** Households per cell at `res` (≤ 9): res-9 figures summed into their parents. */
export function householdsAt(layer: HouseholdLayer, res: number): Map<string, number> {
	if (res === 9) return layer.households;
	let byRes = coarser.get(layer);
	if (!byRes) coarser.set(layer, (byRes = new Map()));
	let map = byRes.get(res);
	if (!map) {
		map = new Map();
		for (const [c, h] of layer.households) {
			const p = cellToParent(c, res);
			map.set(p, (map.get(p) ?? 0) + h);
		}
		byRes.set(res, map);
	}
	return map;
}

/** The res-9 cells of a cell of resolution ≤ 9. */
export const res9CellsOf = (cell: string, res: number) => (res === 9 ? [cell] : cellToChildren(cell, 9));
