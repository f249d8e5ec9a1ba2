import type { FeatureCollection, MultiPolygon, Point } from 'geojson';
import type { FusedSource, FusionReason } from './fusion';
import type { VillageStatus } from './villages';
import type { SignalClass } from '../signal/classes';

/** What `/api/coverage/cells`, `/api/dead-zones` and `/api/villages` answer, shared by the server that builds it and the map that reads it. */

/** The columnar answer of `/api/coverage/cells`: one array per field, index i is cell i. */
export interface CoverageCellsPayload {
	res: number;
	source: 'measured';
	operator: string | null;
	technology: string | null;
	/** Cells below this many distinct reporters are left out for this caller (1 = none left out). */
	minReporters: number;
	/** The last this many days only (90 or 180); null: the layer's own window (measured.window_days). */
	window: number | null;
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

/** A commune a dead zone touches, in either boundary set. */
export interface CommuneRef {
	code: string;
	name: string;
	set: '2025' | 'pre2025';
}

/** The source that decided most of a dead zone's cells (the res-8 parent's measurements count as measured). */
export type DominantSource = 'measured' | 'predicted' | 'declared';

/** A dead zone as `/api/dead-zones` sends it. */
export interface DeadZoneProps {
	id: number;
	cellCount: number;
	areaKm2: number;
	households: number;
	population: number;
	communes: CommuneRef[];
	/** Null for the public when fewer than k distinct reporters sent them. */
	openReports: number | null;
	openReporters: number | null;
	dominantSource: DominantSource;
	poorCells: number;
	deadCells: number;
}

/** The answer of `/api/dead-zones`. */
export type DeadZoneCollection = FeatureCollection<MultiPolygon, DeadZoneProps> & {
	res: number;
	operator: string | null;
	minReporters: number;
	totals: { zones: number; households: number };
};

/** A village as `/api/villages` sends it. */
export interface VillageProps {
	id: number;
	name: string;
	communeCode: string;
	communeName: string | null;
	households: number | null;
	hasPower: boolean | null;
	status: VillageStatus;
	officialStatus: VillageStatus | null;
	agreesWithOfficial: boolean | null;
	centreClass: SignalClass | null;
	centreSource: string | null;
	unservedCells: number;
	unservedHouseholds: number;
	estimatedHouseholds: number;
	bestOperator: string | null;
	synthetic: boolean;
}

/** The answer of `/api/villages`: the villages in the box, their counts by status, and how they compare with the official register. */
export type VillageCollection = FeatureCollection<Point, VillageProps> & {
	operator: string | null;
	minReporters: number;
	counts: Record<VillageStatus, number>;
	comparison: { agreements: number; disagreements: number; matrix: Record<VillageStatus, Record<VillageStatus, number>> };
};

/**
 * One commune's scorecard as `/api/communes/scorecards` sends it (JSON, and the same rows as CSV
 * and Excel columns). Shares are 0…1 (null where the whole is 0); `<operator>_share` columns follow
 * for each operator with data.
 */
export interface ScorecardRow {
	commune_code: string;
	name: string;
	set: '2025' | 'pre2025';
	province_code: string | null;
	province_name: string | null;
	district_code: string | null;
	/** The operator view ('*': any operator). */
	operator: string;
	priority_rank: number;
	priority_score: number;
	households: number;
	population: number;
	covered_share: number | null;
	share_4g: number | null;
	share_5g: number | null;
	population_covered: number;
	population_4g: number;
	population_5g: number;
	unserved_households: number;
	remote_unserved_households: number;
	dead_zone_households: number;
	dead_zone_area_km2: number;
	villages: number;
	trang_song: number;
	lom_song: number;
	villages_with_power: number;
	villages_with_power_served: number;
	fiber_households_total: number;
	fiber_households_passed: number;
	fiber_passed_share: number | null;
	fiber_connected_share: number | null;
	open_reports: number;
	fresh_share: number | null;
	last_report: string | null;
	median_4g_download_mbps: number | null;
	/** Median 4G download ≥ the national target (speed.target_download_mbps), null without speed data. */
	meets_4g_speed_target: boolean | null;
	via_crosswalk: boolean;
	synthetic: boolean;
	[operatorShare: `${string}_share`]: number | null;
}

/** Households and people per H3 cell (from the population raster and commune counts), as columns. */
export interface PopulationCellsPayload {
	res: number;
	cells: string[];
	households: number[];
	people: number[];
	/** Households per km² of the cell. */
	householdsPerKm2: number[];
}

/** Fiber households per 2025 commune for one operator (null: any operator), as columns. */
export interface FiberCommunesPayload {
	operator: string | null;
	/** The newest `as_of` among the rows (null: undated). */
	asOf: string | null;
	codes: string[];
	householdsTotal: number[];
	householdsPassed: number[];
	householdsConnected: number[];
	synthetic: boolean;
}
