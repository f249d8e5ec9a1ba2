import { sql } from 'drizzle-orm';
import { cellArea, cellToParent, cellsToMultiPolygon, UNITS } from 'h3-js';
import type { MultiPolygon } from 'geojson';
import { ANY, dayOf } from '../coverage/measured';
import { assignStableIds, connectedComponents, updateComponents, type Component, type PreviousZone } from '../coverage/zone-components';
import { packCells, unpackCells } from '../coverage/predicted-layer';
import type { DeadZoneCollection, DominantSource } from '../coverage/payload';
import { bboxesOverlap, outerRingsBbox, type Bbox } from '../grid/bbox';
import { inTransaction, type Database } from './db/index';
import { readAnalysisVersions, type AnalysisVersions } from './analysis-versions';
import { affectedCells, findRow } from '../grid/sorted-cells';
import { fusedCells, measuredChangesSince, movedCells, type FusedRow } from './fused';
import { householdLayer, householdsAt, res9CellsOf, type CommuneRef, type HouseholdLayer } from './households';
import { openReportsAt, type OpenCell } from './open-reports';
import { readSettings } from './settings';

/**
 * Dead zones (vùng lõm): connected groups of populated cells where the fused best estimate — of
 * one operator, or of the best operator ("no operator serves") — is poor or dead, with the
 * households inside. Each set of zones is stored with what it was built from
 * (drizzle/0018_villages-dead-zones.sql), so ids stay stable across recomputations and processes:
 * the next computation grows again only the zones that changed cells touch
 * (src/lib/coverage/zone-components.ts updateComponents), keeps the others as they were, and gives
 * the changed ones the id of the zone they overlap most (Jaccard ≥ 0.5; a split keeps it on its
 * largest part). Tests hold the incremental result equal to a full one.
 */

export interface DeadZoneOptions {
	/** 8 for the public (measured evidence only with k reporters), 9 for planners. */
	res: 8 | 9;
	/** An operator code, or null: no operator serves. */
	operator: string | null;
	minReporters: number;
	today?: Date;
}

export type { DominantSource };

export interface DeadZone {
	id: number;
	cells: string[];
	geometry: MultiPolygon;
	/** The outline's [west, south, east, north]. */
	bbox: Bbox;
	areaKm2: number;
	households: number;
	/** People: the population raster's where it has any, else households × people per household. */
	population: number;
	communes: CommuneRef[];
	/** Residents' reports inside within `deadzone.open_report_days`, and their distinct reporters. */
	openReports: number;
	openReporters: number;
	/** The source that decided most of its cells (the res-8 parent's measurements count as measured). */
	dominantSource: DominantSource;
	/** Cells by the estimate: poor and dead. */
	poorCells: number;
	deadCells: number;
}

export interface DeadZoneSet {
	key: string;
	builtFrom: string;
	zones: DeadZone[];
	/** How the set was brought up to date (for tests and the benchmark). */
	how: 'cached' | 'stored' | 'incremental' | 'full';
	/** Zones grown again (the rest were kept as they were). */
	grown: number;
}

const unserved = (r: FusedRow) => r.fused.class === 'poor' || r.fused.class === 'dead';

const setKey = (o: DeadZoneOptions) => `${o.res}:${o.operator ?? ANY}:k${o.minReporters}`;

interface Entry {
	builtFrom: string;
	/** What dead_zone_sets.built_from said once this entry was made (it lags when nothing had to be written). */
	storedFrom: string;
	set: DeadZoneSet;
	/** What it was computed from, so the next computation can keep the figures of zones nothing touched. */
	fused: string;
	households: string;
	day: number;
	/** The populated unserved cells, and the fused rows they were read from. */
	current: ReadonlySet<string>;
	rows: readonly FusedRow[];
}
const entriesOf = new WeakMap<object, Map<string, Promise<Entry>>>();

