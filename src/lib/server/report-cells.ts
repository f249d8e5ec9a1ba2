import { sql } from 'drizzle-orm';
import { getHexagonEdgeLengthAvg, UNITS } from 'h3-js';
import type { Bbox } from '../api/params';
import type { SessionUser } from '../auth/roles';
import type { ReportCell } from '../coverage/cell-summary';
import { cellCenter, decimalToCell } from '../grid/h3';
import type { Database } from './db/index';
import { h3ChildRangeSql, h3ParentSql, signalClassSql } from './signal-sql';

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

/**
 * A bbox grown by more than a cell's centre-to-vertex distance, so every cell whose centre is
 * inside `bbox` has at least one of its reports in the grown box (H3 edge ≈ circumradius; twice
 * the average edge covers H3's size variation).
 */
function grownBbox([w, s, e, n]: Bbox, resolution: number): Bbox {
	const marginKm = 2 * getHexagonEdgeLengthAvg(resolution, UNITS.km);
	const dLat = marginKm / 111.32;
	const dLng = marginKm / (111.32 * Math.cos((Math.min(89, Math.max(Math.abs(s), Math.abs(n))) * Math.PI) / 180));
	return [Math.max(-180, w - dLng), Math.max(-90, s - dLat), Math.min(180, e + dLng), Math.min(90, n + dLat)];
}

/**
 * Report counts per H3 cell (resolution 8 unless asked coarser) for the cells whose CENTRE lies in
 * `bbox`, only for cells with at least `minReporters` distinct reporters (reports without a
 * reporter key do not count as a reporter), so a single resident's reports never show on their own.
 * A cell's figures count all its reports, wherever the bbox edge falls: a bbox that cut cells
 * would let someone move one edge step by step and locate single reports. `operatorCode`
 * restricts to one operator's reports.
 */
export async function reportCellsInBbox(
	db: Database,
	bbox: Bbox,
	{ minReporters, operatorCode, resolution = PUBLIC_CELL_RESOLUTION }: { minReporters: number; operatorCode?: string; resolution?: CellResolution }
): Promise<ReportCell[]> {
	const [w, s, e, n] = grownBbox(bbox, resolution);
	const parent = h3ParentSql(sql`r.h3_res9`, resolution);
	const range = h3ChildRangeSql(sql`t.cell`, resolution);
	const ofOperator = (alias: string) => (operatorCode === undefined ? sql`true` : sql`${sql.raw(alias)}.operator_code = ${operatorCode}`);
	const rows = await db.rows<{ cell: string; reports: number; reporters: number; good: number; fair: number; poor: number; dead: number }>(sql`
		with touched as (
			select distinct ${parent} as cell from signal_reports r
			where r.geom && ST_MakeEnvelope(${w}::float8, ${s}::float8, ${e}::float8, ${n}::float8, 4326) and ${ofOperator('r')}
		)
		select t.cell::text as cell, count(*)::int as reports, count(distinct r.reporter_key)::int as reporters,
			count(*) filter (where c.cls = 'good')::int as good, count(*) filter (where c.cls = 'fair')::int as fair,
			count(*) filter (where c.cls = 'poor')::int as poor, count(*) filter (where c.cls = 'dead')::int as dead
		from touched t
		join signal_reports r on r.h3_res9 between ${range.lo} and ${range.hi} and ${ofOperator('r')}
		cross join lateral (select ${signalClassSql} as cls) c
		group by t.cell
		having count(distinct r.reporter_key) >= ${minReporters}
		order by t.cell`);
	return rows
		.map((r) => ({ h3: decimalToCell(r.cell), reports: r.reports, reporters: r.reporters, good: r.good, fair: r.fair, poor: r.poor, dead: r.dead }))
		.filter((cell) => cellCentreInBbox(cell.h3, bbox));
}

/**
 * An operator's own evidence: its reports per cell. A liaison is pinned to its operator whatever
 * it asks for; planners and admins choose one. Returns null when no operator can be decided.
 */
export async function operatorEvidenceCells(
	db: Database,
	caller: SessionUser,
	bbox: Bbox,
	{ requestedOperator, minReporters, resolution }: { requestedOperator: string | null; minReporters: number; resolution?: CellResolution }
): Promise<{ operator: string; cells: ReportCell[] } | null> {
	const operator = caller.role === 'operator' ? caller.operatorCode : requestedOperator;
	if (!operator) return null;
	return { operator, cells: await reportCellsInBbox(db, bbox, { minReporters, operatorCode: operator, resolution }) };
}
