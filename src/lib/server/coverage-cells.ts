import { sql } from 'drizzle-orm';
import type { Bbox } from '../api/params';
import type { SessionUser } from '../auth/roles';
import { ANY, confidenceOf, dayOf, type MeasuredSummary } from '../coverage/measured';
import { SUMMARY_COLUMNS, summaryOfColumns, type SummaryColumns } from './measured-rows';
import { windowCells, type TimeWindow } from './measured-window';
import { cellToDecimal } from '../grid/h3';
import { cachePerDatabase, readDataVersion } from './data-version';
import type { Database } from './db/index';
import { cellCentreInBbox } from './report-cells';
import { predictedCells, type PredictedCell } from './predicted';
import { readSettings } from './settings';
import type { CoverageCellsPayload, PredictedCellsPayload } from '../coverage/payload';
import type { SignalClass } from '../signal/classes';

/** One measured cell as stored (confidence is applied when reading: it depends on today). */
export interface StoredCell {
	h3: string;
	class: SignalClass | null;
	reports: number;
	reporters: number;
	medianDbm: number | null;
	p10Dbm: number | null;
	deadShare: number;
	medianDownloadMbps: number | null;
	medianUploadMbps: number | null;
	firstDay: number;
	lastDay: number;
	/** Distinct days with reports. */
	days: number;
	/** Hours of the day with a failing report (bit h: hour h, Vietnam time). */
	failingHours: number;
}

// Res 9 fusion reads res 8 too: twice the fused layer's keys (src/lib/server/fused.ts).
const cache = cachePerDatabase<StoredCell[]>(320);

/** The data versions the measured cells answer from. */
export const measuredCellsVersion = (db: Database) => readDataVersion(db, ['measured', 'settings']);

type StoredRow = SummaryColumns & { res: number; cell: string };

/** The summary columns of `measured_cells m`. */
const STORED_COLUMNS = sql`m.res, to_hex(m.cell) as cell, ${sql.raw(SUMMARY_COLUMNS.map((c) => `m.${c}`).join(', '))}`;

/** A cell's summary as the API reads it (also for windows computed on demand, src/lib/server/measured-window.ts). */
export const storedCellOfSummary = (h3: string, m: MeasuredSummary): StoredCell => ({
	h3,
	class: m.class,
	reports: m.reports,
	reporters: m.reporters,
	medianDbm: m.medianDbm,
	p10Dbm: m.p10Dbm,
	deadShare: m.deadShare,
	medianDownloadMbps: m.medianDownloadMbps,
	medianUploadMbps: m.medianUploadMbps,
	firstDay: m.firstDay,
	lastDay: m.lastDay,
	days: m.days,
	failingHours: m.failingHours
});

const storedCellOf = (r: StoredRow): StoredCell => storedCellOfSummary(r.cell, summaryOfColumns(r));

/** Every stored measured cell of a resolution, operator and technology ('*' = any), sorted by cell, kept per data version. */
export async function storedCells(db: Database, res: number, operator: string, technology: string, version: string): Promise<StoredCell[]> {
	return cache(db).get(`${res}:${operator}:${technology}`, version, async () =>
		(await db.rows<StoredRow>(sql`select ${STORED_COLUMNS} from measured_cells m where m.res = ${res} and m.operator_code = ${operator} and m.technology = ${technology} order by m.cell`)).map(storedCellOf)
	);
}

/**
 * The stored measured cells at some cells (hex ids) of one or more resolutions, of every operator
 * and technology, read now in one query and grouped by `res:operator:technology` (each list
 * sorted by cell): what a step of the incremental fusion reads once for all its keys.
 */
export async function storedCellsAt(db: Database, sets: readonly { res: number; cells: readonly string[] }[]): Promise<Map<string, StoredCell[]>> {
	const out = new Map<string, StoredCell[]>();
	const json = JSON.stringify(sets.flatMap((s) => s.cells.map((c) => ({ res: s.res, cell: cellToDecimal(c) }))));
	if (json === '[]') return out;
	const rows = await db.rows<StoredRow & { operator_code: string; technology: string }>(sql`
		select ${STORED_COLUMNS}, m.operator_code, m.technology from json_to_recordset(${json}::json) as k(res smallint, cell text)
		join measured_cells m on m.res = k.res and m.cell = k.cell::bigint order by m.cell`);
	for (const r of rows) {
		const key = `${r.res}:${r.operator_code}:${r.technology}`;
		const list = out.get(key);
		if (list) list.push(storedCellOf(r));
		else out.set(key, [storedCellOf(r)]);
	}
	return out;
}

