import type { SignalClass } from '../signal/classes';

/** Report counts in one H3 cell by signal class. */
export interface CellCounts {
	reports: number;
	good: number;
	fair: number;
	poor: number;
	dead: number;
}

/** Reports aggregated to one H3 cell: counts only, no point and no reporter. */
export interface ReportCell extends CellCounts {
	h3: string;
	/** Distinct reporters (reports without a reporter key do not count). */
	reporters: number;
}

/** Share (0–1) of a cell's classified reports that are poor or dead. */
export function badShare(cell: CellCounts): number {
	const classified = cell.good + cell.fair + cell.poor + cell.dead;
	return classified === 0 ? 0 : (cell.poor + cell.dead) / classified;
}

/**
 * The class a cell is drawn in, from its bad share. Breaks at 15 %, 35 % and 60 % — a cell where
 * most reports are bad is a likely vùng lõm; a few bad reports are normal indoor noise.
 */
export function classOfCell(cell: CellCounts): SignalClass {
	const share = badShare(cell);
	if (share < 0.15) return 'good';
	if (share < 0.35) return 'fair';
	if (share < 0.6) return 'poor';
	return 'dead';
}
