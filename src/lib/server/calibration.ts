import { sql } from 'drizzle-orm';
import { confidenceOf, dayOf } from '../coverage/measured';
import { applyCorrection, calibrate, type CalibrationPoint, type Correction, type GroupCalibration } from '../propagation/calibration';
import type { CellGrid } from '../propagation/cell-grid';
import type { Settlement } from '../propagation/link-budget';
import type { BestServers, PredictionSite } from '../propagation/predict';
import { bearing } from '../propagation/terrain';
import type { Settings } from '../settings/definitions';
import type { Database } from './db/index';

/**
 * Calibration of the predicted layer against the measured one (the rules in
 * src/lib/propagation/calibration.ts): the points are the confident measured res-9 cells of each
 * operator × technology where the model predicts a level; the fit is stored per operator ×
 * technology × settlement with its before/after report on the held-back 20 %, and every
 * prediction adds it to the model's level.
 */

/** One operator × technology's model levels before calibration, on a grid. */
export interface RawGroup {
	op: string;
	tech: string;
	best: BestServers;
	sites: readonly PredictionSite[];
}

/** Distance (km) from a cell of the grid to its best server. */
function serverDistanceKm(g: RawGroup, grid: CellGrid, i: number): number {
	return bearing(g.sites[g.best.site[i]].position, [grid.lng[i], grid.lat[i]]).distanceM / 1000;
}

const groupKey = (op: string, tech: string, settlement: Settlement) => `${op}|${tech}|${settlement}`;

/** Fits the corrections from the measured layer, stores them with their report, and returns them. */
export async function fitCalibration(db: Database, grid: CellGrid, groups: readonly RawGroup[], settlements: readonly Settlement[], s: Settings, today = new Date()): Promise<GroupCalibration[]> {
	const rows = await db.rows<{ h3: string; operator_code: string; technology: string; median_dbm: number; reporters: number; first_day: number; last_day: number }>(sql`
		select to_hex(cell) as h3, operator_code, technology, median_dbm, reporters, first_day, last_day from measured_cells
		where res = 9 and operator_code <> '*' and technology <> '*' and median_dbm is not null and median_dbm > -200`);
	const byKey = new Map(groups.map((g) => [`${g.op}|${g.tech}`, g]));
	const todayDay = dayOf(today.toISOString());
	const points: CalibrationPoint[] = [];
	for (const r of rows) {
		const g = byKey.get(`${r.operator_code}|${r.technology}`);
		if (!g || confidenceOf({ reporters: r.reporters, firstDay: r.first_day, lastDay: r.last_day }, todayDay, s) < s['propagation.calibration_min_confidence']) continue;
		const i = grid.indexOf(r.h3);
		if (i < 0 || Number.isNaN(g.best.dbm[i])) continue;
		points.push({ cell: r.h3, group: groupKey(g.op, g.tech, settlements[i]), measuredDbm: r.median_dbm, predictedDbm: g.best.dbm[i], distanceKm: serverDistanceKm(g, grid, i) });
	}
	const result = calibrate(points);
	await db.orm.execute(sql`delete from predicted_calibration`);
	for (const c of result) {
		const [op, tech, settlement] = c.group.split('|');
		await db.orm.execute(sql`
			insert into predicted_calibration (operator_code, technology, settlement, offset_db, slope_db_per_decade, fitted, held_back, before_mean_db, before_rmse_db, after_mean_db, after_rmse_db)
			values (${op}, ${tech}, ${settlement}, ${c.correction.offsetDb}, ${c.correction.slopeDbPerDecade}, ${c.fitted}, ${c.before.count}, ${c.before.meanErrorDb}, ${c.before.rmseDb}, ${c.after.meanErrorDb}, ${c.after.rmseDb})`);
	}
	return result;
}

/** The stored corrections ("operator|technology|settlement" → correction). */
export async function readCorrections(db: Database): Promise<Map<string, Correction>> {
	const rows = await db.rows<{ operator_code: string; technology: string; settlement: Settlement; offset_db: number; slope_db_per_decade: number }>(sql`
		select operator_code, technology, settlement, offset_db, slope_db_per_decade from predicted_calibration`);
	return new Map(rows.map((r) => [groupKey(r.operator_code, r.technology, r.settlement), { offsetDb: r.offset_db, slopeDbPerDecade: r.slope_db_per_decade }]));
}

/** Adds each cell's correction (its group and settlement's) to a group's levels, in place. */
export function applyCorrections(g: RawGroup, grid: CellGrid, settlements: readonly Settlement[], corrections: Map<string, Correction>): void {
	for (let i = 0; i < grid.size; i++) {
		if (Number.isNaN(g.best.dbm[i])) continue;
		const c = corrections.get(groupKey(g.op, g.tech, settlements[i]));
		if (c) g.best.dbm[i] = applyCorrection(c, g.best.dbm[i], serverDistanceKm(g, grid, i));
	}
}

/** The calibration report as stored, for planners (CLI `coverage calibration`, the settings page). */
export interface CalibrationRow {
	operator: string;
	technology: string;
	settlement: Settlement;
	offsetDb: number;
	slopeDbPerDecade: number;
	fitted: number;
	heldBack: number;
	before: { meanDb: number; rmseDb: number };
	after: { meanDb: number; rmseDb: number };
	calibratedAt: string;
}

export async function calibrationReport(db: Database): Promise<CalibrationRow[]> {
	const rows = await db.rows<{
		operator_code: string;
		technology: string;
		settlement: Settlement;
		offset_db: number;
		slope_db_per_decade: number;
		fitted: number;
		held_back: number;
		before_mean_db: number;
		before_rmse_db: number;
		after_mean_db: number;
		after_rmse_db: number;
		calibrated_at: string | Date;
	}>(sql`select * from predicted_calibration order by operator_code, technology, settlement`);
	return rows.map((r) => ({
		operator: r.operator_code,
		technology: r.technology,
		settlement: r.settlement,
		offsetDb: r.offset_db,
		slopeDbPerDecade: r.slope_db_per_decade,
		fitted: r.fitted,
		heldBack: r.held_back,
		before: { meanDb: r.before_mean_db, rmseDb: r.before_rmse_db },
		after: { meanDb: r.after_mean_db, rmseDb: r.after_rmse_db },
		calibratedAt: new Date(r.calibrated_at).toISOString()
	}));
}
