import { sql, type SQL } from 'drizzle-orm';
import { ReportAccumulator, rollUp, STATE_FORMAT, summarise, withBestOfBelow, type MeasuredSummary } from '../coverage/measured';
import { decodeState, encodeState, isEmptyState, mergeState, splitDimKey, type MeasuredState } from '../coverage/measured-state';
import { settingsFingerprint, type Settings } from '../settings/definitions';
import { thresholdsFromSettings } from '../signal/classes';
import { cellToDecimal, type AreaGeometry } from '../grid/h3';
import { ANCESTOR_NUMBER_MASK, ancestorsOfArea, REGION_NUMBER_MASK, regionNumberOf, REGION_NUMBER_SHIFT, regionOfAncestor, regionRange, regionShift, res9RangesOfAncestors, runsUpTo } from '../grid/regions';
import { inTransaction, type Database } from './db/index';
import { columnsOfSummary, SUMMARY_COLUMN_TYPES, SUMMARY_COLUMNS, summaryOfColumns, type SummaryColumns } from './measured-rows';
import { logChanges } from './measured-changes';
import { contributionRows, internReporters, readContributions, readInTurn, reporterNumbers, toReport, type InsertedContribution, type ReportSource } from './measured-reports';
import { readSettings } from './settings';

/**
 * The measured-coverage layer in the database (drizzle/0014_measured-states.sql). Every key — a
 * resolution 6–9 cell, operator and technology — is one `measured_cells` row: its additive state
 * (packed) beside the summary the API reads. A change (an import, its undo, new reports, the daily
 * retirement) reads the reports it adds or removes, computes their signed contributions with the
 * pure rules (src/lib/coverage/measured.ts), reads the stored rows of the cells they touch, merges,
 * re-summarises and writes back only the keys that changed, in the caller's transaction. A rebuild
 * is the same from an empty table, so the two are equal by construction, and tests hold them to it.
 */

/** The partition (drizzle/0022) of a key's cell, an SQL expression of the bigint expression `cell`. */
const REGION_OF = (cell: string) => sql.raw(`((${cell} >> ${REGION_NUMBER_SHIFT}) & ${REGION_NUMBER_MASK})::smallint`);

/** Rows per JSON parameter when reading or writing keys. */
const KEY_BATCH = 5_000;

/** A stored key of a touched cell: its state if the change touches it, else only its summary (for best-of). */
interface StoredKey {
	state: MeasuredState | null;
	summary: MeasuredSummary;
}

interface StoredRow extends SummaryColumns {
	res: number;
	cell: string;
	operator_code: string;
	technology: string;
	state: Uint8Array | null;
}

/**
 * Every stored key of the touched cells ("res|cell" → dim → key): the states of the keys the change
 * touches (`touched`: "res|cell" → dims), and for the others only their summaries.
 */
async function readStoredKeys(tx: Database, touched: Map<string, string[]>): Promise<Map<string, Map<string, StoredKey>>> {
	const stored = new Map<string, Map<string, StoredKey>>();
	const cells = [...touched].map(([id, dims]) => {
		const [res, cell] = id.split('|');
		return { res: Number(res), cell: cellToDecimal(cell), dims };
	});
	for (let i = 0; i < cells.length; i += KEY_BATCH) {
		const batch = cells.slice(i, i + KEY_BATCH);
		const json = JSON.stringify(batch);
		// The regions as constants too: PostgreSQL then plans only their partitions (~1.8 ms → ~0.3 ms a statement).
		const regions = `{${[...new Set(batch.map((c) => regionNumberOf(BigInt(c.cell))))].join(',')}}`;
		const rows = await tx.rows<StoredRow>(sql`
			select m.res, to_hex(m.cell) as cell, m.operator_code, m.technology,
				case when m.operator_code || '|' || m.technology = any(k.dims) then m.state end as state,
				${sql.raw(SUMMARY_COLUMNS.map((c) => `m.${c}`).join(', '))}
			from json_to_recordset(${json}::json) as k(res smallint, cell text, dims text[])
			join measured_cells m on m.region = ${REGION_OF('k.cell::bigint')} and m.res = k.res and m.cell = k.cell::bigint
			where m.region = any(${regions}::smallint[])`);
		for (const r of rows) {
			const id = `${r.res}|${r.cell}`;
			let dims = stored.get(id);
			if (!dims) stored.set(id, (dims = new Map()));
			dims.set(`${r.operator_code}|${r.technology}`, { state: r.state === null ? null : decodeState(r.state), summary: summaryOfColumns(r) });
		}
	}
	return stored;
}

/** A measured_cells row as the write statements read it from JSON. */
interface KeyRow extends SummaryColumns {
	res: number;
	cell: string;
	op: string;
	tech: string;
	/** The packed state, base64. */
	state: string;
}

