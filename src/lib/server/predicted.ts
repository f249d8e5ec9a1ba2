import { sql } from 'drizzle-orm';
import { cellToParent } from 'h3-js';
import { ANY } from '../coverage/measured';
import { bestServer, predictSite, siteGeometry, type PredictionSite, type SiteGeometry } from '../propagation/predict';
import { settlementOf } from '../propagation/link-budget';
import { Terrain, type ElevationTile } from '../propagation/terrain';
import { settingsFingerprint, type Settings } from '../settings/definitions';
import { classifyByFloors, TECHNOLOGIES, thresholdsFromSettings, type SignalClass, type Technology } from '../signal/classes';
import { cellToDecimal } from '../grid/h3';
import { readDataVersion } from './data-version';
import { insertJsonChunks } from './db/bulk';
import type { Database } from './db/index';
import { readSettings } from './settings';

/**
 * The predicted layer in the database (drizzle/0015_predicted.sql): for every operator × technology
 * its towers' best-server level per res-9 cell (src/lib/propagation/predict.ts), parents at res
 * 6–8 as the lower median of their predicted children, and any technology / any operator as the
 * best key below. Recomputed per (operator, technology) in the caller's transaction.
 */

/** res-9 cells cover ~0.105 km²: people per cell → people per km². */
const RES9_AREA_KM2 = 0.1053;

/** A progress report: groups done of all, and what is being done. */
export type PredictProgress = (done: number, total: number, what: string) => void;

interface TowerRow {
	operator_code: string;
	site_code: string;
	technologies: string[];
	antenna_height_m: number | null;
	lng: number;
	lat: number;
}

/** Every DEM tile, as the terrain sampler reads them. */
async function readTerrain(db: Database): Promise<Terrain> {
	const rows = await db.rows<{ west: number; north: number; pixel_width: number; pixel_height: number; width: number; height: number; nodata: number | null; elevations: Uint8Array }>(sql`
		select west, north, pixel_width, pixel_height, width, height, nodata, elevations from dem_tiles order by id`);
	const tiles: ElevationTile[] = rows.map((r) => {
		const bytes = new Uint8Array(r.elevations.byteLength);
		bytes.set(r.elevations);
		return { west: r.west, north: r.north, pixelWidth: r.pixel_width, pixelHeight: r.pixel_height, width: r.width, height: r.height, nodata: r.nodata, elevations: new Int16Array(bytes.buffer) };
	});
	return new Terrain(tiles);
}

/** People per res-9 cell (hex) from the population layer; empty without one. */
async function readPopulation(db: Database): Promise<Map<string, number>> {
	const rows = await db.rows<{ h3: string; people: number }>(sql`select to_hex(h3_res9) as h3, sum(population)::float8 as people from population_cells group by h3_res9`);
	return new Map(rows.map((r) => [r.h3, r.people]));
}

/** A stored row. */
interface PredictedRow {
	res: number;
	cell: string;
	op: string;
	tech: string;
	dbm: number;
	class: SignalClass;
	site: string | null;
	cells: number;
}

/** The class of a level for a technology (RSRP floors for 4G/5G, RSSI for 2G/3G). */
function classOf(dbm: number, technology: Technology, s: Settings): SignalClass {
	const t = thresholdsFromSettings(s);
	return classifyByFloors(dbm, technology === '4G' || technology === '5G' ? t.rsrpDbm : t.rssiDbm);
}

/** Res-9 best servers → rows for res 9 and the lower-median parents at 8, 7, 6. */
function rowsOf(op: string, tech: Technology, best: Map<string, { dbm: number; siteId: string }>, s: Settings): PredictedRow[] {
	const rows: PredictedRow[] = [];
	for (const [cell, b] of best) rows.push({ res: 9, cell, op, tech, dbm: b.dbm, class: classOf(b.dbm, tech, s), site: b.siteId, cells: 1 });
	for (const res of [8, 7, 6]) {
		const children = new Map<string, number[]>();
		for (const [cell, b] of best) {
			const parent = cellToParent(cell, res);
			let list = children.get(parent);
			if (!list) children.set(parent, (list = []));
			list.push(b.dbm);
		}
		for (const [cell, levels] of children) {
			levels.sort((a, b) => a - b);
			const median = levels[Math.floor((levels.length - 1) / 2)];
			rows.push({ res, cell, op, tech, dbm: median, class: classOf(median, tech, s), site: null, cells: levels.length });
		}
	}
	return rows;
}

async function writeRows(db: Database, rows: PredictedRow[]): Promise<void> {
	await insertJsonChunks(
		db,
		rows.map((r) => ({ ...r, cell: cellToDecimal(r.cell) })),
		(json) => sql`
			insert into predicted_cells (res, cell, operator_code, technology, dbm, class, site_code, cells)
			select r.res, r.cell::bigint, r.op, r.tech, r.dbm, r.class, r.site, r.cells
			from json_to_recordset(${json}) as r(res smallint, cell text, op text, tech text, dbm real, class text, site text, cells int)`
	);
}

