import { cellToParent } from 'h3-js';
import type { Settings } from '../settings/definitions';
import { classifyByFloors, classifyObservation, SIGNAL_CLASSES, TECHNOLOGIES, thresholdsFromSettings, type SignalClass, type SignalThresholds, type Technology } from '../signal/classes';
import type { SignalObservationRecord, SourceKind } from '../signal/observation';

/**
 * Measured coverage, the rules: what one report contributes to each H3 cell, operator and
 * technology, and how a cell's stored state (histograms, reporter counts) becomes its summary
 * and confidence. Pure; the database runs the same rules in SQL (src/lib/server/measured.ts) and
 * tests hold the two together.
 */

/** Resolutions kept: res 6 (~36 km²) to res 9 (~0.1 km², where reports are stored). */
export const MEASURED_RESOLUTIONS = [6, 7, 8, 9] as const;
export type MeasuredResolution = (typeof MEASURED_RESOLUTIONS)[number];

/** "Any operator" / "any technology". */
export const ANY = '*';

/** Histogram kinds (the `metric` column). */
export const METRIC = { signalDbm: 0, bars: 1, downloadMbps: 2, uploadMbps: 3, day: 4, reportClass: 5 } as const;

/** The signal bin of a no-service report: below every floor. */
export const NO_SERVICE_DBM = -200;

/** One report as the measured layer reads it: the observation, its stored cell, import and id. */
export type MeasuredReport = Pick<
	SignalObservationRecord,
	'sourceKind' | 'operatorCode' | 'technology' | 'rsrpDbm' | 'rssiDbm' | 'signalBars' | 'noService' | 'downloadMbps' | 'uploadMbps' | 'observedAt' | 'reporterKey'
> & { h3Res9: string; importId: number | null; id: number };

/** Days since 1970-01-01 (UTC) of an instant. */
export const dayOf = (iso: string) => Math.floor(Date.parse(iso) / 86_400_000);

/**
 * Who a report counts as: its device key, else its import file (one file, one reporter). A report
 * with neither counts as nobody: inflating the reporter count would weaken the k-reporter rule.
 */
