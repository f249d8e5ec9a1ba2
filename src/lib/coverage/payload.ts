import type { SignalClass } from '../signal/classes';

/** What `/api/coverage/cells` answers, shared by the server that builds it and the map that reads it. */

/** The columnar answer of `/api/coverage/cells`: one array per field, index i is cell i. */
export interface CoverageCellsPayload {
	res: number;
	source: 'measured';
	operator: string | null;
	technology: string | null;
	/** Cells below this many distinct reporters are left out for this caller (1 = none left out). */
	minReporters: number;
	cells: string[];
	class: (SignalClass | null)[];
	confidence: number[];
	reports: number[];
	reporters: number[];
	medianDbm: (number | null)[];
	p10Dbm: (number | null)[];
	deadShare: number[];
	medianDownloadMbps: (number | null)[];
	medianUploadMbps: (number | null)[];
	firstObserved: string[];
	lastObserved: string[];
}

/** The columnar answer of `/api/coverage/cells?source=predicted`. */
export interface PredictedCellsPayload {
	res: number;
	source: 'predicted';
	operator: string | null;
	technology: string | null;
	cells: string[];
	class: SignalClass[];
	/** The predicted level: the best server's at res 9, the median of the res-9 cells below a parent. */
	dbm: number[];
}