function keyRow(res: number, cell: string, dim: string, m: MeasuredSummary, state: MeasuredState): KeyRow {
	const [op, tech] = splitDimKey(dim);
	return { res, cell: cellToDecimal(cell), op, tech, ...columnsOfSummary(m), state: Buffer.from(encodeState(state)).toString('base64') };
}

async function writeKeys(tx: Database, rows: KeyRow[], fresh: boolean): Promise<void> {
	const columns = [...SUMMARY_COLUMNS, 'state'];
	const list = sql.raw(columns.join(', '));
	const values = sql.raw([...SUMMARY_COLUMNS.map((c) => `r.${c}`), `decode(r.state, 'base64')`].join(', '));
	const types = sql.raw([...SUMMARY_COLUMNS.map((c) => `${c} ${SUMMARY_COLUMN_TYPES[c]}`), 'state text'].join(', '));
	const updates = sql.raw(columns.map((c) => `${c} = excluded.${c}`).join(', '));
	for (let i = 0; i < rows.length; i += KEY_BATCH) {
		const json = JSON.stringify(rows.slice(i, i + KEY_BATCH));
		await tx.orm.execute(sql`
			insert into measured_cells (region, res, cell, operator_code, technology, ${list})
			select ${REGION_OF('r.cell::bigint')}, r.res, r.cell::bigint, r.op, r.tech, ${values}
			from json_to_recordset(${json}::json) as r(res smallint, cell text, op text, tech text, ${types})
			${fresh ? sql`` : sql`on conflict (res, cell, operator_code, technology, region) do update set ${updates}`}`);
	}
}

async function deleteKeys(tx: Database, keys: { res: number; cell: string; op: string; tech: string }[]): Promise<void> {
	for (let i = 0; i < keys.length; i += KEY_BATCH) {
		const json = JSON.stringify(keys.slice(i, i + KEY_BATCH).map((k) => ({ ...k, cell: cellToDecimal(k.cell) })));
		await tx.orm.execute(sql`
			delete from measured_cells m using json_to_recordset(${json}::json) as k(res smallint, cell text, op text, tech text)
			where m.region = ${REGION_OF('k.cell::bigint')} and m.res = k.res and m.cell = k.cell::bigint and m.operator_code = k.op and m.technology = k.tech`);
	}
}

/**
 * Adds (sign 1) or removes (sign −1) the contributions of the reports that `source` selects,
 * within the window, and rewrites the keys they change. Returns how many reports were applied.
 */
export async function applyReports(tx: Database, source: ReportSource, sign: 1 | -1, s: Settings): Promise<number> {
	if (sign > 0) await internReporters(tx, source);
	const accumulator = new ReportAccumulator(thresholdsFromSettings(s));
	await readContributions(tx, source, accumulator);
	return writeContributions(tx, accumulator, sign, s, false);
}

/**
 * Adds reports the caller has just inserted, from what their insert returned
 * (INSERTED_CONTRIBUTIONS, src/lib/server/measured-reports.ts): the same contributions as reading them back, without the
 * statements that would find them again among the partitions (the residents' intake: issue 17).
 */
export async function applyInsertedReports(tx: Database, inserted: readonly InsertedContribution[], s: Settings): Promise<number> {
	const counted = inserted.filter((r) => r.in_window);
	if (counted.length === 0) return 0;
	const numbers = await reporterNumbers(tx, [...new Set(counted.flatMap((r) => (r.reporter_text === null ? [] : [r.reporter_text])))]);
	const accumulator = new ReportAccumulator(thresholdsFromSettings(s));
	accumulator.add(counted.map((r) => toReport({ ...r, reporter: r.reporter_text === null ? null : numbers.get(r.reporter_text)! })));
	return writeContributions(tx, accumulator, 1, s, false);
}

/**
 * Takes the layer's writer lock until the transaction ends. A change reads the stored states it
 * merges into: a second writer that read them before the first committed would write back states
 * without the first's change — lost updates. Writers that add or remove reports took turns on the
 * reports' data-version row already, but the retirement job and the rebuilds change no report
 * (a test caught a retirement undone by a resident's report). Writers took turns at their first
 * write to this layer anyway (its data-version trigger), so this costs no concurrency that was
 * real; this lock comes before that row everywhere, so the order cannot deadlock.
 */
async function lockMeasured(tx: Database): Promise<void> {
	await tx.orm.execute(sql`select 1 from measured_state for update`);
}

/**
 * Merges what `accumulator` holds (sign 1 adds it, −1 removes it) into the stored keys it touches
 * and writes back the ones that changed. `fresh`: none of those keys is stored yet (a rebuild).
 */
