import { sql } from 'drizzle-orm';
import { cellToParent } from 'h3-js';
import { CellHierarchy, decodeTile, encodeTile, packCells, unpackCells, levelsOfGroup, TILE_RES, tilesOf, withAnyKeys, type KeyLevels } from '../coverage/predicted-layer';
import { CellGrid } from '../propagation/cell-grid';
import { type BestServers, type LevelAt } from '../propagation/predict';
import { groupsOf, predictAll } from '../propagation/predict-all';
import { settlementOf, type Settlement } from '../propagation/link-budget';
import { Terrain, type ElevationTile } from '../propagation/terrain';
import { settingsFingerprint, type Settings } from '../settings/definitions';
import { SIGNAL_CLASSES, thresholdsFromSettings, type SignalClass, type Technology } from '../signal/classes';
import { addCellsOfArea, cellToDecimal, type AreaGeometry } from '../grid/h3';
import { readDataVersion } from './data-version';
import { insertJsonChunks } from './db/bulk';
import { inTransaction, type Database } from './db/index';
import { readSettings } from './settings';
import { applyCorrections, fitCalibration, readCorrections, type RawGroup } from './calibration';

/**
 * The predicted layer in the database (drizzle/0016_predicted-tiles.sql): every operator ×
 * technology's best-server level per res-9 cell of the province (src/lib/propagation/predict.ts),
 * parents and any-keys by the rules of src/lib/coverage/predicted-layer.ts, stored per res-5 tile.
 * A full prediction computes every tile; a tower change recomputes the tiles within range of the
 * towers that differ from those the stored layer was computed from (`predicted_sites`). Both run
 * the same per-tile computation, so they agree (a test holds them to it).
 */

/** res-9 cells cover ~0.105 km²: people per cell → people per km². */
const RES9_AREA_KM2 = 0.1053;

/** Each cell's settlement from its people per km² (rural without a population layer). */
export const settlementsOf = (grid: CellGrid, people: ReadonlyMap<string, number>, s: Settings): Settlement[] =>
	grid.cells.map((c) => settlementOf(people.has(c) ? people.get(c)! / RES9_AREA_KM2 : null, s));

/** What the stored predictions rest on besides the towers: model, settings, DEM and population. */
const MODEL = 'hata-cost231-deygout-2';

/** A progress report: groups done of all, and what is being done. */
export type PredictProgress = (done: number, total: number, what: string) => void;

interface TowerRow {
	source: string;
	operator_code: string;
	site_code: string;
	technologies: string[];
	antenna_height_m: number | null;
	lng: number;
	lat: number;
}

const readTowers = (db: Database) =>
	db.rows<TowerRow>(sql`
		select source, operator_code, site_code, technologies, antenna_height_m, ST_X(geom) as lng, ST_Y(geom) as lat
		from towers order by operator_code, site_code, source`);

