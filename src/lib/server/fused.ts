import { sql } from 'drizzle-orm';
import { cellToChildren, cellToParent } from 'h3-js';
import { bestOfOperators, bestOperatorIndex, type FusedCell } from '../coverage/fusion';
import { ANY, dayOf } from '../coverage/measured';
import { affectedCells, findRow, replaceRows } from '../grid/sorted-cells';
import { storedCellsAt, type StoredCell } from './coverage-cells';
import { readDataVersion } from './data-version';
import type { Database } from './db/index';
import { fuseOperator, fuseOperatorCells } from './fused-operator';
import { measuredChangesBetween } from './measured-changes';
import type { PredictedCell } from './predicted';

/**
 * The fused layer: per cell, operator and technology, the best estimate of the measured, predicted
 * and declared layers by the rules of src/lib/coverage/fusion.ts, and the disputes between them.
 * Nothing is stored: the three layers are each kept current incrementally by the changes that touch
 * them (a report, an import or its undo, a tower change), and the fusion of one resolution, operator
 * and technology is computed from them when first asked for and kept for those layers' data
 * versions and the day (measured confidence decays with age). After new reports only the cells
 * whose measurements moved, among those the measured change log names, are fused again
 * ({@link fusedCells}); tests hold that equal to a full fusion, and the layer after
 * `coverage rebuild` equal to the one before. One operator's fusion is in ./fused-operator.ts.
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
	/** Res 9, one operator: the res-8 measurements its rows were fused with, by cell (a patch compares a step's to them, and updates them). */
	parents: Map<string, StoredCell> | null;
	/** The cells the patch that made this entry fused again, and the measured version it started from (null: fused in full). */
	patched: { from: bigint; cells: string[] } | null;
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
 * only the cells whose evidence changed are fused again ({@link patchOperator}, {@link patchBest})
 * — unless that is most of the layer ({@link PATCH_MAX_SHARE}).
 * `full`: fuse everything regardless (the rebuild and the tests that compare the two).
 */
export async function fusedCells(db: Database, o: FusedOptions, known?: string, { full = false } = {}): Promise<FusedRow[]> {
	return (await fusedEntry(db, o, known, full)).rows;
}

async function fusedEntry(db: Database, o: FusedOptions, known: string | undefined, full: boolean): Promise<FusedEntry> {
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
			const patch = step && (o.operator === ANY ? await patchBest(db, o, version, step, before) : await patchOperator(db, o, todayDay, version, step, before));
			if (patch) {
				lastFusion = { key, how: 'patched', cells: patch.cells.length };
				const rows = replaceRows(before.rows, patch.cells, patch.rows);
				return { measured: version.measured, rest, rows, parents: before.parents, patched: { from: before.measured, cells: patch.cells } };
			}
		}
		const fused = o.operator === ANY ? { rows: await fuseAnyOperator(db, o, version, full), parents: null } : await fuseOperator(db, o, todayDay, version);
		lastFusion = { key, how: 'full', cells: fused.rows.length };
		const parents = fused.parents && o.res === 9 ? new Map(fused.parents.map((c) => [c.h3, c])) : null;
		return { measured: version.measured, rest, rows: fused.rows, parents, patched: null };
	})();
	entries.delete(key);
	entries.set(key, next);
	next.catch(() => entries.get(key) === next && entries.delete(key));
	while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
	return next;
}

/** Whether a patch of `cells` is worth it for a layer of `rows` (else it fuses in full). */
const worthPatching = (cells: number, rows: number) => cells <= Math.max(rows * PATCH_MAX_SHARE, PATCH_ALWAYS);

/** What a patch fused again: the cells (sorted) and their rows now (sorted; a cell without one has none). */
interface Patch {
	cells: string[];
	rows: FusedRow[];
}

/** The parts of a fused version token ("measured.predicted.declared.settings"). */
export interface FusedVersion {
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
	/** `stored` by cell, made when a key first asks. */
	storedByCell: Map<string, Map<string, StoredCell>>;
}