async function writeContributions(tx: Database, accumulator: ReportAccumulator, sign: 1 | -1, s: Settings, fresh: boolean): Promise<number> {
	const applied = accumulator.reports;
	if (applied === 0) return 0;
	const res9 = accumulator.finish(sign);
	const levels = rollUp(res9);
	const touched = new Map<string, string[]>();
	for (const [res, cells] of levels) for (const [cell, deltas] of cells) touched.set(`${res}|${cell}`, [...deltas.keys()]);
	if (!fresh) await lockMeasured(tx);
	const stored = fresh ? new Map<string, Map<string, StoredKey>>() : await readStoredKeys(tx, touched);
	const writes: KeyRow[] = [];
	const deletes: { res: number; cell: string; op: string; tech: string }[] = [];
	for (const [res, cells] of levels) {
		for (const [cell, deltas] of cells) {
			// Every key of the cell: any-technology and any-operator keys take the best of their
			// siblings, which untouched keys give by their stored summaries.
			const keys = stored.get(`${res}|${cell}`) ?? new Map<string, StoredKey>();
			const summaries = new Map<string, MeasuredSummary>();
			for (const [dim, key] of keys) if (!deltas.has(dim)) summaries.set(dim, key.summary);
			const states = new Map<string, MeasuredState>();
			for (const [dim, delta] of deltas) {
				const state = keys.get(dim)?.state;
				const merged = state ? mergeState(state, delta) : delta;
				states.set(dim, merged);
				if (!isEmptyState(merged)) summaries.set(dim, summarise(merged, splitDimKey(dim)[1], s));
			}
			withBestOfBelow(summaries);
			for (const [dim, state] of states) {
				const summary = summaries.get(dim);
				if (summary && !isEmptyState(state)) writes.push(keyRow(res, cell, dim, summary, state));
				else deletes.push({ res, cell, op: splitDimKey(dim)[0], tech: splitDimKey(dim)[1] });
			}
		}
	}
	if (deletes.length > 0) await deleteKeys(tx, deletes);
	if (writes.length > 0) await writeKeys(tx, writes, fresh);
	if (!fresh) await logChanges(tx, [...(levels.get(9)?.keys() ?? [])]);
	return applied;
}

/**
 * Applies `source`'s reports, in the caller's transaction, with the settings in force. A removal
 * (an undo, a rejected report) comes before its caller deletes the rows, so it first takes the
 * reports' data-version row that the delete will take: writers that insert reports take that row
 * (at their insert) before the layer's lock, and the same order everywhere leaves no deadlock.
 */
export async function updateMeasured(tx: Database, source: ReportSource, sign: 1 | -1): Promise<void> {
	if (sign < 0) await tx.orm.execute(sql`select 1 from data_versions where layer = 'reports' for update`);
	await applyReports(tx, source, sign, await readSettings(tx));
}

/**
 * A rebuild goes region by region: every key a report touches (resolutions 6–9) lies inside its
 * resolution-6 ancestor, so regions' keys are disjoint and each batch of regions is summed, written
 * and forgotten — memory bounded by a batch, not by the nation (issue 20).
 */
const REBUILD_REGION_RESOLUTION = 6;
/** Reports summed in memory before their keys are written (~150 bytes each while summed). */
const REBUILD_BATCH_REPORTS = 500_000;
/** Reports read per statement. */
const REBUILD_READ_REPORTS = 50_000;

/**
 * Recomputes the layer from `signal_reports` (within the stored window), in the caller's
 * transaction; equals the incremental state (tests hold it to that). With `ancestors` (resolution-6
 * ancestor numbers, src/lib/grid/regions.ts), only the keys below them, from their reports — a
 * province's recomputation: its statements name the ancestors' value ranges and partition regions,
 * so PostgreSQL reads and writes only those partitions. The batch sizes are for tests.
 */
