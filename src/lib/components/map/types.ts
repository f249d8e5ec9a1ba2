import type { FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import type { BestCellsPayload, CoverageCellsPayload, DeadZoneProps, DisputedCellsPayload, DisputeFlag, PopulationCellsPayload, PredictedCellsPayload, VillageProps } from '../../coverage/payload';
import type { FiberFigures } from './choropleth';
import type { FusedSource, FusionReason } from '../../coverage/fusion';
import type { SignalClass } from '../../signal/classes';

export interface CommuneProps {
	code: string;
	name: string;
	kind: string | null;
	provinceName: string | null;
	population: number | null;
	households: number | null;
	householdsSynthetic: boolean;
	label: [number, number];
}

export interface TowerProps {
	siteCode: string;
	operator: string;
	technologies: string[];
	antennaHeightM: number | null;
	synthetic: boolean;
}

export interface ReportProps {
	sourceKind: 'resident' | 'drive_test' | 'app';
	operator?: string;
	// Absent values are left out of the payload (json_strip_nulls).
	technology?: string;
	rsrpDbm?: number;
	rssiDbm?: number;
	signalBars?: number;
	noService: boolean;
	/** Local (Asia/Ho_Chi_Minh) date, YYYY-MM-DD. */
	observedAt: string;
	synthetic: boolean;
	/** Added in the browser once, so layers need not classify on every redraw. */
	signalClass?: SignalClass | null;
}

export type CommuneCollection = FeatureCollection<Polygon | MultiPolygon, CommuneProps>;
export type TowerCollection = FeatureCollection<Point, TowerProps>;
export type ReportCollection = FeatureCollection<Point, ReportProps>;

/** One measured cell as the map draws it (a row of /api/coverage/cells' columns). */
export interface MeasuredCell {
	h3: string;
	class: SignalClass | null;
	confidence: number;
	reports: number;
	reporters: number;
	medianDbm: number | null;
	lastObserved: string;
}

/** Rows from the columns. */
export function measuredCellsOf(a: CoverageCellsPayload): MeasuredCell[] {
	return a.cells.map((h3, i) => ({ h3, class: a.class[i], confidence: a.confidence[i], reports: a.reports[i], reporters: a.reporters[i], medianDbm: a.medianDbm[i], lastObserved: a.lastObserved[i] }));
}

/** One predicted cell as the map draws it (a row of /api/coverage/cells?source=predicted). */
export interface PredictedMapCell {
	h3: string;
	class: SignalClass;
	dbm: number;
}

/** Rows from the predicted columns. */
export function predictedCellsOf(a: PredictedCellsPayload): PredictedMapCell[] {
	return a.cells.map((h3, i) => ({ h3, class: a.class[i], dbm: a.dbm[i] }));
}

/** One fused cell as the map draws it (a row of /api/coverage/cells?source=best). */
export interface BestMapCell {
	h3: string;
	class: SignalClass;
	decidedBy: FusedSource;
	reason: FusionReason;
	confidence: number;
	dbm: number | null;
	bestOperator: string;
}

/** Rows from the fused columns (cells with a class only: the API sends no others). */
export function bestCellsOf(a: BestCellsPayload): BestMapCell[] {
	return a.cells.map((h3, i) => ({ h3, class: a.class[i]!, decidedBy: a.decidedBy[i]!, reason: a.reason[i], confidence: a.confidence[i], dbm: a.dbm[i], bestOperator: a.bestOperator[i] }));
}

/** One disputed cell and operator as the map draws it (a row of /api/coverage/cells?source=disputed). */
export interface DisputedMapCell {
	h3: string;
	operator: string;
	flags: DisputeFlag[];
	measuredClass: SignalClass | null;
	predictedClass: SignalClass | null;
	declaredCovered: boolean | null;
	reports: number;
	reporters: number;
	medianDbm: number | null;
	firstObserved: string;
	lastObserved: string;
}

export function disputedCellsOf(a: DisputedCellsPayload): DisputedMapCell[] {
	return a.cells.map((h3, i) => ({
		h3,
		operator: a.operators[i],
		flags: a.flags[i],
		measuredClass: a.measuredClass[i],
		predictedClass: a.predictedClass[i],
		declaredCovered: a.declaredCovered[i],
		reports: a.reports[i],
		reporters: a.reporters[i],
		medianDbm: a.medianDbm[i],
		firstObserved: a.firstObserved[i],
		lastObserved: a.lastObserved[i]
	}));
}

/** One population cell as the map draws it (a row of /api/population/cells). */
export interface PopulationMapCell {
	h3: string;
	households: number;
	people: number;
	householdsPerKm2: number;
}

export function populationCellsOf(a: PopulationCellsPayload): PopulationMapCell[] {
	return a.cells.map((h3, i) => ({ h3, households: a.households[i], people: a.people[i], householdsPerKm2: a.householdsPerKm2[i] }));
}

/** A proposed site as the explorer draws it (a row of /api/proposals, trimmed). */
export interface ProposalMapSite {
	id: number;
	operatorCode: string;
	siteType: 'small-cell' | 'macro';
	households: number;
	state: string;
	communeName: string | null;
	position: [number, number];
	/** The cells the site is predicted to cover (the plan's targets). */
	targetCells: string[];
}

/** A commune with its fiber figures (none: no operator reported any), for the fiber choropleth. */
export type FiberCommuneProps = CommuneProps & { fiber?: FiberFigures };
export type FiberCommuneCollection = FeatureCollection<Polygon | MultiPolygon, FiberCommuneProps>;

/** A dead zone as /api/dead-zones sends it. */
export type { DeadZoneCollection, DeadZoneProps, VillageCollection, VillageProps } from '../../coverage/payload';
export type { VillageStatus } from '../../coverage/villages';

export interface LayerVisibility {
	communes: boolean;
	towers: boolean;
	reportCells: boolean;
	/** The propagation model's prediction (src/lib/propagation/). */
	predicted: boolean;
	/** The fused best estimate (src/lib/coverage/fusion.ts). */
	best: boolean;
	/** Cells where confident measurements contradict the declared map or the prediction (planners; a liaison's own operator). */
	disputed: boolean;
	/** Exact points: planners only. */
	reports: boolean;
	/** Dead zones (vùng lõm) of the operator filter, or where no operator serves. */
	deadZones: boolean;
	/** Villages by status (trắng / lõm / có sóng). */
	villages: boolean;
	/** Share of households passed by fiber, per commune. */
	fiber: boolean;
	/** Households per km², per H3 cell. */
	population: boolean;
	/** Proposed sites and the cells they would cover (signed-in callers: those they may see). */
	proposals: boolean;
}

/** What is under the pointer, for the tooltip. */
/** Where the pointer is, and the commune under it (named first in a cell's tooltip). */
interface HoverPlace {
	coordinate?: [number, number];
	commune?: string | null;
}

export type Hovered = HoverPlace &
	(
	| { kind: 'commune'; x: number; y: number; props: CommuneProps }
	| { kind: 'tower'; x: number; y: number; props: TowerProps }
	| { kind: 'report'; x: number; y: number; props: ReportProps }
	| { kind: 'cell'; x: number; y: number; props: MeasuredCell }
	| { kind: 'predicted'; x: number; y: number; props: PredictedMapCell }
	| { kind: 'best'; x: number; y: number; props: BestMapCell }
	| { kind: 'disputed'; x: number; y: number; props: DisputedMapCell }
	| { kind: 'deadzone'; x: number; y: number; props: DeadZoneProps }
	| { kind: 'village'; x: number; y: number; props: VillageProps }
	| { kind: 'fiber'; x: number; y: number; props: FiberCommuneProps }
	| { kind: 'population'; x: number; y: number; props: PopulationMapCell }
	| { kind: 'proposal'; x: number; y: number; props: ProposalMapSite }
	);
