import { cellToParent } from 'h3-js';
import type { Settings } from '../settings/definitions';
import { classifyByFloors, classifyObservation, SIGNAL_CLASSES, TECHNOLOGIES, thresholdsFromSettings, type SignalClass, type SignalThresholds } from '../signal/classes';
import { SOURCE_KINDS, type SignalObservationRecord, type SourceKind } from '../signal/observation';
import { binKey, binOfKey, dimKey, isEmptyState, KIND_INDEX, kindIndexOfKey, mergeState, metricOfKey, packState, reportersOf, splitDimKey, type CellStates, type MeasuredState } from './measured-state';

/**
 * Measured coverage, the rules: what one report contributes to each H3 cell, operator and
 * technology, and how a key's stored state (histograms, reporter counts) becomes its summary and
 * confidence. Pure, and the only implementation: the server module (src/lib/server/measured.ts)
 * reads reports and stored states, runs these functions and writes the result back.
 *
 * State is additive — counts per (metric, bin, source kind) and per reporter — so adding and
 * removing reports keeps medians, percentiles and distinct counts exact, and applying a change
 * equals rebuilding from the reports that remain (a property test holds it to that).
 */

/** Resolutions kept: res 6 (~36 km²) to res 9 (~0.1 km², where reports are stored). */
export const MEASURED_RESOLUTIONS = [6, 7, 8, 9] as const;
export type MeasuredResolution = (typeof MEASURED_RESOLUTIONS)[number];

/** "Any operator" / "any technology". */
export const ANY = '*';

/** The packed form's version: a stored layer of another version is rebuilt at start. */
export const STATE_FORMAT = 4;

/**
 * Histogram kinds. Days and own classes are counted without source kind (they are never weighted:
 * a key's weight comes from its reports per kind, metric 6, bin 0), which keeps the largest
 * histograms — days, at coarse cells — a third of the size.
 */
export const METRIC = { signalDbm: 0, bars: 1, downloadMbps: 2, uploadMbps: 3, day: 4, reportClass: 5, reportsByKind: 6, failingHour: 7 } as const;

/** The signal bin of a no-service report: below every floor. */
export const NO_SERVICE_DBM = -200;

/** One report as the measured layer reads it: the observation, its cell, day and reporter id. */
export type MeasuredReport = Pick<
	SignalObservationRecord,
	'sourceKind' | 'operatorCode' | 'technology' | 'rsrpDbm' | 'rssiDbm' | 'signalBars' | 'noService' | 'downloadMbps' | 'uploadMbps'
> & {
	/** The resolution-9 cell, as h3-js's hex string. */
	h3Res9: string;
	/** Days since 1970-01-01 (UTC) of the observation. */
	day: number;
	/**
	 * Hour of the day (0–23, Vietnam time) of the observation, for the disputes' failing-hour gate
	 * (src/lib/coverage/fusion.ts); null or absent: not counted there.
	 */
	hour?: number | null;
	/** The reporter's number (src/lib/server/measured.ts interns {@link reporterOf}), or null for nobody. */
	reporter: number | null;
};

/** Days since 1970-01-01 (UTC) of an instant. */
export const dayOf = (iso: string) => Math.floor(Date.parse(iso) / 86_400_000);

/**
 * Who a report counts as: its device key, else its import file (one file, one reporter). A report
 * with neither counts as nobody: inflating the reporter count would weaken the k-reporter rule.
 */
export function reporterOf(r: { reporterKey: string | null; importId: number | null }): string | null {
	return r.reporterKey ?? (r.importId !== null ? `import:${r.importId}` : null);
}

/**
 * The (operator, technology) pairs a report counts for: always any×any; with an operator, its
 * any-technology; and its technology — or, for a no-service report without one, every technology
 * (no service at all means none of them works there).
 */
export function dimensionsOf(r: Pick<MeasuredReport, 'operatorCode' | 'technology' | 'noService'>): [string, string][] {
	const dims: [string, string][] = [[ANY, ANY]];
	if (r.operatorCode === null) return dims;
	dims.push([r.operatorCode, ANY]);
	const techs = r.technology ? [r.technology] : r.noService ? [...TECHNOLOGIES] : [];
	for (const t of techs) dims.push([r.operatorCode, t]);
	return dims;
}

/** Occurrences of one key gathered before packing. */
interface Occurrences {
	bins: number[];
	reporters: number[];
}

/**
 * Gathers reports' contributions at resolution 9 — raw occurrences per cell and (operator,
 * technology) — then packs them into signed states by sorting. Reports may come in several batches.
 */
