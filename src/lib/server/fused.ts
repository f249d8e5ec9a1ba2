import { sql } from 'drizzle-orm';
import { cellToChildren, cellToParent } from 'h3-js';
import { declaredCoveredAt } from '../coverage/declared-grid';
import { bestOfOperators, bestOperatorIndex, fuseCell, fusionRulesFromSettings, hourSpanOfMask, type FusedCell, type FusionInputs, type FusionRules, type MeasuredEvidence, type PredictedEvidence } from '../coverage/fusion';
import type { Settings } from '../settings/definitions';
import { measuredChangesBetween } from './measured-changes';
import { ANY, confidenceOf, dayOf } from '../coverage/measured';
import { cachedPredictedCells, storedCells, storedCellsAt, type StoredCell } from './coverage-cells';
import { readDataVersion } from './data-version';
import type { Database } from './db/index';
import { readDeclaredGrids, type DeclaredGrids } from './declared';
import type { PredictedCell } from './predicted';
import { readSettings } from './settings';

/**
 * The fused layer: per cell, operator and technology, the best estimate of the measured, predicted
 * and declared layers by the rules of src/lib/coverage/fusion.ts, and the disputes between them.
 * Nothing is stored: the three layers are each kept current incrementally by the changes that touch
 * them (a report, an import or its undo, a tower change), and the fusion of one resolution, operator
 * and technology is computed from them when first asked for and kept for those layers' data
 * versions and the day (measured confidence decays with age). After new reports only the cells the
 * measured change log names are fused again ({@link fusedCells}); tests hold that equal to a full
 * fusion, and the layer after `coverage rebuild` equal to the one before.
 */

/** The data versions the fused layer rests on (the day is added: confidence depends on it). */
export const FUSED_LAYERS = ['measured', 'predicted', 'declared', 'settings'] as const;
export const fusedVersion = (db: Database) => readDataVersion(db, FUSED_LAYERS);

/** One fused cell with the evidence behind it (what the API and the evidence package show). */
export interface FusedRow {
	h3: string;
	fused: FusedCell;
	measured: StoredCell | null;
	/** The measured confidence as of the reading day (0 without measurements). */
	measuredConfidence: number;
	predicted: PredictedCell | null;
	/** Inside the operator's declared map, outside a map it published, or no map (null). */
	declared: boolean | null;
	/** Res 9: the share of the cell's res-11 centres inside the declared map (0 outside). */
	declaredShare: number | null;
	/** The operator (useful for any operator: the best one). */
	operator: string;
}

export interface FusedOptions {
	res: number;
	/** An operator code, or '*' for the best of the operators. */
	operator: string;
	/** A technology, or '*' for any. */
	technology: string;
	/** Measurements with fewer distinct reporters are not used (the public k rule; 1 = all). */
	minReporters: number;
	today?: Date;
}

/** A fused layer and what it was computed from: the measured version apart, since only that is patched. */
interface FusedEntry {
	measured: bigint;
	/** The predicted, declared and settings versions and the day. */
	rest: string;
	rows: FusedRow[];
}

// Every key the app serves: resolutions 6–9 × every operator of the reference table (any operator
// is the best of them all) and any × any technology and four — 4 × 6 × 5 = 120 with five operators;
// fewer would evict layers (in order, all of them) that the next step then fuses in full.
const MAX_ENTRIES = 160;

/**
 * A patch touching more than this share of a layer's rows fuses the layer in full instead (bench/fusion:
 * never slower than full) — unless it touches fewer than PATCH_ALWAYS cells: fusing those in memory
 * costs less than reading a small layer again (a new operator's few cells).
 */
const PATCH_MAX_SHARE = 1 / 2;
const PATCH_ALWAYS = 4096;
const entriesOf = new WeakMap<object, Map<string, Promise<FusedEntry>>>();

/** How a fused layer was last brought up to date (for tests and the benchmark). */
export let lastFusion: { key: string; how: 'cached' | 'patched' | 'full'; cells: number } | null = null;

/**
 * The fused cells of one resolution, operator and technology, sorted by cell. Kept per data
 * version and day; when only the measured layer moved on, and its change log covers the step,
 * only the cells whose measurements changed (and, at res 9, their res-8 siblings) are fused again —
 * unless that is most of the layer ({@link PATCH_MAX_SHARE}).
 * `full`: fuse everything regardless (the rebuild and the tests that compare the two).
 */
