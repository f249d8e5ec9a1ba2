import { ANY } from '../coverage/measured';
import type { Bbox } from '../api/params';
import type { BestCellsPayload, DeclaredCellsPayload, DisputedCellsPayload, DisputeFlag } from '../coverage/payload';
import { isoDay } from './coverage-cells';
import type { Database } from './db/index';
import { readDeclaredGrids } from './declared';
import { fusedCells, fusedVersion, operatorCodes, type FusedRow } from './fused';
import { declaredAt } from './fused-operator';
import { cellCentreInBbox } from './report-cells';
import { readSettings } from './settings';

/**
 * What the API serves of the fused layer (src/lib/server/fused.ts): the best estimate, the
 * declared cover and the disputes in a box, as the columnar payloads of src/lib/coverage/payload.ts.
 */

/**
 * The fused best estimate of cells whose centre lies in `bbox`; measurements of cells with fewer
 * than `minReporters` distinct reporters are not used (the public k rule; 1 for exact callers).
 */
export async function bestCellsInBbox(
	db: Database,
	bbox: Bbox,
	{ res, operator, technology, minReporters, version }: { res: number; operator: string | null; technology: string | null; minReporters: number; version?: string }
): Promise<BestCellsPayload> {
	const rows = (await fusedCells(db, { res, operator: operator ?? ANY, technology: technology ?? ANY, minReporters }, version)).filter((r) => r.fused.class !== null && cellCentreInBbox(r.h3, bbox));
	return {
		res,
		source: 'best',
		operator,
		technology,
		minReporters,
		cells: rows.map((r) => r.h3),
		class: rows.map((r) => r.fused.class),
		decidedBy: rows.map((r) => r.fused.source),
		reason: rows.map((r) => r.fused.reason),
		confidence: rows.map((r) => Math.round(r.fused.confidence * 1000) / 1000),
		dbm: rows.map((r) => r.fused.dbm),
		bestOperator: rows.map((r) => r.operator)
	};
}

/** The cells operators' published maps cover at `res` (operator null: any operator's). */
export async function declaredCellsInBbox(db: Database, bbox: Bbox, { res, operator, technology }: { res: number; operator: string | null; technology: string | null }): Promise<DeclaredCellsPayload> {
	const [grids, settings] = await Promise.all([readDeclaredGrids(db), readSettings(db)]);
	const minShare = settings['declared.min_share'];
	const operators = [...new Set([...grids.keys()].map((k) => k.split('|')[0]))].filter((op) => operator === null || op === operator).sort();
	const byCell = new Map<string, { operators: string[]; share: number | null }>();
	for (const op of operators) {
		const d = declaredAt(grids, op, technology ?? ANY, res, minShare);
		for (const cell of d.covered) {
			if (!cellCentreInBbox(cell, bbox)) continue;
			const entry = byCell.get(cell) ?? { operators: [], share: res === 9 ? 0 : null };
			entry.operators.push(op);
			if (res === 9) entry.share = Math.max(entry.share!, d.shares.get(cell) ?? 0);
			byCell.set(cell, entry);
		}
	}
	const cells = [...byCell.keys()].sort();
	return {
		res,
		source: 'declared',
		operator,
		technology,
		minShare,
		cells,
		operators: cells.map((c) => byCell.get(c)!.operators),
		share: cells.map((c) => {
			const share = byCell.get(c)!.share;
			return share === null ? null : Math.round(share * 1000) / 1000;
		})
	};
}

/** A fused row's dispute flags. */
export const disputeFlags = (r: FusedRow): DisputeFlag[] => [...r.fused.disputes, ...(r.fused.unexpected ? (['unexpected'] as const) : [])];

/** Disputed (and unexpectedly covered) cells of one operator, or of every operator (null), with their evidence. */
export async function disputedRows(db: Database, { res, operator, technology, version }: { res: number; operator: string | null; technology: string | null; version?: string }): Promise<FusedRow[]> {
	const base = version ?? (await fusedVersion(db));
	const operators = operator ? [operator] : await operatorCodes(db);
	const out: FusedRow[] = [];
	for (const op of operators) for (const r of await fusedCells(db, { res, operator: op, technology: technology ?? ANY, minReporters: 1 }, base)) if (disputeFlags(r).length > 0) out.push(r);
	return out;
}

export async function disputedCellsInBbox(db: Database, bbox: Bbox, o: { res: number; operator: string | null; technology: string | null; version?: string }): Promise<DisputedCellsPayload> {
	const rows = (await disputedRows(db, o)).filter((r) => cellCentreInBbox(r.h3, bbox));
	return {
		res: o.res,
		source: 'disputed',
		operator: o.operator,
		technology: o.technology,
		cells: rows.map((r) => r.h3),
		operators: rows.map((r) => r.operator),
		flags: rows.map(disputeFlags),
		measuredClass: rows.map((r) => r.measured?.class ?? null),
		predictedClass: rows.map((r) => r.predicted?.class ?? null),
		declaredCovered: rows.map((r) => r.declared),
		reports: rows.map((r) => r.measured?.reports ?? 0),
		reporters: rows.map((r) => r.measured?.reporters ?? 0),
		medianDbm: rows.map((r) => r.measured?.medianDbm ?? null),
		deadShare: rows.map((r) => Math.round((r.measured?.deadShare ?? 0) * 1000) / 1000),
		firstObserved: rows.map((r) => (r.measured ? isoDay(r.measured.firstDay) : '')),
		lastObserved: rows.map((r) => (r.measured ? isoDay(r.measured.lastDay) : ''))
	};
}