/**
 * The dead zones of one resolution and operator, current with the fused layer and the households.
 * `full`: grow every zone again instead of the changed ones, and draw every outline again (the
 * rebuild, the tests and the benchmark's baseline).
 */
export async function deadZones(db: Database, o: DeadZoneOptions, { full = false, versions }: { full?: boolean; versions?: AnalysisVersions } = {}): Promise<DeadZoneSet> {
	const key = setKey(o);
	const { fused, households } = versions ?? (await readAnalysisVersions(db));
	const day = dayOf((o.today ?? new Date()).toISOString());
	const builtFrom = `${fused}|${households}|${day}`;
	let entries = entriesOf.get(db.orm as object);
	if (!entries) entriesOf.set(db.orm as object, (entries = new Map()));
	const known = await entries.get(key)?.catch(() => null);
	if (!full && known && known.builtFrom === builtFrom) return { ...known.set, how: 'cached', grown: 0 };
	const next = computeSet(db, o, { key, builtFrom, fused, households, day }, known ?? undefined, full);
	entries.set(key, next);
	next.catch(() => entries.get(key) === next && entries.delete(key));
	while (entries.size > 32) entries.delete(entries.keys().next().value!);
	return (await next).set;
}

interface Basis {
	key: string;
	builtFrom: string;
	fused: string;
	households: string;
	day: number;
}

/** Brings a set up to date from `last`, the last one this process made (unless `full`). */
async function computeSet(db: Database, o: DeadZoneOptions, basis: Basis, last: Entry | undefined, full: boolean): Promise<Entry> {
	const { key, builtFrom, fused } = basis;
	const [rows, layer, settings] = await Promise.all([
		fusedCells(db, { res: o.res, operator: o.operator ?? ANY, technology: ANY, minReporters: o.minReporters, today: o.today }, fused),
		householdLayer(db, basis.households),
		readSettings(db)
	]);
	const households = householdsAt(layer, o.res);
	const touched = full || !last ? null : await touchedSince(db, o.res, last, basis, rows);
	const isZoneCell = (h3: string) => {
		const row = findRow(rows, h3);
		return row !== undefined && unserved(row) && (households.get(h3) ?? 0) > 0;
	};
	let current: Set<string>;
	if (touched && last) {
		current = new Set(last.current);
		for (const c of touched.estimates) {
			if (isZoneCell(c)) current.add(c);
			else current.delete(c);
		}
	} else {
		current = new Set();
		for (const r of rows) if (unserved(r) && (households.get(r.h3) ?? 0) > 0) current.add(r.h3);
	}
	const stored = (await unchangedSince(db, key, last, touched, current)) ?? (await inTransaction(db, async (tx) => {
		await tx.orm.execute(sql`insert into dead_zone_sets (key, built_from) values (${key}, '') on conflict (key) do nothing`);
		const [state] = await tx.rows<{ built_from: string; next_id: number }>(sql`select built_from, next_id from dead_zone_sets where key = ${key} for update`);
		// This process's last zones are what is stored when no other process has written since (no reading and unpacking them again).
		const ours = last !== undefined && !full && state.built_from === last.storedFrom;
		const previous = ours
			? last.set.zones
			: (await tx.rows<{ id: number; cells: Uint8Array }>(sql`select id, cells from dead_zones where key = ${key} order by id`)).map((r) => ({ id: r.id, cells: unpackCells(r.cells) }));
		// Another process (or an earlier call) already brought the set to this version.
		if (state.built_from === builtFrom && !full) return { how: 'stored' as const, zones: previous, grown: 0, storedFrom: builtFrom };
		let nextId = state.next_id;
		const newId = () => nextId++;
		let zones: PreviousZone[];
		let grown: number;
		if (full) {
			const components = connectedComponents(current);
			const ids = assignStableIds(previous, components, newId);
			zones = components.map((cells, i) => ({ id: ids[i], cells }));
			grown = components.length;
		} else {
			const changed = ours && touched ? touched.estimates.filter((c) => current.has(c) !== last.current.has(c)) : changedMembership(previous, current);
			const idOf = new Map<readonly string[], number>(previous.map((z) => [z.cells, z.id]));
			const updated = updateComponents(previous.map((z) => z.cells as Component), current, changed);
			const fresh = updated.components.filter((c) => !idOf.has(c));
			const keptIds = new Set(updated.components.filter((c) => idOf.has(c)).map((c) => idOf.get(c)!));
			const freshIds = assignStableIds(previous.filter((z) => !keptIds.has(z.id)), fresh, newId);
			const freshId = new Map(fresh.map((c, i) => [c, freshIds[i]]));
			zones = updated.components.map((cells) => ({ id: idOf.get(cells) ?? freshId.get(cells)!, cells }));
			grown = updated.grown;
		}
		await writeZones(tx, key, previous, zones, builtFrom, nextId);
		return { how: full || previous.length === 0 ? ('full' as const) : ('incremental' as const), zones, grown, storedFrom: builtFrom };
	}));
	const since = new Date((basis.day - settings['deadzone.open_report_days']) * 86_400_000);
	const kept = touched && last ? { figures: new Map(last.set.zones.map((z) => [z.id, z])), touched: new Set([...touched.estimates, ...touched.reports]) } : null;
	const figures = await zoneFigures(db, stored.zones, { res: o.res, layer, households, rowAt: (h3) => findRow(rows, h3), since, fused, kept, fresh: full });
	return { builtFrom, storedFrom: stored.storedFrom, set: { key, builtFrom, zones: figures, how: stored.how, grown: stored.grown }, fused, households: basis.households, day: basis.day, current, rows };
}

