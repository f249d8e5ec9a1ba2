import type { FusedSource, FusionReason } from './fusion';
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

/** The columnar answer of `/api/coverage/cells?source=best`: the fused best estimate and what decided it. */
export interface BestCellsPayload {
	res: number;
	source: 'best';
	operator: string | null;
	technology: string | null;
	/** Measurements of cells with fewer distinct reporters were not used for this caller (1 = all were). */
	minReporters: number;
	cells: string[];
	class: (SignalClass | null)[];
	/** Which source decided. */
	decidedBy: (FusedSource | null)[];
	reason: FusionReason[];
	/** The deciding measurement's confidence (0 when a prediction or a declared map decided). */
	confidence: number[];
	dbm: (number | null)[];
	/** Any operator: which operator's estimate is the best (else the operator asked for). */
	bestOperator: string[];
}

/** The columnar answer of `/api/coverage/cells?source=declared`: the cells an operator's published map covers. */
export interface DeclaredCellsPayload {
	res: number;
	source: 'declared';
	operator: string | null;
	technology: string | null;
	/** The share of a res-9 cell's res-11 centres that must lie inside (the FCC 5G Fund rule). */
	minShare: number;
	cells: string[];
	/** Operators whose map covers the cell. */
	operators: string[][];
	/** Res 9: the largest share of res-11 centres inside (null at coarser resolutions). */
	share: (number | null)[];
}

/** What confident measurements contradict in a cell, or `unexpected` (measured served where predicted dead). */
export type DisputeFlag = 'declared' | 'predicted' | 'unexpected';

/** The columnar answer of `/api/coverage/cells?source=disputed`: one entry per cell and operator. */
export interface DisputedCellsPayload {
	res: number;
	source: 'disputed';
	operator: string | null;
	technology: string | null;
	cells: string[];
	operators: string[];
	flags: DisputeFlag[][];
	measuredClass: (SignalClass | null)[];
	predictedClass: (SignalClass | null)[];
	/** Inside the operator's declared map (null: it published none). */
	declaredCovered: (boolean | null)[];
	reports: number[];
	reporters: number[];
	medianDbm: (number | null)[];
	deadShare: number[];
	firstObserved: string[];
	lastObserved: string[];
}
