import type { Settings } from '../settings/definitions';
import { SIGNAL_CLASSES, type SignalClass } from '../signal/classes';

/**
 * Fusion: one best estimate per cell, operator and technology from three sources, with the source
 * that decided and why, and the disputes between them. Pure; the rules are the tables below.
 *
 *   1. measured, where the cell's own evidence is confident enough (`fusion.measured_min_confidence`);
 *   2. measured at the res-8 parent (res-9 cells only), where the cell's own is not and the parent's is;
 *   3. predicted (the calibrated propagation model), where a site reaches the cell;
 *   4. declared (the operator's published map): covered reads as fair — the operator claims
 *      service there — and outside a published map as dead;
 *   otherwise nothing is known.
 *
 * A *dispute* needs the cell's own measurements (never its parent's) to pass the FCC-style gates of
 * ../shared/DOMAIN.md — enough distinct reporters, on more than one day, failing at times of day
 * hours apart, with enough confidence (`dispute.*`) — and say poor or dead where the declared map says covered, or the prediction says
 * fair or better. *Unexpected coverage* is the reverse: such measurements say fair or better where
 * the prediction says dead or no site reaches (a site missing from the inventory?).
 */

/** What the measured layer says about a key, with its confidence as of the reading day. */
export interface MeasuredEvidence {
	class: SignalClass | null;
	confidence: number;
	reporters: number;
	/** Distinct days with reports. */
	days: number;
	medianDbm: number | null;
	/**
	 * The widest time-of-day gap (hours) between the cell's failing (poor or dead) reports, from
	 * the measured layer's failing hours; absent or null: unknown, and the hour gate does not apply.
	 */
	failingHourSpan?: number | null;
}

export interface PredictedEvidence {
	class: SignalClass;
	dbm: number;
}

export interface FusionInputs {
	measured: MeasuredEvidence | null;
	/** The res-8 parent's measured evidence (res-9 cells only; null elsewhere). */
	parentMeasured: MeasuredEvidence | null;
	predicted: PredictedEvidence | null;
	/** Inside the operator's declared map (true), outside a map it published (false), or no map for this key (null). */
	declared: boolean | null;
}

export type FusedSource = 'measured' | 'measured-parent' | 'predicted' | 'declared';
export const FUSED_SOURCES: readonly FusedSource[] = ['measured', 'measured-parent', 'predicted', 'declared'];

/** Why the source decided (stable codes; the UI words them). */
export type FusionReason = 'confident-measurement' | 'parent-measurement' | 'prediction' | 'declared-covered' | 'declared-not-covered' | 'no-evidence';

export type DisputeKind = 'declared' | 'predicted';

export interface FusedCell {
	class: SignalClass | null;
	source: FusedSource | null;
	reason: FusionReason;
	/** Confidence of the deciding evidence: the measured confidence; 0 for predicted and declared. */
	confidence: number;
	/** The level the estimate rests on: the measured median or the predicted level (null: declared or none). */
	dbm: number | null;
	/** What confident measurements contradict: the declared map, the prediction, both or neither. */
	disputes: DisputeKind[];
	/** Confident measurements of fair or better where the prediction says dead or nothing reaches. */
	unexpected: boolean;
}

/** The thresholds fusion reads (settings `fusion.*` and `dispute.*`). */
export interface FusionRules {
	measuredMinConfidence: number;
	disputeMinReporters: number;
	disputeMinDays: number;
	disputeMinConfidence: number;
	disputeMinHoursApart: number;
}

export const fusionRulesFromSettings = (s: Settings): FusionRules => ({
	measuredMinConfidence: s['fusion.measured_min_confidence'],
	disputeMinReporters: s['dispute.min_reporters'],
	disputeMinDays: s['dispute.min_days'],
	disputeMinConfidence: s['dispute.min_confidence'],
	disputeMinHoursApart: s['dispute.min_hours_apart']
});

const served = (c: SignalClass | null) => c === 'good' || c === 'fair';
const unserved = (c: SignalClass | null) => c === 'poor' || c === 'dead';
const confident = (m: MeasuredEvidence | null, r: FusionRules): m is MeasuredEvidence => m !== null && m.class !== null && m.confidence >= r.measuredMinConfidence;