/**
 * `last`'s zones, when no cell joined or left them and the stored set is still the one this
 * process last saw: nothing to write (the stored version lags until a change; a process that reads
 * it finds the same zones). Else null, and the set is brought up to date under its row lock.
 */
async function unchangedSince(
	db: Database,
	key: string,
	last: Entry | undefined,
	touched: { estimates: string[] } | null,
	current: ReadonlySet<string>
): Promise<{ how: 'incremental'; zones: readonly PreviousZone[]; grown: 0; storedFrom: string } | null> {
	if (!last || !touched || touched.estimates.some((c) => current.has(c) !== last.current.has(c))) return null;
	const [state] = await db.rows<{ built_from: string }>(sql`select built_from from dead_zone_sets where key = ${key}`);
	return state?.built_from === last.storedFrom ? { how: 'incremental', zones: last.set.zones, grown: 0, storedFrom: last.storedFrom } : null;
}

/** The cells that joined or left `current` against the stored zones'. */
function changedMembership(previous: readonly PreviousZone[], current: ReadonlySet<string>): string[] {
	const before = new Set<string>();
	for (const z of previous) for (const c of z.cells) before.add(c);
	const changed: string[] = [];
	for (const c of current) if (!before.has(c)) changed.push(c);
	for (const c of before) if (!current.has(c)) changed.push(c);
	return changed;
}

/**
 * What changed since `last`: the cells whose best estimate moved (among the fusion's own affected
 * cells of the measurement changes), and the cells whose reports changed (every new or undone
 * report is in the change log) — or null when the households, the day or anything but
 * measurements changed (then everything is computed again).
 */
async function touchedSince(db: Database, res: number, last: Entry, basis: Basis, rows: readonly FusedRow[]): Promise<{ estimates: string[]; reports: string[] } | null> {
	if (last.households !== basis.households || last.day !== basis.day) return null;
	const changes = await measuredChangesSince(db, last.fused, basis.fused);
	if (changes === null) return null;
	return { estimates: movedCells(last.rows, rows, affectedCells(changes, res).cells), reports: res === 9 ? changes : [...new Set(changes.map((c) => cellToParent(c, res)))] };
}