export class ReportAccumulator {
	private readonly byCell = new Map<string, Map<string, Occurrences>>();
	private count = 0;
	constructor(private readonly t: SignalThresholds) {}

	get reports(): number {
		return this.count;
	}

	add(reports: Iterable<MeasuredReport>): void {
		const t = this.t;
		for (const r of reports) {
			this.count++;
			let dims = this.byCell.get(r.h3Res9);
			if (!dims) this.byCell.set(r.h3Res9, (dims = new Map()));
			// Bins every key gets (day, own class), then those only a technology key gets.
			const kind = r.sourceKind;
			const own = classifyObservation(r, t);
			const common = [binKey(METRIC.day, r.day, 'resident'), binKey(METRIC.reportsByKind, 0, kind)];
			if (own !== null) common.push(binKey(METRIC.reportClass, SIGNAL_CLASSES.indexOf(own), 'resident'));
			// When in the day reports fail (poor or dead): the FCC-style gate wants failures hours apart.
			if ((own === 'poor' || own === 'dead') && r.hour != null) common.push(binKey(METRIC.failingHour, r.hour, 'resident'));
			for (const [operatorCode, technology] of dimensionsOf(r)) {
				const dim = dimKey(operatorCode, technology);
				let acc = dims.get(dim);
				if (!acc) dims.set(dim, (acc = { bins: [], reporters: [] }));
				for (const k of common) acc.bins.push(k);
				if (technology !== ANY) {
					const dbm = r.noService ? NO_SERVICE_DBM : technology === '4G' || technology === '5G' ? r.rsrpDbm : r.rssiDbm;
					if (dbm !== null) acc.bins.push(binKey(METRIC.signalDbm, Math.round(dbm), kind));
					const bars = r.noService ? 0 : r.signalBars;
					if (bars !== null) acc.bins.push(binKey(METRIC.bars, bars, kind));
					if (r.downloadMbps !== null) acc.bins.push(binKey(METRIC.downloadMbps, Math.round(r.downloadMbps), kind));
					if (r.uploadMbps !== null) acc.bins.push(binKey(METRIC.uploadMbps, Math.round(r.uploadMbps), kind));
				}
				if (r.reporter !== null) acc.reporters.push(r.reporter);
			}
		}
	}

	/** The states (sign 1: the reports' own; −1: their removal), emptying the accumulator. */
	finish(sign: 1 | -1): CellStates {
		const out: CellStates = new Map();
		for (const [cell, dims] of this.byCell) out.set(cell, new Map([...dims].map(([dim, acc]) => [dim, packState(acc.bins, acc.reporters, sign)])));
		this.byCell.clear();
		return out;
	}
}

/** The signed resolution-9 states of reports (sign 1 adds them, −1 removes them). */
export function statesOfReports(reports: Iterable<MeasuredReport>, sign: 1 | -1, t: SignalThresholds): CellStates {
	const acc = new ReportAccumulator(t);
	acc.add(reports);
	return acc.finish(sign);
}

/**
 * States of every resolution from resolution 9's: a parent's counts are the sums of its children's
 * (state is additive), so deltas roll up the same way as whole states.
 */
export function rollUp(res9: CellStates): Map<MeasuredResolution, CellStates> {
	const levels = new Map<MeasuredResolution, CellStates>([[9, res9]]);
	let children = res9;
	for (const res of [8, 7, 6] as const) {
		const parents: CellStates = new Map();
		for (const [cell, dims] of children) {
			const parent = cellToParent(cell, res);
			let target = parents.get(parent);
			if (!target) parents.set(parent, (target = new Map()));
			for (const [dim, state] of dims) {
				const current = target.get(dim);
				target.set(dim, current ? mergeState(current, state) : state);
			}
		}
		levels.set(res, parents);
		children = parents;
	}
	return levels;
}

/** The weight of a source kind (residents 1; drive tests and apps by setting). */
export function weightOf(kind: SourceKind, s: Settings): number {
	return kind === 'drive_test' ? s['measured.weight.drive_test'] : kind === 'app' ? s['measured.weight.app'] : 1;
}

/**
 * The smallest bin whose cumulative weight reaches `q` of the total (q = 0.5: the lower weighted
 * median; q = 0.1: the 10th percentile). Null for an empty histogram. A bin may appear more than
 * once (one entry per source kind).
 */
export function weightedQuantile(bins: [bin: number, weight: number][], q: number): number | null {
	const sorted = bins.filter(([, w]) => w > 0).sort((a, b) => a[0] - b[0]);
	return quantileOfRun(
		sorted.map(([bin]) => bin),
		sorted.map(([, w]) => w),
		sorted.reduce((t, [, w]) => t + w, 0),
		q
	);
}