export async function fusedCells(db: Database, o: FusedOptions, known?: string, { full = false } = {}): Promise<FusedRow[]> {
	const version = parseFusedVersion(known ?? (await fusedVersion(db)));
	const todayDay = dayOf((o.today ?? new Date()).toISOString());
	const rest = `${version.predicted}.${version.declared}.${version.settings}:${todayDay}`;
	const key = `${o.res}:${o.operator}:${o.technology}:k${o.minReporters}`;
	let entries = entriesOf.get(db.orm as object);
	if (!entries) entriesOf.set(db.orm as object, (entries = new Map()));
	const previous = entries.get(key);
	const next = (async (): Promise<FusedEntry> => {
		const before = full ? null : await previous?.catch(() => null);
		if (before && before.rest === rest && before.measured === version.measured) {
			lastFusion = { key, how: 'cached', cells: 0 };
			return before;
		}
		if (before && before.rest === rest) {
			const step = await stepBetween(db, before.measured, version.measured);
			if (step !== null) {
				const affected = affectedAt(step, o.res);
				// Past this share of the layer a patch does about the work of a full fusion, and more lookups.
				if (affected.cells.length <= Math.max(before.rows.length * PATCH_MAX_SHARE, PATCH_ALWAYS)) {
					const fresh = o.operator === ANY ? await bestAmong(db, o, version, affected.cells) : await patchOperator(db, o, todayDay, version, step, affected, before.rows);
					lastFusion = { key, how: 'patched', cells: affected.cells.length };
					return { measured: version.measured, rest, rows: mergeRows(before.rows, affected.cells, fresh) };
				}
			}
		}
		const rows = o.operator === ANY ? await fuseAnyOperator(db, o, version, full) : await fuseOperator(db, o, todayDay, version);
		lastFusion = { key, how: 'full', cells: rows.length };
		return { measured: version.measured, rest, rows };
	})();
	entries.delete(key);
	entries.set(key, next);
	next.catch(() => entries.get(key) === next && entries.delete(key));
	while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
	return (await next).rows;
}

/** The parts of a fused version token ("measured.predicted.declared.settings"). */
interface FusedVersion {
	measured: bigint;
	predicted: string;
	declared: string;
	settings: string;
	text: string;
}

function parseFusedVersion(text: string): FusedVersion {
	const [measured, predicted, declared, settings] = text.split('.');
	return { measured: BigInt(measured), predicted, declared, settings, text };
}

/** The change log between two measured versions, read once for every key that asks (a few dozen per step). */
const changeLists = new WeakMap<object, Map<string, Promise<string[] | null>>>();
function changesBetween(db: Database, from: bigint, to: bigint): Promise<string[] | null> {
	return oncePerStep(changeLists, db, from, to, () => measuredChangesBetween(db, from, to));
}

/** What a step of the measured layer changed: the res-9 cells, and the stored cells there and at their parents. */
interface MeasuredStep {
	changed: string[];
	changedSet: Set<string>;
	/** Every operator's and technology's stored cells at the changed res-9 cells and their res-6–8 parents, by `res:operator:technology`. */
	stored: Map<string, StoredCell[]>;
	/** {@link affectedCells} by resolution, worked out once for all keys. */
	affected: Map<number, { cells: string[]; parents: string[] }>;
}

function affectedAt(step: MeasuredStep, res: number): { cells: string[]; parents: string[] } {
	let affected = step.affected.get(res);
	if (!affected) step.affected.set(res, (affected = affectedCells(step.changed, res)));
	return affected;
}

/** A step read once for every key (80 in the app): one query instead of one per key. */
const steps = new WeakMap<object, Map<string, Promise<MeasuredStep | null>>>();
function stepBetween(db: Database, from: bigint, to: bigint): Promise<MeasuredStep | null> {
	return oncePerStep(steps, db, from, to, async () => {
		const changed = await changesBetween(db, from, to);
		if (changed === null) return null;
		const sets = [{ res: 9, cells: changed }];
		for (const res of [8, 7, 6]) sets.push({ res, cells: [...new Set(changed.map((c) => cellToParent(c, res)))] });
		return { changed, changedSet: new Set(changed), stored: await storedCellsAt(db, sets), affected: new Map() };
	});
}

function oncePerStep<T>(caches: WeakMap<object, Map<string, Promise<T>>>, db: Database, from: bigint, to: bigint, read: () => Promise<T>): Promise<T> {
	let byStep = caches.get(db.orm as object);
	if (!byStep) caches.set(db.orm as object, (byStep = new Map()));
	const key = `${from}-${to}`;
	let value = byStep.get(key);
	if (!value) {
		const list = byStep;
		value = read();
		list.set(key, value);
		value.catch(() => list.delete(key));
		while (list.size > 16) list.delete(list.keys().next().value!);
	}
	return value;
}

