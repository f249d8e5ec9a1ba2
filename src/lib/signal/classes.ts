/**
 * Signal quality classes shared by the map, the analysis and the report form.
 *
 * LTE/NR thresholds on RSRP follow common coverage-design practice: about −105 dBm is the
 * outdoor cell-edge target and below about −115 dBm a handset rarely holds a data session
 * (see e.g. 3GPP TS 36.133 §9.1.4 for the reporting range, and operators' design guides).
 * 2G/3G use RSSI, whose levels sit higher for the same experience.
 */
export const SIGNAL_CLASSES = ['good', 'fair', 'poor', 'dead'] as const;
export type SignalClass = (typeof SIGNAL_CLASSES)[number];

export const TECHNOLOGIES = ['2G', '3G', '4G', '5G'] as const;
export type Technology = (typeof TECHNOLOGIES)[number];

/** Lower bounds (dBm) of good, fair and poor; anything lower is dead. */
export const RSRP_FLOORS_DBM = { good: -90, fair: -105, poor: -115 } as const;
export const RSSI_FLOORS_DBM = { good: -75, fair: -85, poor: -95 } as const;

/** What one observation carries about signal strength. */
export interface SignalObservation {
	rsrpDbm?: number | null;
	rssiDbm?: number | null;
	/** Handset bars, 0–5. */
	signalBars?: number | null;
	noService?: boolean;
}

function classifyByFloors(valueDbm: number, floors: { good: number; fair: number; poor: number }): SignalClass {
	if (valueDbm >= floors.good) return 'good';
	if (valueDbm >= floors.fair) return 'fair';
	if (valueDbm >= floors.poor) return 'poor';
	return 'dead';
}

/** Class of an LTE/NR RSRP in dBm. */
export function classifyRsrp(rsrpDbm: number): SignalClass {
	if (!Number.isFinite(rsrpDbm)) throw new RangeError(`rsrpDbm must be a finite number, got ${rsrpDbm}`);
	return classifyByFloors(rsrpDbm, RSRP_FLOORS_DBM);
}

/** Class of a 2G/3G RSSI in dBm. */
export function classifyRssi(rssiDbm: number): SignalClass {
	if (!Number.isFinite(rssiDbm)) throw new RangeError(`rssiDbm must be a finite number, got ${rssiDbm}`);
	return classifyByFloors(rssiDbm, RSSI_FLOORS_DBM);
}

/** Class of handset bars (0–5); the coarsest evidence, so 2–3 bars only count as fair. */
export function classifyBars(bars: number): SignalClass {
	if (!Number.isInteger(bars) || bars < 0 || bars > 5) throw new RangeError(`signalBars must be an integer 0–5, got ${bars}`);
	return classifyByFloors(bars, BAR_FLOORS);
}

/** Lowest bar count of good, fair and poor. */
export const BAR_FLOORS = { good: 4, fair: 2, poor: 1 } as const;

/**
 * Class of one observation, from its best evidence: no-service, then RSRP, RSSI, bars.
 * Returns null when the observation carries no signal value at all.
 */
export function classifyObservation(o: SignalObservation): SignalClass | null {
	if (o.noService) return 'dead';
	if (o.rsrpDbm != null) return classifyRsrp(o.rsrpDbm);
	if (o.rssiDbm != null) return classifyRssi(o.rssiDbm);
	if (o.signalBars != null) return classifyBars(o.signalBars);
	return null;
}

/** Map colours per class, [r, g, b]; a colour-blind-safe ramp (ColorBrewer RdYlBu, 4 classes). */
export const SIGNAL_CLASS_RGB: Record<SignalClass, [number, number, number]> = {
	good: [44, 123, 182],
	fair: [171, 217, 233],
	poor: [253, 174, 97],
	dead: [215, 25, 28]
};