/** What a key's state says: counts, medians, spread in time and a signal class. */
export interface MeasuredSummary {
	reports: number;
	reporters: number;
	weight: number;
	medianDbm: number | null;
	p10Dbm: number | null;
	medianBars: number | null;
	deadShare: number;
	medianDownloadMbps: number | null;
	medianUploadMbps: number | null;
	firstDay: number;
	lastDay: number;
	/** Distinct days with reports. */
	days: number;
	class: SignalClass | null;
	/** Reports by their own class (good, fair, poor, dead), unweighted. */
	classCounts: [number, number, number, number];
	/** Hours of the day (Vietnam time) with a failing report: bit h set for hour h. */
	failingHours: number;
}

/** The smallest bin of a sorted run of (bin, weight) whose cumulative weight reaches q of `total`. */
function quantileOfRun(bins: number[], weights: number[], total: number, q: number): number | null {
	if (total <= 0) return null;
	let cum = 0;
	for (let i = 0; i < bins.length; i++) {
		if (weights[i] <= 0) continue;
		cum += weights[i];
		if (cum >= q * total) return bins[i];
	}
	return bins[bins.length - 1];
}

/**
 * The summary of one (operator, technology) key: the class is that of the weighted median signal
 * of the technology's metric (RSRP for 4G/5G, RSSI for 2G/3G), else of the median bars; no-service
 * reports sit below every floor. Any-technology keys take their class from their technologies
 * ({@link withBestOfBelow}). Two passes over the sorted keys, no allocation: totals, then quantiles.
 */
export function summarise(state: MeasuredState, technology: string, s: Settings): MeasuredSummary {
	const weights: number[] = [];
	for (const kind of SOURCE_KINDS) weights[KIND_INDEX[kind]] = weightOf(kind, s);
	const nb = state[0];
	// Pass 1: totals per metric, counts and the days (keys are sorted by metric, then bin).
	const totals = [0, 0, 0, 0, 0, 0, 0, 0];
	let failingHours = 0;
	const classCounts: [number, number, number, number] = [0, 0, 0, 0];
	let reports = 0;
	let days = 0;
	let firstDay = Infinity;
	let lastDay = -Infinity;
	let deadWeight = 0;
	for (let i = 0; i < nb; i++) {
		const key = state[1 + 2 * i];
		const n = state[2 + 2 * i];
		const metric = metricOfKey(key);
		const bin = binOfKey(key);
		const w = n * weights[kindIndexOfKey(key)];
		totals[metric] += w;
		if (metric === METRIC.day) {
			// Days are counted without kind: one key per day.
			days++;
			if (bin < firstDay) firstDay = bin;
			lastDay = bin;
		} else if (metric === METRIC.reportsByKind) reports += n;
		else if (metric === METRIC.reportClass) classCounts[bin] += n;
		else if (metric === METRIC.failingHour) failingHours |= 1 << bin;
		else if (metric === METRIC.signalDbm && bin === NO_SERVICE_DBM) deadWeight += w;
	}
	// Pass 2 (per quantile): the smallest bin whose cumulative weight reaches q of its metric's total.
	const q = (metric: number, at: number): number | null => {
		const total = totals[metric];
		if (total <= 0) return null;
		let cum = 0;
		let last: number | null = null;
		for (let i = 0; i < nb; i++) {
			const key = state[1 + 2 * i];
			const m = metricOfKey(key);
			if (m < metric) continue;
			if (m > metric) break;
			const w = state[2 + 2 * i] * weights[kindIndexOfKey(key)];
			if (w <= 0) continue;
			last = binOfKey(key);
			cum += w;
			if (cum >= at * total) return last;
		}
		return last;
	};
	const medianDbm = q(METRIC.signalDbm, 0.5);
	const medianBars = q(METRIC.bars, 0.5);
	const t = thresholdsFromSettings(s);
	let cls: SignalClass | null = null;
	if (technology !== ANY) {
		if (medianDbm !== null) cls = classifyByFloors(medianDbm, technology === '4G' || technology === '5G' ? t.rsrpDbm : t.rssiDbm);
		else if (medianBars !== null) cls = classifyByFloors(medianBars, t.bars);
	}
	return {
		reports,
		reporters: reportersOf(state),
		weight: totals[METRIC.reportsByKind],
		medianDbm,
		p10Dbm: q(METRIC.signalDbm, 0.1),
		medianBars,
		deadShare: totals[METRIC.signalDbm] > 0 ? deadWeight / totals[METRIC.signalDbm] : 0,
		medianDownloadMbps: q(METRIC.downloadMbps, 0.5),
		medianUploadMbps: q(METRIC.uploadMbps, 0.5),
		firstDay,
		lastDay,
		days,
		class: cls,
		classCounts,
		failingHours
	};
}

