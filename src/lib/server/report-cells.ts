import { sql } from 'drizzle-orm';
import type { Bbox } from '../api/params';
import type { SessionUser } from '../auth/roles';
import type { ReportCell } from '../coverage/cell-summary';
import { decimalToCell } from '../grid/h3';
import type { Database } from './db/index';
import { h3ParentSql, signalClassSql } from './signal-sql';

/** Finest resolution of the public report aggregates (~0.74 km² cells, edge ~460 m). */
export const PUBLIC_CELL_RESOLUTION = 8;
/** Coarser resolutions the map asks for when zoomed out (res 7: ~5 km², res 6: ~36 km²). */
export const CELL_RESOLUTIONS = [6, 7, 8] as const;
export type CellResolution = (typeof CELL_RESOLUTIONS)[number];


/**
 * Report counts per H3 cell (resolution 8 unless asked coarser) inside `bbox`, only for cells with at least `minReporters`
 * distinct reporters (reports without a reporter key do not count as a reporter), so a single
 * resident's reports never show on their own. `operatorCode` restricts to one operator's reports.
 */
export async function reportCellsInBbox(
	db: Database,
	bbox: Bbox,
	{ minReporters, operatorCode, resolution = PUBLIC_CELL_RESOLUTION }: { minReporters: number; operatorCode?: string; resolution?: CellResolution }
): Promise<ReportCell[]> {
	const [w, s, e, n] = bbox;
	const rows = await db.rows<{ cell: string; reports: number; reporters: number; good: number; fair: number; poor: number; dead: number }>(sql`
		select c.cell::text as cell, count(*)::int as reports, count(distinct c.reporter_key)::int as reporters,
			count(*) filter (where c.cls = 'good')::int as good, count(*) filter (where c.cls = 'fair')::int as fair,
			count(*) filter (where c.cls = 'poor')::int as poor, count(*) filter (where c.cls = 'dead')::int as dead
		from (
			select ${h3ParentSql(sql`r.h3_res9`, resolution)} as cell, r.reporter_key, ${signalClassSql} as cls
			from signal_reports r
			where r.geom && ST_MakeEnvelope(${w}::float8, ${s}::float8, ${e}::float8, ${n}::float8, 4326)
				and ${operatorCode === undefined ? sql`true` : sql`r.operator_code = ${operatorCode}`}
		) c
		group by c.cell
		having count(distinct c.reporter_key) >= ${minReporters}
		order by c.cell`);
	return rows.map((r) => ({ h3: decimalToCell(r.cell), reports: r.reports, reporters: r.reporters, good: r.good, fair: r.fair, poor: r.poor, dead: r.dead }));
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