/**
 * The res-9 cells whose measurements changed between two fused versions ([] when none did), or
 * null when anything else changed (predicted, declared, settings) or the change log no longer
 * reaches back: what the layers built on the fused one (dead zones) need to patch themselves.
 */
export async function measuredChangesSince(db: Database, fromText: string, toText: string): Promise<string[] | null> {
	const from = parseFusedVersion(fromText);
	const to = parseFusedVersion(toText);
	if (from.predicted !== to.predicted || from.declared !== to.declared || from.settings !== to.settings) return null;
	if (from.measured === to.measured) return [];
	return changesBetween(db, from.measured, to.measured);
}

/**
 * The cells that res-9 measurement changes can move at `res`: at res 9 the changed cells and every
 * child of their res-8 parents (whose evidence a child may take); coarser, their parents. Sorted.
 */
export function affectedCells(changed: readonly string[], res: number): { cells: string[]; parents: string[] } {
	const affected = new Set<string>();
	const parents = new Set<string>();
	for (const c of changed) {
		if (res === 9) {
			const parent = cellToParent(c, 8);
			if (parents.has(parent)) continue;
			parents.add(parent);
			for (const child of cellToChildren(parent, 9)) affected.add(child);
		} else affected.add(cellToParent(c, res));
	}
	return { cells: [...affected].sort(), parents: [...parents] };
}

/**
 * Of `cells`, those whose best estimate (class, deciding source or best operator) differs between
 * two results of one key (sorted by cell), or that gained or lost a row: what layers built on the estimate
 * (dead zones, villages) must look at again after a patch.
 */
export function movedCells(before: readonly FusedRow[], after: readonly FusedRow[], cells: Iterable<string>): string[] {
	const moved: string[] = [];
	for (const c of cells) {
		const a = findRow(before, c);
		const b = findRow(after, c);
		if (a === b) continue;
		if (!a || !b || a.fused.class !== b.fused.class || a.fused.source !== b.fused.source || a.operator !== b.operator) moved.push(c);
	}
	return moved;
}

/**
 * `old` with the rows of the `affected` cells (sorted) replaced by `fresh` (sorted, among them).
 * The rows between affected cells are found by binary search and copied without being read: a
 * patch's cost follows the cells it touches, not the size of the layer (res 9: ~10^5 rows per key).
 */
function mergeRows(old: readonly FusedRow[], affected: readonly string[], fresh: readonly FusedRow[]): FusedRow[] {
	// Slices of `old` and runs of fresh rows, joined once at the end (slice and concat copy in bulk).
	const pieces: (readonly FusedRow[])[] = [];
	let run: FusedRow[] = [];
	let i = 0;
	let j = 0;
	for (const cell of affected) {
		const at = lowerBound(old, cell, i);
		if (at > i) {
			if (run.length > 0) pieces.push(run), (run = []);
			pieces.push(old.slice(i, at));
		}
		i = at < old.length && old[at].h3 === cell ? at + 1 : at;
		if (j < fresh.length && fresh[j].h3 === cell) run.push(fresh[j++]);
	}
	if (run.length > 0) pieces.push(run);
	pieces.push(old.slice(i));
	// concat takes the pieces as arguments: in batches, under the engine's argument limit.
	let out: FusedRow[] = [];
	for (let p = 0; p < pieces.length; p += 8192) out = out.concat(...pieces.slice(p, p + 8192));
	return out;
}

/** The first index at or after `from` whose row's cell is not below `h3` (rows sorted by cell). */
function lowerBound(rows: readonly FusedRow[], h3: string, from: number): number {
	let lo = from;
	let hi = rows.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (rows[mid].h3 < h3) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/** The row of `h3` in rows sorted by cell, or undefined. */
export function findRow(rows: readonly FusedRow[], h3: string): FusedRow | undefined {
	let lo = 0;
	let hi = rows.length - 1;
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		const c = rows[mid].h3;
		if (c === h3) return rows[mid];
		if (c < h3) lo = mid + 1;
		else hi = mid - 1;
	}
	return undefined;
}

export const operatorCodes = async (db: Database) => (await db.rows<{ code: string }>(sql`select code from operators order by code`)).map((r) => r.code);