/** The best of several classes (any technology, any operator: someone's service works there). */
export function bestClass(classes: (SignalClass | null)[]): SignalClass | null {
	const known = classes.filter((c): c is SignalClass => c !== null);
	return known.length === 0 ? null : SIGNAL_CLASSES[Math.min(...known.map((c) => SIGNAL_CLASSES.indexOf(c)))];
}

/** Fields an any-technology or any-operator key takes from the best key below it. */
const BEST_FIELDS = ['class', 'medianDbm', 'p10Dbm', 'medianBars', 'deadShare', 'medianDownloadMbps', 'medianUploadMbps'] as const;

/**
 * One cell's summaries ("operator|technology" → summary) with each any-technology key given the
 * class and medians of its best technology, then any×any those of the best operator: best class,
 * then the stronger median signal, then operator and technology by name (a stable tie-break).
 * Keys with their own class are left as they are. Mutates and returns `summaries`.
 */
export function withBestOfBelow(summaries: Map<string, MeasuredSummary>): Map<string, MeasuredSummary> {
	const rank = (dim: string, s: MeasuredSummary) => [SIGNAL_CLASSES.indexOf(s.class!), -(s.medianDbm ?? -Infinity), dim] as const;
	const better = (a: ReturnType<typeof rank>, b: ReturnType<typeof rank>) => a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);
	for (const level of ['technology', 'operator'] as const) {
		const best = new Map<string, { rank: ReturnType<typeof rank>; summary: MeasuredSummary }>();
		for (const [dim, summary] of summaries) {
			const [op, tech] = splitDimKey(dim);
			const isChild = level === 'technology' ? op !== ANY && tech !== ANY : op !== ANY && tech === ANY;
			if (!isChild || summary.class === null) continue;
			const parent = level === 'technology' ? dimKey(op, ANY) : dimKey(ANY, ANY);
			const r = rank(dim, summary);
			const current = best.get(parent);
			if (!current || better(r, current.rank) < 0) best.set(parent, { rank: r, summary });
		}
		for (const [parent, { summary }] of best) {
			const target = summaries.get(parent);
			if (!target) continue;
			for (const f of BEST_FIELDS) (target as unknown as Record<string, unknown>)[f] = summary[f];
		}
	}
	return summaries;
}

/**
 * Confidence in [0, 1] of a cell's measured class, applied when reading (it depends on today):
 *   reporters part = min(1, reporters / k)                        (k = measured.confidence_reporters)
 *   spread part    = 1 when the reports span more than D days, else ½ (D = measured.confidence_spread_days)
 *   decay          = ½ ^ (days since the last report / half-life)  (measured.half_life_days)
 *   confidence     = reporters part × spread part × decay
 * So 3 people over more than a day, reporting today, give 1; one person on one day, a year ago with
 * a 180-day half-life, gives ⅓ × ½ × ¼ ≈ 0.04.
 */
export function confidenceOf(c: { reporters: number; firstDay: number; lastDay: number }, todayDay: number, s: Settings): number {
	const reportersPart = Math.min(1, c.reporters / s['measured.confidence_reporters']);
	const spreadPart = c.lastDay - c.firstDay > s['measured.confidence_spread_days'] ? 1 : 0.5;
	const ageDays = Math.max(0, todayDay - c.lastDay);
	const decay = 0.5 ** (ageDays / s['measured.half_life_days']);
	return reportersPart * spreadPart * decay;
}

/** Every resolution's states and summaries from a set of reports (the brute-force model and tests). */
export function summariseReports(reports: Iterable<MeasuredReport>, s: Settings): Map<MeasuredResolution, Map<string, Map<string, MeasuredSummary>>> {
	const res9 = statesOfReports(reports, 1, thresholdsFromSettings(s));
	const out = new Map<MeasuredResolution, Map<string, Map<string, MeasuredSummary>>>();
	for (const [res, cells] of rollUp(res9)) {
		const byCell = new Map<string, Map<string, MeasuredSummary>>();
		for (const [cell, dims] of cells) {
			const summaries = new Map([...dims].filter(([, st]) => !isEmptyState(st)).map(([dim, st]) => [dim, summarise(st, splitDimKey(dim)[1], s)]));
			if (summaries.size > 0) byCell.set(cell, withBestOfBelow(summaries));
		}
		out.set(res, byCell);
	}
	return out;
}
