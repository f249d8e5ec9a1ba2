/**
 * Signal quality classes shared by the map, the analysis and the report form.
 *
 * LTE/NR thresholds on RSRP follow common coverage-design practice: about −105 dBm is the
 * outdoor cell-edge target and below about −115 dBm a handset rarely holds a data session
 * (see e.g. 3GPP TS 36.133 §9.1.4 for the reporting range, and operators' design guides).
 * 2G/3G use RSSI, whose levels sit higher for the same experience (VNPT's drive-test legend).
 * The floors are deployment settings (src/lib/settings/definitions.ts); the defaults are these.
 */
import { DEFAULT_SETTINGS, type Settings } from '../settings/definitions';

export const SIGNAL_CLASSES = ['good', 'fair', 'poor', 'dead'] as const;
export type SignalClass = (typeof SIGNAL_CLASSES)[number];

export const TECHNOLOGIES = ['2G', '3G', '4G', '5G'] as const;
export type Technology = (typeof TECHNOLOGIES)[number];

/** Lower bounds of good, fair and poor; anything lower is dead. */
export interface ClassFloors {
	good: number;
	fair: number;
	poor: number;
}

/** The floors of each kind of evidence: RSRP (4G/5G), RSSI/RSCP (2G/3G) and handset bars. */
export interface SignalThresholds {
	rsrpDbm: ClassFloors;
	rssiDbm: ClassFloors;
	bars: ClassFloors;
}

/** Thresholds from deployment settings (src/lib/settings/definitions.ts holds defaults and sources). */
export function thresholdsFromSettings(s: Settings): SignalThresholds {
	return {
		rsrpDbm: { good: s['signal.rsrp.good_dbm'], fair: s['signal.rsrp.fair_dbm'], poor: s['signal.rsrp.poor_dbm'] },
		rssiDbm: { good: s['signal.rssi.good_dbm'], fair: s['signal.rssi.fair_dbm'], poor: s['signal.rssi.poor_dbm'] },
		bars: { good: s['signal.bars.good'], fair: s['signal.bars.fair'], poor: s['signal.bars.poor'] }
	};
}

/** The default thresholds (every setting at its default). */
export const DEFAULT_THRESHOLDS: SignalThresholds = thresholdsFromSettings(DEFAULT_SETTINGS);
export const RSRP_FLOORS_DBM = DEFAULT_THRESHOLDS.rsrpDbm;
export const RSSI_FLOORS_DBM = DEFAULT_THRESHOLDS.rssiDbm;
/** Lowest bar count of good, fair and poor. */
export const BAR_FLOORS = DEFAULT_THRESHOLDS.bars;

/** Which value classifies a technology's signal: RSRP for LTE/NR, RSSI (or RSCP) for GSM/UMTS. */
export function signalMetricOf(technology: Technology): 'rsrpDbm' | 'rssiDbm' {
	return technology === '4G' || technology === '5G' ? 'rsrpDbm' : 'rssiDbm';
}

/** What one observation carries about signal strength. */
export interface SignalObservation {
	rsrpDbm?: number | null;
	rssiDbm?: number | null;
	/** Handset bars, 0–5. */
	signalBars?: number | null;
	noService?: boolean;
}

/** The class of a value against floors (at a floor belongs to the class above it). */
export function classifyByFloors(valueDbm: number, floors: ClassFloors): SignalClass {
	if (valueDbm >= floors.good) return 'good';
	if (valueDbm >= floors.fair) return 'fair';
	if (valueDbm >= floors.poor) return 'poor';
	return 'dead';
}

/** Class of an LTE/NR RSRP in dBm. */
export function classifyRsrp(rsrpDbm: number, t: SignalThresholds = DEFAULT_THRESHOLDS): SignalClass {
	if (!Number.isFinite(rsrpDbm)) throw new RangeError(`rsrpDbm must be a finite number, got ${rsrpDbm}`);
	return classifyByFloors(rsrpDbm, t.rsrpDbm);
}

/** Class of a 2G/3G RSSI in dBm. */
export function classifyRssi(rssiDbm: number, t: SignalThresholds = DEFAULT_THRESHOLDS): SignalClass {
	if (!Number.isFinite(rssiDbm)) throw new RangeError(`rssiDbm must be a finite number, got ${rssiDbm}`);
	return classifyByFloors(rssiDbm, t.rssiDbm);
}

/** Class of handset bars (0–5); the coarsest evidence, so 2–3 bars only count as fair. */
export function classifyBars(bars: number, t: SignalThresholds = DEFAULT_THRESHOLDS): SignalClass {
	if (!Number.isInteger(bars) || bars < 0 || bars > 5) throw new RangeError(`signalBars must be an integer 0–5, got ${bars}`);
	return classifyByFloors(bars, t.bars);
}

/**
 * Class of one observation, from its best evidence: no-service, then RSRP, RSSI, bars.
 * Returns null when the observation carries no signal value at all.
 */
export function classifyObservation(o: SignalObservation, t: SignalThresholds = DEFAULT_THRESHOLDS): SignalClass | null {
	if (o.noService) return 'dead';
	if (o.rsrpDbm != null) return classifyRsrp(o.rsrpDbm, t);
	if (o.rssiDbm != null) return classifyRssi(o.rssiDbm, t);
	if (o.signalBars != null) return classifyBars(o.signalBars, t);
	return null;
}

/** Map colours per class, [r, g, b]; a colour-blind-safe ramp (ColorBrewer RdYlBu, 4 classes). */
export const SIGNAL_CLASS_RGB: Record<SignalClass, [number, number, number]> = {
	good: [44, 123, 182],
	fair: [171, 217, 233],
	poor: [253, 174, 97],
	dead: [215, 25, 28]
};