export async function rebuildMeasured(
	db: Database,
	{ ancestors, batchReports = REBUILD_BATCH_REPORTS, readReports = REBUILD_READ_REPORTS }: { ancestors?: readonly number[]; batchReports?: number; readReports?: number } = {}
): Promise<void> {
	await lockMeasured(db);
	let reports: SQL = sql`signal_reports`;
	if (ancestors) {
		if (ancestors.length === 0) return;
		const ranges = res9RangesOfAncestors(ancestors).map(({ lo, hi }) => sql`(h3_res9 >= ${lo.toString()}::bigint and h3_res9 < ${hi.toString()}::bigint)`);
		reports = sql`(select * from signal_reports where ${sql.join(ranges, sql` or `)})`;
		const regions = [...new Set(ancestors.map(regionOfAncestor))];
		await db.orm.execute(sql`
			delete from measured_cells where region = any(${`{${regions.join(',')}}`}::smallint[])
				and ((cell >> ${regionShift(6)}) & ${ANCESTOR_NUMBER_MASK}) = any(${`{${ancestors.join(',')}}`}::int[])`);
	} else {
		await db.orm.execute(sql`truncate measured_cells`);
	}
	const s = await readSettings(db);
	await internReporters(db, reports);
	const shift = regionShift(REBUILD_REGION_RESOLUTION);
	const groups = await db.rows<{ region: string; reports: number }>(sql`
		select (c.h3_res9 >> ${shift})::text as region, count(*)::int as reports from ${reports} c
		where c.observed_at >= (select window_start from measured_state) group by 1 order by 1`);
	for (const batch of runsUpTo(groups, (r) => r.reports, batchReports)) {
		const accumulator = new ReportAccumulator(thresholdsFromSettings(s));
		const reads = runsUpTo(batch, (r) => r.reports, readReports).map((run) => {
			const { lo, hi } = regionRange(BigInt(run[0].region), BigInt(run[run.length - 1].region), REBUILD_REGION_RESOLUTION);
			// Within `reports`: a run's range may span regions that are not asked for.
			return () => contributionRows(db, reports, sql`c.h3_res9 >= ${lo.toString()}::bigint and c.h3_res9 < ${hi.toString()}::bigint`);
		});
		await readInTurn(reads, accumulator);
		await writeContributions(db, accumulator, 1, s, true);
	}
	// The log says nothing about a rebuild: caches from before it recompute in full.
	await db.orm.execute(sql`truncate measured_changes`);
	if (ancestors) await db.orm.execute(sql`update measured_state set changes_from = (select version from data_versions where layer = 'measured')`);
	else await db.orm.execute(sql`update measured_state set settings_version = ${await builtWith(db)}, changes_from = (select version from data_versions where layer = 'measured')`);
}

/** The resolution-6 ancestors of a province's communes (either boundary set), sorted. */
export async function ancestorsOfProvince(db: Database, provinceCode: string): Promise<number[]> {
	const rows = await db.rows<{ g: string }>(sql`select ST_AsGeoJSON(geom, 6) as g from communes where province_code = ${provinceCode}`);
	return [...new Set(rows.flatMap((r) => ancestorsOfArea(JSON.parse(r.g) as AreaGeometry)))].sort((a, b) => a - b);
}

/**
 * What a built layer records: the state format and the values of the settings it rests on
 * (class floors, weights, window) — other settings, e.g. propagation's, leave it alone.
 */
async function builtWith(db: Database): Promise<string> {
	return `f${STATE_FORMAT}:${settingsFingerprint(await readSettings(db), ['signal.', 'measured.'])}`;
}

/**
 * Rebuilds the layer when it was computed with other settings than those in force (thresholds
 * and weights shape every summary), or never: at start, after an upgrade, after `settings set`.
 * Returns whether it rebuilt.
 */
export async function ensureMeasuredCurrent(db: Database): Promise<boolean> {
	return inTransaction(db, async (tx) => {
		// One process at a time decides (a second app server waits here, then finds it current).
		await lockMeasured(tx);
		const [state] = await tx.rows<{ settings_version: string }>(sql`select settings_version from measured_state`);
		if (state.settings_version === (await builtWith(tx))) return false;
		await rebuildMeasured(tx);
		return true;
	});
}

/** A canonical text of the whole layer (states and summaries), to compare two states. */
export async function measuredFingerprint(db: Database): Promise<{ cells: string; rows: number }> {
	const [row] = await db.rows<{ cells: string; rows: number }>(sql`
		select count(*)::int as rows, coalesce(md5(string_agg(concat_ws(',', res, cell, operator_code, technology, reports, reporters, round(weight::numeric, 6), median_dbm, p10_dbm, median_bars,
			round(dead_share::numeric, 9), median_download_mbps, median_upload_mbps, first_day, last_day, days, good, fair, poor, dead, failing_hours, class, md5(state)), ';' order by res, cell, operator_code, technology)), '') as cells
		from measured_cells`);
	return row;
}

/**
 * Moves the window's start to `now − measured.window_days` and removes the contributions of the
 * reports that left it (the daily job). Returns how many reports were retired.
 */
export async function retireOldReports(db: Database, now = new Date()): Promise<number> {
	const settings = await readSettings(db);
	const [state] = await db.rows<{ window_start: string | Date }>(sql`select window_start from measured_state for update`);
	const from = new Date(state.window_start);
	const to = new Date(now.getTime() - settings['measured.window_days'] * 86_400_000);
	if (to <= from) return 0;
	const retired = await applyReports(db, sql`(select * from signal_reports where observed_at >= ${from.toISOString()} and observed_at < ${to.toISOString()})`, -1, settings);
	await db.orm.execute(sql`update measured_state set window_start = ${to.toISOString()}`);
	return retired;
}