/** The step's stored cells of one resolution, operator and technology, by cell. */
function storedAt(step: MeasuredStep, res: number, operator: string, technology: string): Map<string, StoredCell> {
	const key = `${res}:${operator}:${technology}`;
	let byCell = step.storedByCell.get(key);
	if (!byCell) step.storedByCell.set(key, (byCell = new Map((step.stored.get(key) ?? []).map((c) => [c.h3, c]))));
	return byCell;
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
		return { changed, changedSet: new Set(changed), stored: await storedCellsAt(db, sets), affected: new Map(), storedByCell: new Map() };
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

const byCellId = (a: { h3: string }, b: { h3: string }) => (a.h3 < b.h3 ? -1 : a.h3 > b.h3 ? 1 : 0);

/** Whether two stored measurements of a cell are the same (null: none); fusion reads nothing else of them. */
function sameMeasurement(a: StoredCell | null, b: StoredCell | null): boolean {
	if (a === b) return true;
	if (!a || !b) return false;
	return (
		a.class === b.class &&
		a.reports === b.reports &&
		a.reporters === b.reporters &&
		a.medianDbm === b.medianDbm &&
		a.p10Dbm === b.p10Dbm &&
		a.deadShare === b.deadShare &&
		a.medianDownloadMbps === b.medianDownloadMbps &&
		a.medianUploadMbps === b.medianUploadMbps &&
		a.firstDay === b.firstDay &&
		a.lastDay === b.lastDay &&
		a.days === b.days &&
		a.failingHours === b.failingHours
	);
}

/**
 * One operator's key after a measured step: fuses again only the cells whose own measurements or
 * (res 9) whose res-8 parent's measurements for this operator and technology changed — a report of
 * another operator or technology moves none of them. An affected res-9 cell whose own measurements
 * did not change keeps those its previous row holds. Null when that is most of the layer.
 */
async function patchOperator(db: Database, o: FusedOptions, todayDay: number, version: FusedVersion, step: MeasuredStep, before: FusedEntry): Promise<Patch | null> {
	const own = storedAt(step, o.res, o.operator, o.technology);
	const kept = (c: string) => findRow(before.rows, c)?.measured ?? null;
	const moved = new Set<string>();
	// Res 9: every cell fused again is a changed cell or a sibling of one, so its parent is one the step read.
	const parentsNow = o.res === 9 ? storedAt(step, 8, o.operator, o.technology) : new Map<string, StoredCell>();
	if (o.res === 9) {
		for (const p of affectedAt(step, 9).parents) {
			if (sameMeasurement(before.parents!.get(p) ?? null, parentsNow.get(p) ?? null)) continue;
			for (const child of cellToChildren(p, 9)) moved.add(child);
		}
		for (const c of step.changed) if (!sameMeasurement(kept(c), own.get(c) ?? null)) moved.add(c);
	} else for (const c of affectedAt(step, o.res).cells) if (!sameMeasurement(kept(c), own.get(c) ?? null)) moved.add(c);
	const cells = [...moved].sort();
	if (!worthPatching(cells.length, before.rows.length)) return null;
	const measured: StoredCell[] = [];
	for (const c of cells) {
		// The step read every coarse cell it can move, and the res-9 cells that changed; a res-9 sibling keeps its own.
		const m = o.res < 9 || step.changedSet.has(c) ? (own.get(c) ?? null) : kept(c);
		if (m) measured.push(m);
	}
	// The entry's parents follow the step (the new entry takes the same map: the old one is superseded).
	if (o.res === 9)
		for (const p of affectedAt(step, 9).parents) {
			const now = parentsNow.get(p);
			if (now) before.parents!.set(p, now);
			else before.parents!.delete(p);
		}
	return { cells, rows: await fuseOperatorCells(db, o, todayDay, version, cells, measured, [...parentsNow.values()]) };
}

/**
 * Any operator after a measured step: the best of each operator's rows again, at the cells those
 * operators' patches of this very step fused again (or, when one was fused in full or over several
 * steps, at every cell the step can move). Null when that is most of the layer.
 */
async function patchBest(db: Database, o: FusedOptions, version: FusedVersion, step: MeasuredStep, before: FusedEntry): Promise<Patch | null> {
	const perOperator: FusedEntry[] = [];
	for (const code of await operatorCodes(db)) perOperator.push(await fusedEntry(db, { ...o, operator: code }, version.text, false));
	let cells: string[];
	if (perOperator.every((e) => e.patched?.from === before.measured)) cells = [...new Set(perOperator.flatMap((e) => e.patched!.cells))].sort();
	else cells = affectedAt(step, o.res).cells;
	if (!worthPatching(cells.length, before.rows.length)) return null;
	const rows: FusedRow[] = [];
	for (const h3 of cells) {
		const here: FusedRow[] = [];
		for (const e of perOperator) {
			const row = findRow(e.rows, h3);
			if (row) here.push(row);
		}
		if (here.length > 0) rows.push(bestRow(here));
	}
	return { cells, rows };
}
