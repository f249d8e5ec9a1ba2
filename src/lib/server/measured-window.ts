import { sql } from 'drizzle-orm';
import { ReportAccumulator, rollUp, summarise, withBestOfBelow, type MeasuredResolution } from '../coverage/measured';
import { dimKey, isEmptyState, splitDimKey } from '../coverage/measured-state';
import { thresholdsFromSettings } from '../signal/classes';
import { storedCellOfSummary, type StoredCell } from './coverage-cells';
import { cachePerDatabase } from './data-version';
import type { Database } from './db/index';
import { readContributions } from './measured-reports';
import { readSettings } from './settings';

/**
 * The measured layer over a shorter time window than its own (measured.window_days): the last 90
 * or 180 days. Fixed buckets, not free dates — two windows whose edges differ by a day would
 * isolate that day's reports — and for planners and a liaison's own operator only (they see exact
 * cells anyway); the public sees the layer's own window.
 *
 * Computed on demand from the reports, with the same pure rules as the stored layer
 * (src/lib/coverage/measured.ts), at the two resolutions the map draws, and kept per data version
 * and day (a window's edge moves once a day). A window as long as the layer's equals the stored
 * layer (tests hold it to that).
 */
export const TIME_WINDOWS = [90, 180] as const;
export type TimeWindow = (typeof TIME_WINDOWS)[number];

/** Resolution → cell → "operator|technology" → cell. */
type WindowCells = Map<number, Map<string, Map<string, StoredCell>>>;

const cache = cachePerDatabase<WindowCells>(6);

/** The resolutions a window is computed at: the explorer's two. */
const WINDOW_RESOLUTIONS: readonly MeasuredResolution[] = [7, 8];

/**
 * Every cell of the window's reports — those observed on or after `today − days` (null: all the
 * layer holds) — by resolution, cell and key.
 */
export async function computeWindow(db: Database, days: number | null, today: Date): Promise<WindowCells> {
	const settings = await readSettings(db);
	const accumulator = new ReportAccumulator(thresholdsFromSettings(settings));
	const since = days === null ? null : new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) - days * 86_400_000);
	await readContributions(db, since === null ? sql`signal_reports` : sql`(select * from signal_reports where observed_at >= ${since.toISOString()})`, accumulator);
	const levels = rollUp(accumulator.finish(1));
	const out: WindowCells = new Map();
	for (const res of WINDOW_RESOLUTIONS) {
		const byCell = new Map<string, Map<string, StoredCell>>();
		for (const [cell, dims] of levels.get(res) ?? []) {
			const summaries = new Map([...dims].filter(([, st]) => !isEmptyState(st)).map(([dim, st]) => [dim, summarise(st, splitDimKey(dim)[1], settings)]));
			if (summaries.size === 0) continue;
			withBestOfBelow(summaries);
			byCell.set(cell, new Map([...summaries].map(([dim, m]) => [dim, storedCellOfSummary(cell, m)])));
		}
		out.set(res, byCell);
	}
	return out;
}

/** The window's cells of one resolution (7 or 8) and key ('*' = any), sorted by cell. */
export async function windowCells(db: Database, window: TimeWindow, res: number, operator: string, technology: string, version: string, today = new Date()): Promise<StoredCell[]> {
	if (!WINDOW_RESOLUTIONS.includes(res as MeasuredResolution)) throw new RangeError(`res: a time window is drawn at ${WINDOW_RESOLUTIONS.join(' or ')}`);
	const day = today.toISOString().slice(0, 10);
	const all = await cache(db).get(`w${window}`, `${version}-${day}`, () => computeWindow(db, window, today));
	const dim = dimKey(operator, technology);
	const cells: StoredCell[] = [];
	for (const dims of all.get(res)?.values() ?? []) {
		const cell = dims.get(dim);
		if (cell) cells.push(cell);
	}
	return cells.sort((a, b) => (a.h3 < b.h3 ? -1 : 1));
}