interface KeptFigures {
	figures: Map<number, DeadZone>;
	touched: Set<string>;
}

const sameCells = (a: readonly string[], b: readonly string[]) => a === b || (a.length === b.length && a.every((c, i) => c === b[i]));

/** The kept figures of `z`, when it has the same cells as before and none of them was touched. */
function keptFigureOf(z: PreviousZone, kept: KeptFigures | null): DeadZone | undefined {
	const figure = kept?.figures.get(z.id);
	if (!figure || !sameCells(figure.cells, z.cells)) return undefined;
	for (const c of z.cells) if (kept!.touched.has(c)) return undefined;
	return figure;
}

/** Stores a set: deletes the zones that are gone or changed, inserts the new ones. */
async function writeZones(tx: Database, key: string, previous: readonly PreviousZone[], zones: readonly PreviousZone[], builtFrom: string, nextId: number): Promise<void> {
	const before = new Map(previous.map((z) => [z.id, z.cells]));
	const unchanged = (z: PreviousZone) => before.get(z.id) === z.cells;
	const keep = new Set(zones.filter(unchanged).map((z) => z.id));
	const gone = previous.filter((z) => !keep.has(z.id)).map((z) => z.id);
	if (gone.length > 0) await tx.orm.execute(sql`delete from dead_zones where key = ${key} and id = any(${`{${gone.join(',')}}`}::int[])`);
	const added = zones.filter((z) => !unchanged(z)).map((z) => ({ id: z.id, n: z.cells.length, cells: Buffer.from(packCells(z.cells)).toString('base64') }));
	for (let i = 0; i < added.length; i += 500) {
		const json = JSON.stringify(added.slice(i, i + 500));
		await tx.orm.execute(sql`
			insert into dead_zones (key, id, cell_count, cells)
			select ${key}, r.id, r.n, decode(r.cells, 'base64') from json_to_recordset(${json}::json) as r(id int, n int, cells text)`);
	}
	await tx.orm.execute(sql`update dead_zone_sets set built_from = ${builtFrom}, next_id = ${nextId} where key = ${key}`);
}

/** Outlines kept per zone cells (the same cells give the same outline; computing them is most of the work). */
interface Outline {
	geometry: MultiPolygon;
	bbox: Bbox;
	areaKm2: number;
}
const outlines = new Map<string, Outline & { cells: readonly string[] }>();

function outlineOf(key: string, cells: readonly string[], fresh: boolean): Outline {
	const known = fresh ? undefined : outlines.get(key);
	if (known && sameCells(known.cells, cells)) return known;
	let areaKm2 = 0;
	for (const c of cells) areaKm2 += cellArea(c, UNITS.km2);
	const coordinates = cellsToMultiPolygon(cells as string[], true);
	const entry = { cells, geometry: { type: 'MultiPolygon' as const, coordinates }, bbox: outerRingsBbox(coordinates), areaKm2 };
	outlines.set(key, entry);
	while (outlines.size > 20_000) outlines.delete(outlines.keys().next().value!);
	return entry;
}