/** Every DEM tile, as the terrain sampler reads them. */
export async function readTerrain(db: Database): Promise<Terrain> {
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
export async function readPopulation(db: Database): Promise<Map<string, number>> {
	const rows = await db.rows<{ h3: string; people: number }>(sql`select to_hex(h3_res9) as h3, sum(population)::float8 as people from population_cells group by h3_res9`);
	return new Map(rows.map((r) => [r.h3, r.people]));
}

/**
 * Where predictions are made: the res-9 cells of the commune boundaries (either set) — the
 * province, not the neighbours' land within a tower's range; without boundaries, every cell
 * within range of a tower. The province's cells are kept in predicted_state for the boundaries'
 * data version (computing them is most of a flat prediction's time otherwise).
 */
async function readUniverse(db: Database, towers: readonly TowerRow[], rangeM: number): Promise<string[]> {
	const version = await readDataVersion(db, ['communes']);
	const [state] = await db.rows<{ universe_version: string; universe: Uint8Array | null }>(sql`select universe_version, universe from predicted_state`);
	if (state.universe_version === version && state.universe) return unpackCells(state.universe);
	const rows = await db.rows<{ g: string }>(sql`select ST_AsGeoJSON(geom, 7) as g from communes`);
	const cells = new Set<string>();
	for (const { g } of rows) addCellsOfArea(JSON.parse(g) as AreaGeometry, 9, cells);
	if (cells.size > 0) {
		const list = [...cells];
		await db.orm.execute(sql`update predicted_state set universe_version = ${version}, universe = decode(${Buffer.from(packCells(list)).toString('base64')}, 'base64')`);
		return list;
	}
	// Only centres within range: every cell then lies in the range of a tower, so a tower change
	// touches the tiles of every cell it adds or removes.
	for (const t of towers) {
		const around = CellGrid.around([t.lng, t.lat], rangeM);
		around.within([t.lng, t.lat], rangeM, (i) => cells.add(around.cells[i]));
	}
	return [...cells];
}

/**
 * What the stored predictions rest on besides the towers (recorded in predicted_state): the model
 * part (model version, boundaries, DEM, population, propagation settings) and, after '#', the
 * class floors — a change of floors alone reclassifies the stored levels without propagating.
 */
async function builtWith(db: Database, s: Settings): Promise<string> {
	return `${MODEL}:${await readDataVersion(db, ['communes', 'dem', 'population'])}:${settingsFingerprint(s, ['propagation.'])}#${settingsFingerprint(s, ['signal.'])}`;
}

/** The stored res-9 best servers of a group on `grid` (the groups a partial run does not recompute). */
async function storedBestServers(db: Database, op: string, tech: string, grid: CellGrid, tiles: readonly string[]): Promise<{ best: BestServers; sites: string[] }> {
	const rows = await db.rows<{ sites: string[]; payload: Uint8Array }>(sql`
		select sites, payload from predicted_tiles
		where operator_code = ${op} and technology = ${tech} and res = 9 and tile = any(${`{${tiles.map(cellToDecimal).join(',')}}`}::bigint[])`);
	const best: BestServers = { dbm: new Float64Array(grid.size).fill(NaN), site: new Int32Array(grid.size).fill(-1) };
	const sites: string[] = [];
	const number = new Map<string, number>();
	for (const r of rows) {
		const t = decodeTile(r.payload, r.sites);
		for (let k = 0; k < t.cells.length; k++) {
			const i = grid.indexOf(t.cells[k]);
			if (i < 0) continue;
			best.dbm[i] = t.dbm[k];
			const code = t.site[k];
			if (code === null) continue;
			if (!number.has(code)) number.set(code, sites.push(code) - 1);
			best.site[i] = number.get(code)!;
		}
	}
	return { best, sites };
}

export interface PredictResult {
	groups: { operator: string; technology: Technology; sites: number; cells: number }[];
	terrain: boolean;
	/** Res-5 tiles recomputed, of those the province has. */
	tiles: number;
	allTiles: number;
}

/**
 * Predicts the groups asked for (default: all) in the tiles asked for (default: all), in the
 * caller's transaction; the other groups of those tiles are read back from the stored layer for
 * the any-keys. Rewrites the tiles' rows and records the towers and settings used.
 */
async function predictTiles(
	db: Database,
	{
		operator,
		technology,
		near,
		onProgress,
		onModelLevels,
		reclassify = false
	}: {
		operator?: string;
		technology?: Technology;
		near?: [number, number][];
		onProgress?: PredictProgress;
		onModelLevels?: (levelAt: LevelAt) => Promise<void>;
		/** Recompute classes, parents and any-keys from the stored levels only (new class floors). */
		reclassify?: boolean;
	}
): Promise<PredictResult> {
	const s = await readSettings(db);
	const rangeM = s['propagation.range_km'] * 1000;
	const towers = await readTowers(db);
	const universe = await readUniverse(db, towers, rangeM);
	const whole = new CellGrid(universe);
	const allTiles = [...new Set(whole.cells.map((c) => cellToParent(c, TILE_RES)))];
	let tiles = allTiles;
	if (near) {
		const touched = new Set<string>();
		for (const position of near) whole.within(position, rangeM, (i) => touched.add(cellToParent(whole.cells[i], TILE_RES)));
		tiles = [...touched];
	}
	const tileSet = new Set(tiles);
	const grid = tiles === allTiles ? whole : new CellGrid(whole.cells.filter((c) => tileSet.has(cellToParent(c, TILE_RES))));
	const h = new CellHierarchy(grid);
	// Reclassifying propagates nothing: terrain and settlements are not needed (the stored flag says whether terrain was used).
	const terrain = reclassify ? null : await readTerrain(db);
	const withTerrain = terrain ? !terrain.isEmpty : (await db.rows<{ terrain: boolean }>(sql`select terrain from predicted_state`))[0].terrain;
	const population = reclassify ? new Map<string, number>() : await readPopulation(db);
	const settlements: Settlement[] = reclassify ? [] : settlementsOf(grid, population, s);
	const t = thresholdsFromSettings(s);
	const groups = groupsOf(towers.map((t) => ({ operatorCode: t.operator_code, siteCode: t.site_code, position: [t.lng, t.lat], antennaHeightM: t.antenna_height_m, technologies: t.technologies })));
	const asked = (g: { op: string; tech: string }) => !reclassify && (!operator || g.op === operator) && (!technology || g.tech === technology);
	const keys: KeyLevels[] = [];
	const askedGroups = groups.filter(asked);
	for (const g of groups) {
		if (asked(g)) continue;
		const stored = await storedBestServers(db, g.op, g.tech, grid, h.tiles);
		keys.push(levelsOfGroup(h, g.op, g.tech, stored.best, stored.sites, t));
	}
	const bests = predictAll(grid, askedGroups, {
		settings: s,
		settlementOf: (i) => settlements[i],
		terrain: terrain && !terrain.isEmpty ? terrain : null,
		onSite: (done, total, id) => (done % 25 === 0 || done === total) && onProgress?.(done, total, id ? `site ${id}` : 'sites')
	});
	const raw: RawGroup[] = askedGroups.map((g, gi) => ({ op: g.op, tech: g.tech, best: bests[gi], sites: g.sites }));
	const out: PredictResult['groups'] = raw.map((r) => ({ operator: r.op, technology: r.tech as Technology, sites: r.sites.length, cells: r.best.dbm.reduce((n, d) => (Number.isNaN(d) ? n : n + 1), 0) }));
	// A whole run refits the calibration from the measured layer; other runs keep the one in force.
	const wholeRun = !operator && !technology && !near;
	if (wholeRun && raw.length > 0) {
		await onModelLevels?.((op, tech, cell) => {
			const r = raw.find((x) => x.op === op && x.tech === tech);
			const i = r ? grid.indexOf(cell) : -1;
			return r && i >= 0 && !Number.isNaN(r.best.dbm[i]) ? r.best.dbm[i] : null;
		});
		await fitCalibration(db, grid, raw, settlements, s);
	}
	const corrections = await readCorrections(db);
	for (const r of raw) {
		applyCorrections(r, grid, settlements, corrections);
		keys.push(levelsOfGroup(h, r.op, r.tech as Technology, r.best, r.sites.map((x) => x.id), t));
	}
	const rows = tilesOf(h, withAnyKeys(h, keys)).map((tile) => {
		const { payload, sites } = encodeTile(h, tile);
		return { op: tile.operator, tech: tile.technology, res: tile.res, tile: cellToDecimal(tile.tile), cells: tile.index.length, sites, payload: Buffer.from(payload).toString('base64') };
	});
	if (tiles === allTiles) await db.orm.execute(sql`delete from predicted_tiles`);
	else await db.orm.execute(sql`delete from predicted_tiles where tile = any(${`{${tiles.map(cellToDecimal).join(',')}}`}::bigint[])`);
	await insertJsonChunks(
		db,
		rows,
		(json) => sql`
			insert into predicted_tiles (operator_code, technology, res, tile, cells, sites, payload)
			select r.op, r.tech, r.res, r.tile::bigint, r.cells, r.sites, decode(r.payload, 'base64')
			from json_to_recordset(${json}) as r(op text, tech text, res smallint, tile text, cells int, sites text[], payload text)`,
		500
	);
	// Every group recomputed where towers could change it: the towers are now those it rests on. A
	// run for some groups leaves that to the next change (which then also recomputes the others).
	if (!operator && !technology && !reclassify) {
		await db.orm.execute(sql`delete from predicted_sites`);
		await db.orm.execute(sql`
			insert into predicted_sites (source, operator_code, site_code, technologies, antenna_height_m, lng, lat)
			select source, operator_code, site_code, technologies, antenna_height_m, ST_X(geom), ST_Y(geom) from towers`);
	}
	// Only a whole run vouches for the settings, boundaries, DEM and population it used.
	if (!operator && !technology && !near) await db.orm.execute(sql`update predicted_state set built_with = ${await builtWith(db, s)}, terrain = ${withTerrain}, built_at = now()`);
	return { groups: out, terrain: withTerrain, tiles: tiles.length, allTiles: allTiles.length };
}

/**
 * Predicts every operator × technology (or the ones asked for) from the towers, in the caller's
 * transaction, and records what it rested on. A whole run refits the calibration against the
 * measured layer (after `onModelLevels`, which sees the model's own levels — the demo seed makes
 * its reports from them) and stores levels with it applied.
 */
export function predictCoverage(
	db: Database,
	options: { operator?: string; technology?: Technology; onProgress?: PredictProgress; onModelLevels?: (levelAt: LevelAt) => Promise<void> } = {}
): Promise<PredictResult> {
	return predictTiles(db, options);
}

/**
 * After towers changed (an import, its undo, an edit), in the same transaction: recomputes the
 * tiles within range of every tower that differs — added, removed, moved, other technologies or
 * height — from those the layer was computed from. Returns null when nothing differs.
 */
export async function updatePredicted(db: Database, onProgress?: PredictProgress): Promise<PredictResult | null> {
	const changed = await db.rows<{ lng: number; lat: number }>(sql`
		with current as (select source, operator_code, site_code, technologies, antenna_height_m, ST_X(geom) as lng, ST_Y(geom) as lat from towers),
		differs as (
			(select * from current except select * from predicted_sites)
			union all
			(select * from predicted_sites except select * from current))
		select distinct lng, lat from differs`);
	if (changed.length === 0) return null;
	return predictTiles(db, { near: changed.map((c) => [c.lng, c.lat]), onProgress });
}

/**
 * Predicts everything again when the stored layer was computed with other settings, boundaries,
 * DEM or population, or by another model version (at start, after `settings set`). Returns whether it ran.
 */
export async function ensurePredictedCurrent(db: Database, onProgress?: PredictProgress): Promise<boolean> {
	return inTransaction(db, async (tx) => {
		await tx.orm.execute(sql`select 1 from predicted_state for update`);
		const [state] = await tx.rows<{ built_with: string }>(sql`select built_with from predicted_state`);
		const wanted = await builtWith(tx, await readSettings(tx));
		if (state.built_with === wanted) return false;
		await predictTiles(tx, { reclassify: state.built_with.split('#')[0] === wanted.split('#')[0], onProgress });
		return true;
	});
}

/** One predicted cell as served. */
export interface PredictedCell {
	h3: string;
	class: SignalClass;
	dbm: number;
	/** Res 9: the best server's site code. */
	site: string | null;
	/** Res-9 cells the figure rests on. */
	cells: number;
}

/** Every predicted cell of a resolution, operator and technology ('*' = any), sorted by cell. */
export async function predictedCells(db: Database, res: number, operator: string, technology: string): Promise<PredictedCell[]> {
	const rows = await db.rows<{ sites: string[]; payload: Uint8Array }>(sql`
		select sites, payload from predicted_tiles where res = ${res} and operator_code = ${operator} and technology = ${technology} order by tile`);
	const out: PredictedCell[] = [];
	for (const r of rows) {
		const t = decodeTile(r.payload, r.sites);
		for (let k = 0; k < t.cells.length; k++) out.push({ h3: t.cells[k], class: SIGNAL_CLASSES[t.classIndex[k]], dbm: Math.round(t.dbm[k] * 10) / 10, site: t.site[k], cells: t.count[k] });
	}
	return out.sort((a, b) => (a.h3 < b.h3 ? -1 : a.h3 > b.h3 ? 1 : 0));
}