/** The order sources decide in: the first row that applies gives the estimate. */
export const FUSION_TABLE: readonly {
	source: FusedSource;
	reason: (i: FusionInputs) => FusionReason;
	applies: (i: FusionInputs, r: FusionRules) => boolean;
	estimate: (i: FusionInputs) => { class: SignalClass | null; confidence: number; dbm: number | null };
}[] = [
	{
		source: 'measured',
		reason: () => 'confident-measurement',
		applies: (i, r) => confident(i.measured, r),
		estimate: (i) => ({ class: i.measured!.class, confidence: i.measured!.confidence, dbm: i.measured!.medianDbm })
	},
	{
		source: 'measured-parent',
		reason: () => 'parent-measurement',
		applies: (i, r) => confident(i.parentMeasured, r),
		estimate: (i) => ({ class: i.parentMeasured!.class, confidence: i.parentMeasured!.confidence, dbm: i.parentMeasured!.medianDbm })
	},
	{
		source: 'predicted',
		reason: () => 'prediction',
		applies: (i) => i.predicted !== null,
		estimate: (i) => ({ class: i.predicted!.class, confidence: 0, dbm: i.predicted!.dbm })
	},
	{
		source: 'declared',
		reason: (i) => (i.declared ? 'declared-covered' : 'declared-not-covered'),
		applies: (i) => i.declared !== null,
		estimate: (i) => ({ class: i.declared ? 'fair' : 'dead', confidence: 0, dbm: null })
	}
];

/** Whether the cell's own measurements pass the dispute gates (for unexpected coverage: all but the failing-hour gate). */
export function passesDisputeGates(m: MeasuredEvidence | null, r: FusionRules): m is MeasuredEvidence {
	return m !== null && m.class !== null && m.reporters >= r.disputeMinReporters && m.days >= r.disputeMinDays && m.confidence >= r.disputeMinConfidence;
}

/** The failing-hour gate. An unknown span (undefined or null) passes. */
const failingHoursApart = (m: MeasuredEvidence, r: FusionRules) => m.failingHourSpan == null || m.failingHourSpan >= r.disputeMinHoursApart;

/** The widest gap between two hours on the 24-hour clock (23:00 and 01:00 are 2 hours apart). */
export function hourSpan(hours: readonly number[]): number {
	let widest = 0;
	for (let i = 0; i < hours.length; i++) {
		for (let j = i + 1; j < hours.length; j++) {
			const d = Math.abs(hours[i] - hours[j]);
			widest = Math.max(widest, Math.min(d, 24 - d));
		}
	}
	return widest;
}

/** The widest time-of-day gap between the hours set in a mask (bit h: hour h). */
export function hourSpanOfMask(mask: number): number {
	const hours: number[] = [];
	for (let h = 0; h < 24; h++) if (mask & (1 << h)) hours.push(h);
	return hourSpan(hours);
}

/** The disputes table: what the cell's gated measurements contradict. */
export const DISPUTE_TABLE: readonly { kind: DisputeKind; applies: (i: FusionInputs) => boolean }[] = [
	{ kind: 'declared', applies: (i) => i.declared === true && unserved(i.measured!.class) },
	{ kind: 'predicted', applies: (i) => i.predicted !== null && served(i.predicted.class) && unserved(i.measured!.class) }
];

const NO_DISPUTES: DisputeKind[] = [];

// Plain loops, no closures per call: this runs once per cell of a province, per key.
export function fuseCell(i: FusionInputs, r: FusionRules): FusedCell {
	let row: (typeof FUSION_TABLE)[number] | undefined;
	for (const t of FUSION_TABLE) {
		if (t.applies(i, r)) {
			row = t;
			break;
		}
	}
	const estimate = row ? row.estimate(i) : { class: null, confidence: 0, dbm: null };
	const gated = passesDisputeGates(i.measured, r);
	let disputes = NO_DISPUTES;
	if (gated && failingHoursApart(i.measured!, r)) {
		for (const d of DISPUTE_TABLE) if (d.applies(i)) disputes = disputes === NO_DISPUTES ? [d.kind] : [...disputes, d.kind];
	}
	return {
		class: estimate.class,
		confidence: estimate.confidence,
		dbm: estimate.dbm,
		source: row ? row.source : null,
		reason: row ? row.reason(i) : 'no-evidence',
		disputes,
		unexpected: gated && served(i.measured!.class) && (i.predicted === null || i.predicted.class === 'dead')
	};
}

/**
 * "Any operator": the index of the best operator's estimate — best class, then the more confident,
 * then the stronger level (the first of equals); −1 for no operators.
 */
export function bestOperatorIndex(cells: readonly FusedCell[]): number {
	const rank = (c: FusedCell) => (c.class === null ? SIGNAL_CLASSES.length : SIGNAL_CLASSES.indexOf(c.class));
	let best = -1;
	for (let i = 0; i < cells.length; i++) {
		const c = cells[i];
		const b = best < 0 ? null : cells[best];
		if (!b || rank(c) < rank(b) || (rank(c) === rank(b) && (c.confidence > b.confidence || (c.confidence === b.confidence && (c.dbm ?? -Infinity) > (b.dbm ?? -Infinity))))) best = i;
	}
	return best;
}

/** The best operator's estimate with no disputes of its own (disputes are an operator's); null for no operators. */
export function bestOfOperators(cells: readonly FusedCell[]): FusedCell | null {
	const i = bestOperatorIndex(cells);
	return i < 0 ? null : { ...cells[i], disputes: [], unexpected: false };
}