async function zoneFigures(
	db: Database,
	zones: readonly PreviousZone[],
	{
		res,
		layer,
		households,
		rowAt,
		since,
		fused,
		kept,
		fresh
	}: { res: number; layer: HouseholdLayer; households: Map<string, number>; rowAt: (h3: string) => FusedRow | undefined; since: Date; fused: string; kept: KeptFigures | null; fresh: boolean }
): Promise<DeadZone[]> {
	const out: DeadZone[] = [];
	const counted: PreviousZone[] = [];
	for (const z of zones) {
		const figure = keptFigureOf(z, kept);
		if (figure) out.push(figure);
		else counted.push(z);
	}
	const children: string[] = [];
	for (const z of counted) for (const c of z.cells) for (const child of res9CellsOf(c, res)) children.push(child);
	const open = children.length === 0 ? new Map<string, OpenCell>() : await openReportsAt(db, children, since, fused, { fresh });
	for (const z of counted) {
		const outline = outlineOf(`${res}:${z.id}:${z.cells[0]}`, z.cells, fresh);
		let h = 0;
		let people = 0;
		let rasterPeople = false;
		const communes = new Map<string, CommuneRef>();
		const sources: Record<DominantSource, number> = { measured: 0, predicted: 0, declared: 0 };
		let poorCells = 0;
		let reports = 0;
		const reporters = new Set<string>();
		for (const c of z.cells) {
			h += households.get(c) ?? 0;
			const row = rowAt(c);
			const source = row?.fused.source;
			if (source === 'measured' || source === 'measured-parent') sources.measured++;
			else if (source === 'predicted') sources.predicted++;
			else if (source === 'declared') sources.declared++;
			if (row?.fused.class === 'poor') poorCells++;
			for (const child of res9CellsOf(c, res)) {
				const p = layer.people.get(child);
				if (p !== undefined) {
					people += p;
					rasterPeople = true;
				}
				for (const ref of layer.communesOf.get(child) ?? []) communes.set(`${ref.set}:${ref.code}`, ref);
				const o = open.get(child);
				if (o) {
					reports += o.reports;
					for (const who of o.reporters) reporters.add(who);
				}
			}
		}
		const dominantSource = (Object.keys(sources) as DominantSource[]).reduce((a, b) => (sources[b] > sources[a] ? b : a));
		out.push({
			id: z.id,
			cells: [...z.cells],
			geometry: outline.geometry,
			bbox: outline.bbox,
			areaKm2: outline.areaKm2,
			households: h,
			population: rasterPeople ? people : h * layer.peoplePerHousehold,
			communes: [...communes.values()].sort((a, b) => (a.set === b.set ? a.code.localeCompare(b.code) : a.set === '2025' ? -1 : 1)),
			openReports: reports,
			openReporters: reporters.size,
			dominantSource,
			poorCells,
			deadCells: z.cells.length - poorCells
		});
	}
	return out.sort((a, b) => b.households - a.households || a.id - b.id);
}

/**
 * The dead zones touching `bbox` as GeoJSON. The public's (res 8, measurements with k reporters)
 * say how many open reports a zone holds only when they come from k distinct reporters or more.
 */
export async function deadZonesInBbox(db: Database, bbox: Bbox, o: DeadZoneOptions & { publicMinReporters: number | null }, versions?: AnalysisVersions): Promise<DeadZoneCollection> {
	const set = await deadZones(db, o, { versions });
	const zones = set.zones.filter((z) => bboxesOverlap(z.bbox, bbox));
	const round1 = (x: number) => Math.round(x * 10) / 10;
	const shown = (z: DeadZone) => o.publicMinReporters === null || z.openReporters >= o.publicMinReporters;
	return {
		type: 'FeatureCollection' as const,
		res: o.res,
		operator: o.operator,
		minReporters: o.minReporters,
		totals: { zones: zones.length, households: Math.round(zones.reduce((s, z) => s + z.households, 0)) },
		features: zones.map((z) => ({
			type: 'Feature' as const,
			id: z.id,
			geometry: z.geometry,
			properties: {
				id: z.id,
				cellCount: z.cells.length,
				areaKm2: round1(z.areaKm2),
				households: Math.round(z.households),
				population: Math.round(z.population),
				communes: z.communes,
				openReports: shown(z) ? z.openReports : null,
				openReporters: shown(z) ? z.openReporters : null,
				dominantSource: z.dominantSource,
				poorCells: z.poorCells,
				deadCells: z.deadCells
			}
		}))
	};
}

/** The data version token of the dead zones (fused layer, households, day). */
export const deadZonesVersion = (v: AnalysisVersions, today = new Date()) => `${v.fused}|${v.households}|${today.toISOString().slice(0, 10)}`;
