import type { Technology } from './classes';

export const SOURCE_KINDS = ['resident', 'drive_test', 'app'] as const;
/** Who made an observation: a resident's report, a drive test, or a measurement app. */
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** One signal observation at a point, as every source produces it. */
export interface SignalObservationRecord {
	sourceKind: SourceKind;
	operatorCode: string | null;
	technology: Technology | null;
	rsrpDbm: number | null;
	rssiDbm: number | null;
	/** Handset bars, 0–5. */
	signalBars: number | null;
	noService: boolean;
	downloadMbps: number | null;
	uploadMbps: number | null;
	latencyMs: number | null;
	/** ISO 8601 instant. */
	observedAt: string;
	accuracyM: number | null;
	/** Pseudonymous reporter key; never a phone number. */
	reporterKey: string | null;
	/** `[lng, lat]`, EPSG:4326. */
	position: [number, number];
}
