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
	/** Distinct reporters: device keys or import files (src/lib/coverage/measured.ts reporterOf). */
	reporters: number;
}
