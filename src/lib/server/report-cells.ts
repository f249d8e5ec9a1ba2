import { sql } from 'drizzle-orm';
import type { Bbox } from '../api/params';
import type { SessionUser } from '../auth/roles';
import type { ReportCell } from '../coverage/cell-summary';
import { cellCenter, decimalToCell } from '../grid/h3';
import { cachePerDatabase, readDataVersion } from './data-version';
import type { Database } from './db/index';
import { ANY } from '../coverage/measured';

/** Finest resolution of the public report aggregates (~0.74 km² cells, edge ~460 m). */
export const PUBLIC_CELL_RESOLUTION = 8;
/** Coarser resolutions the map asks for when zoomed out (res 7: ~5 km², res 6: ~36 km²). */
export const CELL_RESOLUTIONS = [6, 7, 8] as const;
export type CellResolution = (typeof CELL_RESOLUTIONS)[number];

/** Whether a cell is served for a bbox: its centre lies inside (public geometry, not reports). */
export function cellCentreInBbox(cell: string, [w, s, e, n]: Bbox): boolean {
	const [lng, lat] = cellCenter(cell);
	return lng >= w && lng <= e && lat >= s && lat <= n;
}

// Served from the measured layer (src/lib/server/measured.ts), kept current by every change: the
// province's cells are read once per data version, resolution, operator and k; any bbox is then a
// filter over them (a bbox never changes a cell's figures, so nothing per request).
const cellsCache = cachePerDatabase<ReportCell[]>(32);

/** The data version report cells answer from. */
export const reportCellsVersion = (db: Database) => readDataVersion(db, ['measured', 'settings']);

/** Every cell at `resolution` with at least `minReporters` distinct reporters (device keys or import files). */
async function allReportCells(db: Database, resolution: CellResolution, minReporters: number, operatorCode: string | undefined, version: string): Promise<ReportCell[]> {
	return cellsCache(db).get(`${resolution}:${minReporters}:${operatorCode ?? ANY}`, version, async () => {
		const rows = await db.rows<{ cell: string; reports: number; reporters: number; good: number; fair: number; poor: number; dead: number }>(sql`
			select cell::text as cell, reports, reporters, good, fair, poor, dead from measured_cells
			where res = ${resolution} and operator_code = ${operatorCode ?? ANY} and technology = ${ANY} and reporters >= ${minReporters}
			order by cell`);
		return rows.map((r) => ({ h3: decimalToCell(r.cell), reports: r.reports, reporters: r.reporters, good: r.good, fair: r.fair, poor: r.poor, dead: r.dead }));
	});
}

/**
 * Report counts per H3 cell (resolution 8 unless asked coarser) for the cells whose CENTRE lies in
 * `bbox`, only for cells with at least `minReporters` distinct reporters (reports without a
 * reporter key do not count as a reporter), so a single resident's reports never show on their own.
 * A cell's figures count all its reports, wherever the bbox edge falls: a bbox that cut cells
 * would let someone move one edge step by step and locate single reports. `operatorCode`
 * restricts to one operator's reports. `version` is the reports data version the caller read.
 */
export async function reportCellsInBbox(
	db: Database,
	bbox: Bbox,
	{ minReporters, operatorCode, resolution = PUBLIC_CELL_RESOLUTION, version }: { minReporters: number; operatorCode?: string; resolution?: CellResolution; version?: string }
): Promise<ReportCell[]> {
	const cells = await allReportCells(db, resolution, minReporters, operatorCode, version ?? (await reportCellsVersion(db)));
	return cells.filter((cell) => cellCentreInBbox(cell.h3, bbox));
}

/**
 * An operator's own evidence: its reports per cell. A liaison is pinned to its operator whatever
 * it asks for; planners and admins choose one. Returns null when no operator can be decided.
 */
export async function operatorEvidenceCells(
	db: Database,
	caller: SessionUser,
	bbox: Bbox,
	{ requestedOperator, minReporters, resolution, version }: { requestedOperator: string | null; minReporters: number; resolution?: CellResolution; version?: string }
): Promise<{ operator: string; cells: ReportCell[] } | null> {
	const operator = caller.role === 'operator' ? caller.operatorCode : requestedOperator;
	if (!operator) return null;
	return { operator, cells: await reportCellsInBbox(db, bbox, { minReporters, operatorCode: operator, resolution, version }) };
}