/** Any operator: per cell, the best operator's fused estimate (its evidence comes with it). */
async function fuseAnyOperator(db: Database, o: FusedOptions, version: FusedVersion, full: boolean): Promise<FusedRow[]> {
	const byCell = new Map<string, FusedRow[]>();
	for (const code of await operatorCodes(db)) {
		for (const row of await fusedCells(db, { ...o, operator: code }, version.text, { full })) {
			const rows = byCell.get(row.h3);
			if (rows) rows.push(row);
			else byCell.set(row.h3, [row]);
		}
	}
	const out: FusedRow[] = [];
	for (const rows of byCell.values()) out.push(bestRow(rows));
	return out.sort(byCellId);
}

function bestRow(rows: readonly FusedRow[]): FusedRow {
	const cells: FusedCell[] = [];
	for (const r of rows) cells.push(r.fused);
	const best = rows[bestOperatorIndex(cells)];
	return { ...best, fused: bestOfOperators([best.fused])! };
}

/** Any operator, for some cells (sorted): the best of each operator's rows there. */
async function bestAmong(db: Database, o: FusedOptions, version: FusedVersion, cells: readonly string[]): Promise<FusedRow[]> {
	const perOperator: FusedRow[][] = [];
	for (const code of await operatorCodes(db)) perOperator.push(await fusedCells(db, { ...o, operator: code }, version.text));
	const out: FusedRow[] = [];
	for (const h3 of cells) {
		const rows: FusedRow[] = [];
		for (const list of perOperator) {
			const row = findRow(list, h3);
			if (row) rows.push(row);
		}
		if (rows.length > 0) out.push(bestRow(rows));
	}
	return out;
}

const byCellId = (a: { h3: string }, b: { h3: string }) => (a.h3 < b.h3 ? -1 : a.h3 > b.h3 ? 1 : 0);

interface DeclaredCover {
	published: boolean;
	covered: Set<string>;
	shares: Map<string, number>;
}

const declaredCovers = new WeakMap<DeclaredGrids, Map<string, DeclaredCover>>();

/** The operator's declared cover at `res` for a technology ('*': any of its technologies), kept with the grids it comes from. */
export function declaredAt(grids: DeclaredGrids, operator: string, technology: string, res: number, minShare: number): DeclaredCover {
	let byKey = declaredCovers.get(grids);
	if (!byKey) declaredCovers.set(grids, (byKey = new Map()));
	const key = `${operator}|${technology}|${res}|${minShare}`;
	const known = byKey.get(key);
	if (known) return known;
	const cover: DeclaredCover = { published: false, covered: new Set(), shares: new Map() };
	for (const [pair, cells] of grids) {
		const [op, tech] = pair.split('|');
		if (op !== operator || (technology !== ANY && tech !== technology)) continue;
		cover.published = true;
		for (const c of declaredCoveredAt(cells, res, minShare)) cover.covered.add(c);
		if (res === 9) for (const [c, share] of cells) if (share > (cover.shares.get(c) ?? 0)) cover.shares.set(c, share);
	}
	byKey.set(key, cover);
	return cover;
}

/** What fusing one operator's cells reads: the three layers (measured for some cells or all) and the rules. */
interface OperatorInputs {
	settings: Settings;
	rules: FusionRules;
	measuredBy: Map<string, { cell: StoredCell; evidence: MeasuredEvidence | null }>;
	parentBy: Map<string, MeasuredEvidence>;
	predictedBy: Map<string, PredictedCell>;
	declared: DeclaredCover;
}

const predictedMaps = new WeakMap<readonly PredictedCell[], Map<string, PredictedCell>>();

/** The inputs of a full fusion: every stored measured cell of the key (and at res 9 of its res-8 parents). */
async function readOperatorInputs(db: Database, o: FusedOptions, todayDay: number, version: FusedVersion): Promise<OperatorInputs> {
	const measuredVersion = `${version.measured}.${version.settings}`;
	const measured = await storedCells(db, o.res, o.operator, o.technology, measuredVersion);
	const parents = o.res === 9 ? await storedCells(db, 8, o.operator, o.technology, measuredVersion) : [];
	return operatorInputs(db, o, todayDay, version, measured, parents);
}