export function reporterOf(r: Pick<MeasuredReport, 'reporterKey' | 'importId'>): string | null {
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

/**
 * The histogram bins one report adds under one technology: its day and its own class (index in
 * SIGNAL_CLASSES, by the thresholds in force; the public report counts) everywhere; the signal,
 * bars and speeds only under a technology (any-technology keys take their class from those).
 */
export function binsOf(r: MeasuredReport, technology: string, t: SignalThresholds): [metric: number, bin: number][] {
	const bins: [number, number][] = [[METRIC.day, dayOf(r.observedAt)]];
	const own = classifyObservation(r, t);
	if (own !== null) bins.push([METRIC.reportClass, SIGNAL_CLASSES.indexOf(own)]);
	if (technology === ANY) return bins;
	const dbm = r.noService ? NO_SERVICE_DBM : technology === '4G' || technology === '5G' ? r.rsrpDbm : r.rssiDbm;
	if (dbm !== null) bins.push([METRIC.signalDbm, Math.round(dbm)]);
	const bars = r.noService ? 0 : r.signalBars;
	if (bars !== null) bins.push([METRIC.bars, bars]);
	if (r.downloadMbps !== null) bins.push([METRIC.downloadMbps, Math.round(r.downloadMbps)]);
	if (r.uploadMbps !== null) bins.push([METRIC.uploadMbps, Math.round(r.uploadMbps)]);
	return bins;
}

/** A key of the measured layer. */
export interface MeasuredKey {
	res: MeasuredResolution;
	cell: string;
	operatorCode: string;
	technology: string;
}

/** One key's stored state: per metric, bin → counts per source kind; reporter → reports. */
export interface MeasuredState {
	bins: Map<number, Map<number, Record<SourceKind, number>>>;
	reporters: Map<string, number>;
}

/** The weight of a source kind (residents 1; drive tests and apps by setting). */
export function weightOf(kind: SourceKind, s: Settings): number {
	return kind === 'drive_test' ? s['measured.weight.drive_test'] : kind === 'app' ? s['measured.weight.app'] : 1;
}

/**
 * The smallest bin whose cumulative weight reaches `q` of the total (q = 0.5: the lower weighted
 * median; q = 0.1: the 10th percentile). Null for an empty histogram.
 */
export function weightedQuantile(bins: [bin: number, weight: number][], q: number): number | null {
	const sorted = bins.filter(([, w]) => w > 0).sort((a, b) => a[0] - b[0]);
	const total = sorted.reduce((t, [, w]) => t + w, 0);
	if (total <= 0) return null;
	let cum = 0;
	for (const [bin, w] of sorted) {
		cum += w;
		if (cum >= q * total) return bin;
	}
	return sorted.at(-1)![0];
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
	days: number;
	class: SignalClass | null;
	/** Reports by their own class (good, fair, poor, dead), unweighted. */
	classCounts: [number, number, number, number];
}

/**
 * The summary of one (operator, technology) key: the class is that of the weighted median signal
 * of the technology's metric (RSRP for 4G/5G, RSSI for 2G/3G), else of the median bars; no-service
 * reports sit below every floor. Any-technology keys take their class from their technologies.
 */
export function summarise(state: MeasuredState, technology: string, s: Settings): MeasuredSummary {
	const weighted = (metric: number): [number, number][] =>
		[...(state.bins.get(metric) ?? new Map())].map(([bin, n]) => [bin, n.resident + n.app * weightOf('app', s) + n.drive_test * weightOf('drive_test', s)]);
	const count = (metric: number) => [...(state.bins.get(metric)?.values() ?? [])].reduce((t, n) => t + n.resident + n.app + n.drive_test, 0);
	const days = weighted(METRIC.day);
	const signal = weighted(METRIC.signalDbm);
	const bars = weighted(METRIC.bars);
	const t = thresholdsFromSettings(s);
	const medianDbm = weightedQuantile(signal, 0.5);
	const medianBars = weightedQuantile(bars, 0.5);
	const signalTotal = signal.reduce((a, [, w]) => a + w, 0);
	const deadWeight = signal.filter(([b]) => b === NO_SERVICE_DBM).reduce((a, [, w]) => a + w, 0);
	const dayBins = days.map(([d]) => d);
	let cls: SignalClass | null = null;
	if (technology !== ANY) {
		if (medianDbm !== null) cls = classifyByFloors(medianDbm, technology === '4G' || technology === '5G' ? t.rsrpDbm : t.rssiDbm);
		else if (medianBars !== null) cls = classifyByFloors(medianBars, t.bars);
	}
	return {
		reports: count(METRIC.day),
		reporters: state.reporters.size,
		weight: days.reduce((a, [, w]) => a + w, 0),
		medianDbm,
		p10Dbm: weightedQuantile(signal, 0.1),
		medianBars,
		deadShare: signalTotal > 0 ? deadWeight / signalTotal : 0,
		medianDownloadMbps: weightedQuantile(weighted(METRIC.downloadMbps), 0.5),
		medianUploadMbps: weightedQuantile(weighted(METRIC.uploadMbps), 0.5),
		firstDay: Math.min(...dayBins),
		lastDay: Math.max(...dayBins),
		days: dayBins.length,
		class: cls,
		classCounts: [0, 1, 2, 3].map((i) => {
			const n = state.bins.get(METRIC.reportClass)?.get(i);
			return n ? n.resident + n.app + n.drive_test : 0;
		}) as [number, number, number, number]
	};
}

/** The best of several classes (any technology, any operator: someone's service works there). */
export function bestClass(classes: (SignalClass | null)[]): SignalClass | null {
	const known = classes.filter((c): c is SignalClass => c !== null);
	return known.length === 0 ? null : SIGNAL_CLASSES[Math.min(...known.map((c) => SIGNAL_CLASSES.indexOf(c)))];
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

/** The key string of a key (for maps in tests and the brute-force model). */
export const keyOf = (k: MeasuredKey) => `${k.res}|${k.cell}|${k.operatorCode}|${k.technology}`;

/** Adds (sign 1) or removes (sign −1) one report's contributions to an in-memory state map. */
export function applyReport(states: Map<string, MeasuredState & { key: MeasuredKey }>, r: MeasuredReport, sign: 1 | -1, t: SignalThresholds): void {
	for (const res of MEASURED_RESOLUTIONS) {
		const cell = res === 9 ? r.h3Res9 : cellToParent(r.h3Res9, res);
		for (const [operatorCode, technology] of dimensionsOf(r)) {
			const key: MeasuredKey = { res, cell, operatorCode, technology };
			const id = keyOf(key);
			let state = states.get(id);
			if (!state) states.set(id, (state = { key, bins: new Map(), reporters: new Map() }));
			for (const [metric, bin] of binsOf(r, technology, t)) {
				let byBin = state.bins.get(metric);
				if (!byBin) state.bins.set(metric, (byBin = new Map()));
				const n = byBin.get(bin) ?? { resident: 0, app: 0, drive_test: 0 };
				n[r.sourceKind] += sign;
				if (n.resident === 0 && n.app === 0 && n.drive_test === 0) byBin.delete(bin);
				else byBin.set(bin, n);
				if (byBin.size === 0) state.bins.delete(metric);
			}
			const who = reporterOf(r);
			if (who !== null) {
				const n = (state.reporters.get(who) ?? 0) + sign;
				if (n === 0) state.reporters.delete(who);
				else state.reporters.set(who, n);
			}
			if (state.bins.size === 0 && state.reporters.size === 0) states.delete(id);
		}
	}
}