/** A day number (days since 1970-01-01, UTC) as an ISO date. */
export const isoDay = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);

/**
 * Whether `caller` sees cells of `operator` without the k-reporter rule and at resolution 9:
 * planners and admins always; an operator liaison for its own operator only.
 */
export function seesExactCells(caller: SessionUser | null, operator: string | null): boolean {
	if (!caller) return false;
	if (caller.role === 'planner' || caller.role === 'admin') return true;
	return caller.role === 'operator' && operator !== null && caller.operatorCode === operator;
}

/**
 * Measured cells whose centre lies in `bbox` (a bbox never changes a cell's figures), for one
 * operator and technology (null: any), with confidence as of `today`. Callers who may not see exact
 * cells get only cells with at least `publicMinReporters` distinct reporters.
 */
export async function measuredCellsInBbox(
	db: Database,
	bbox: Bbox,
	{ res, operator, technology, caller, publicMinReporters, today = new Date(), version, window = null }: { res: number; operator: string | null; technology: string | null; caller: SessionUser | null; publicMinReporters: number; today?: Date; version?: string; window?: TimeWindow | null }
): Promise<CoverageCellsPayload> {
	const settings = await readSettings(db);
	const known = version ?? (await measuredCellsVersion(db));
	if (window !== null && !seesExactCells(caller, operator)) throw new RangeError('window: shorter time windows are for planners and for an operator liaison viewing its own operator');
	const all = window === null ? await storedCells(db, res, operator ?? ANY, technology ?? ANY, known) : await windowCells(db, window, res, operator ?? ANY, technology ?? ANY, known, today);
	const minReporters = seesExactCells(caller, operator) ? 1 : publicMinReporters;
	const cells = all.filter((c) => c.reporters >= minReporters && cellCentreInBbox(c.h3, bbox));
	const todayDay = dayOf(today.toISOString());
	return {
		res,
		source: 'measured',
		operator,
		technology,
		minReporters,
		window,
		cells: cells.map((c) => c.h3),
		class: cells.map((c) => c.class),
		confidence: cells.map((c) => Math.round(confidenceOf(c, todayDay, settings) * 1000) / 1000),
		reports: cells.map((c) => c.reports),
		reporters: cells.map((c) => c.reporters),
		medianDbm: cells.map((c) => c.medianDbm),
		p10Dbm: cells.map((c) => c.p10Dbm),
		deadShare: cells.map((c) => Math.round(c.deadShare * 1000) / 1000),
		medianDownloadMbps: cells.map((c) => c.medianDownloadMbps),
		medianUploadMbps: cells.map((c) => c.medianUploadMbps),
		firstObserved: cells.map((c) => isoDay(c.firstDay)),
		lastObserved: cells.map((c) => isoDay(c.lastDay))
	};
}

// As many as the fused layer keeps (src/lib/server/fused.ts): each of its keys reads one.
const predictedCache = cachePerDatabase<PredictedCell[]>(160);

/** Every predicted cell of a resolution, operator and technology ('*' = any), kept per predicted data version. */
export const cachedPredictedCells = (db: Database, res: number, operator: string, technology: string, version: string) =>
	predictedCache(db).get(`${res}:${operator}:${technology}`, version, () => predictedCells(db, res, operator, technology));

/** Predicted cells whose centre lies in `bbox`, for one operator and technology (null: any). */
export async function predictedCellsInBbox(
	db: Database,
	bbox: Bbox,
	{ res, operator, technology, version: known }: { res: number; operator: string | null; technology: string | null; version?: string }
): Promise<PredictedCellsPayload> {
	const version = known ?? (await readDataVersion(db, ['predicted']));
	const all = await cachedPredictedCells(db, res, operator ?? ANY, technology ?? ANY, version);
	const cells = all.filter((c) => cellCentreInBbox(c.h3, bbox));
	return { res, source: 'predicted', operator, technology, cells: cells.map((c) => c.h3), class: cells.map((c) => c.class), dbm: cells.map((c) => c.dbm) };
}