/** The inputs of fusing some cells: their measurements (`measured`, `parents`) and the other layers whole (they are cached). */
async function operatorInputs(db: Database, o: FusedOptions, todayDay: number, version: FusedVersion, measured: readonly StoredCell[], parents: readonly StoredCell[]): Promise<OperatorInputs> {
	const settings = await readSettings(db, version.settings);
	const predicted = await cachedPredictedCells(db, o.res, o.operator, o.technology, version.predicted);
	const declared = declaredAt(await readDeclaredGrids(db, version.declared), o.operator, o.technology, o.res, settings['declared.min_share']);
	const evidence = (c: StoredCell): MeasuredEvidence | null =>
		c.reporters < o.minReporters
			? null
			: { class: c.class, confidence: confidenceOf(c, todayDay, settings), reporters: c.reporters, days: c.days, medianDbm: c.medianDbm, failingHourSpan: hourSpanOfMask(c.failingHours) };
	const measuredBy = new Map<string, { cell: StoredCell; evidence: MeasuredEvidence | null }>();
	for (const c of measured) measuredBy.set(c.h3, { cell: c, evidence: evidence(c) });
	const parentBy = new Map<string, MeasuredEvidence>();
	for (const c of parents) {
		const e = evidence(c);
		if (e) parentBy.set(c.h3, e);
	}
	let predictedBy = predictedMaps.get(predicted);
	if (!predictedBy) {
		predictedBy = new Map();
		for (const c of predicted) predictedBy.set(c.h3, c);
		predictedMaps.set(predicted, predictedBy);
	}
	return { settings, rules: fusionRulesFromSettings(settings), measuredBy, parentBy, predictedBy, declared };
}

/**
 * Fuses `cells`. A cell is in the layer when it has evidence of its own — measurements, a
 * prediction, a declared claim — or its parent's measurements decide for it; being merely outside
 * a published map is not evidence enough (else every cell on Earth would be "declared dead"). The
 * full and the incremental fusion both apply this, so they agree on which cells exist.
 */
function fuseAmong(o: FusedOptions, inputs: OperatorInputs, cells: Iterable<string>): FusedRow[] {
	const { rules, measuredBy, parentBy, predictedBy, declared } = inputs;
	const rows: FusedRow[] = [];
	for (const h3 of cells) {
		const m = measuredBy.get(h3);
		const p = predictedBy.get(h3);
		const inside = declared.covered.has(h3);
		const parent = o.res === 9 ? (parentBy.get(cellToParent(h3, 8)) ?? null) : null;
		if (!m && !p && !inside && !(parent && parent.class !== null && parent.confidence >= rules.measuredMinConfidence)) continue;
		const i: FusionInputs = {
			measured: m?.evidence ?? null,
			parentMeasured: parent,
			predicted: p ? ({ class: p.class, dbm: p.dbm } satisfies PredictedEvidence) : null,
			declared: declared.published ? inside : null
		};
		const fused = fuseCell(i, rules);
		if (fused.class === null && !m) continue;
		rows.push({
			h3,
			fused,
			measured: m?.cell ?? null,
			measuredConfidence: m?.evidence?.confidence ?? 0,
			predicted: p ?? null,
			declared: i.declared,
			declaredShare: o.res === 9 && declared.published ? (declared.shares.get(h3) ?? 0) : null,
			operator: o.operator
		});
	}
	return rows;
}

async function fuseOperator(db: Database, o: FusedOptions, todayDay: number, version: FusedVersion): Promise<FusedRow[]> {
	const inputs = await readOperatorInputs(db, o, todayDay, version);
	// Every cell with evidence of its own, and the children of a parent whose evidence decides.
	const cells = new Set<string>([...inputs.measuredBy.keys(), ...inputs.predictedBy.keys(), ...inputs.declared.covered]);
	for (const [parent, e] of inputs.parentBy) if (e.class !== null && e.confidence >= inputs.rules.measuredMinConfidence) for (const child of cellToChildren(parent, 9)) cells.add(child);
	return fuseAmong(o, inputs, cells).sort(byCellId);
}

/**
 * Fuses again only the `affected` cells (sorted) of one operator's key after a measured step, and
 * returns their rows. The step read the measurements of the cells that changed and of their
 * parents; an affected res-9 cell whose own measurements did not change (a sibling, moved only by
 * its parent's evidence) keeps the ones its previous row holds. Merged into the previous rows, the
 * result equals a full fusion (tests and bench/fusion hold it to that).
 */
async function patchOperator(db: Database, o: FusedOptions, todayDay: number, version: FusedVersion, step: MeasuredStep, affected: { cells: string[] }, before: readonly FusedRow[]): Promise<FusedRow[]> {
	if (affected.cells.length === 0) return [];
	const stored = (res: number) => step.stored.get(`${res}:${o.operator}:${o.technology}`) ?? [];
	const measured = [...stored(o.res)];
	if (o.res === 9) {
		for (const c of affected.cells) {
			if (step.changedSet.has(c)) continue;
			const kept = findRow(before, c)?.measured;
			if (kept) measured.push(kept);
		}
	}
	const inputs = await operatorInputs(db, o, todayDay, version, measured, o.res === 9 ? stored(8) : []);
	return fuseAmong(o, inputs, affected.cells);
}