/** Any technology per operator, then any operator: the best class below, and the strongest level of that class. */
async function refreshBestOf(db: Database): Promise<void> {
	await db.orm.execute(sql`delete from predicted_cells where operator_code = ${ANY} or technology = ${ANY}`);
	// Technologies into their operator first, then operators into any×any.
	for (const [parentOp, where] of [
		[sql`p.operator_code`, sql`p.operator_code <> ${ANY} and p.technology <> ${ANY}`],
		[sql.raw(`'${ANY}'::text`), sql`p.operator_code <> ${ANY} and p.technology = ${ANY}`]
	] as const) {
		await db.orm.execute(sql`
			insert into predicted_cells (res, cell, operator_code, technology, dbm, class, site_code, cells)
			select distinct on (p.res, p.cell, ${parentOp}) p.res, p.cell, ${parentOp}, ${ANY}, p.dbm, p.class, p.site_code, p.cells
			from predicted_cells p where ${where}
			order by p.res, p.cell, ${parentOp}, array_position(array['good', 'fair', 'poor', 'dead'], p.class), p.dbm desc, p.operator_code, p.technology`);
	}
}

/** What the stored predictions rest on: the model, the propagation and signal settings, towers and DEM. */
async function builtWith(db: Database, s: Settings): Promise<string> {
	return `hata-cost231-deygout-1:${await readDataVersion(db, ['towers', 'dem', 'population'])}:${settingsFingerprint(s, ['propagation.', 'signal.'])}`;
}

/**
 * Predicts every operator × technology (or the ones asked for) from the towers, in the caller's
 * transaction, and records what it rested on. Returns the counts per group and whether terrain was used.
 */
export async function predictCoverage(
	db: Database,
	{ operator, technology, onProgress }: { operator?: string; technology?: Technology; onProgress?: PredictProgress } = {}
): Promise<{ groups: { operator: string; technology: Technology; sites: number; cells: number }[]; terrain: boolean }> {
	const s = await readSettings(db);
	const towers = await db.rows<TowerRow>(sql`
		select operator_code, site_code, technologies, antenna_height_m, ST_X(geom) as lng, ST_Y(geom) as lat from towers
		where ${operator ? sql`operator_code = ${operator}` : sql`true`} order by operator_code, site_code`);
	const terrain = await readTerrain(db);
	const population = await readPopulation(db);
	const settlement = (cell: string) => settlementOf(population.has(cell) ? population.get(cell)! / RES9_AREA_KM2 : null, s);
	const groups = new Map<string, { op: string; tech: Technology; sites: PredictionSite[] }>();
	for (const t of towers) {
		for (const tech of t.technologies) {
			if (!(TECHNOLOGIES as readonly string[]).includes(tech) || (technology && tech !== technology)) continue;
			const key = `${t.operator_code}|${tech}`;
			let g = groups.get(key);
			if (!g) groups.set(key, (g = { op: t.operator_code, tech: tech as Technology, sites: [] }));
			g.sites.push({ id: t.site_code, position: [t.lng, t.lat], antennaHeightM: t.antenna_height_m });
		}
	}
	// Only the groups asked for are replaced; the rest stay as they are.
	await db.orm.execute(sql`
		delete from predicted_cells where ${operator ? sql`operator_code = ${operator}` : sql`true`} and ${technology ? sql`technology = ${technology}` : sql`true`}`);
	// A site's cells and distances are the same for all its technologies: computed once, kept while
	// its operator's groups run (groups come operator by operator).
	const rangeM = s['propagation.range_km'] * 1000;
	const geometries = new Map<string, SiteGeometry>();
	let geometryOperator = '';
	const out: { operator: string; technology: Technology; sites: number; cells: number }[] = [];
	let done = 0;
	for (const g of [...groups.values()].sort((a, b) => (a.op < b.op ? -1 : a.op > b.op ? 1 : a.tech < b.tech ? -1 : 1))) {
		if (g.op !== geometryOperator) (geometries.clear(), (geometryOperator = g.op));
		onProgress?.(done, groups.size, `${g.op} ${g.tech}: ${g.sites.length} sites`);
		const ctx = { technology: g.tech, settings: s, settlementOf: settlement, terrain: terrain.isEmpty ? null : terrain };
		const best = bestServer(
			g.sites.map((site) => {
				let geometry = geometries.get(site.id);
				if (!geometry) geometries.set(site.id, (geometry = siteGeometry(site.position, rangeM)));
				return [site.id, predictSite(site, ctx, geometry)] as [string, Map<string, number>];
			})
		);
		await writeRows(db, rowsOf(g.op, g.tech, best, s));
		out.push({ operator: g.op, technology: g.tech, sites: g.sites.length, cells: best.size });
		onProgress?.(++done, groups.size, `${g.op} ${g.tech}`);
	}
	await refreshBestOf(db);
	await db.orm.execute(sql`update predicted_state set built_with = ${await builtWith(db, s)}, terrain = ${!terrain.isEmpty}, built_at = now()`);
	return { groups: out, terrain: !terrain.isEmpty };
}

/** One predicted cell as served. */
export interface PredictedCell {
	h3: string;
	class: SignalClass;
	dbm: number;
}

/** Every predicted cell of a resolution, operator and technology ('*' = any). */
export async function predictedCells(db: Database, res: number, operator: string, technology: string): Promise<PredictedCell[]> {
	const rows = await db.rows<{ cell: string; class: SignalClass; dbm: number }>(sql`
		select to_hex(cell) as cell, class, dbm from predicted_cells where res = ${res} and operator_code = ${operator} and technology = ${technology} order by cell`);
	return rows.map((r) => ({ h3: r.cell, class: r.class, dbm: Math.round(r.dbm * 10) / 10 }));
}

