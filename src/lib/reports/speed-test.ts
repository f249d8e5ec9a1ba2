/**
 * The report form's quick speed test (issue 18), measured against Phủ Sóng's own server so it
 * needs no outside service: latency as the median of a few empty round trips, download and upload
 * as bytes over time. Bounded so a resident on a metered 2G plan spends about 1 MB and 15 s at most.
 */

/** Empty round trips for the latency; the median ignores one slow outlier. */
export const LATENCY_PROBES = 3;
/** A first small download sizes the second: a slow link stops after it. */
export const DOWNLOAD_FIRST_BYTES = 100_000;
export const DOWNLOAD_MAX_BYTES = 700_000;
export const UPLOAD_BYTES = 200_000;
/** The server's cap per answer or upload (GET/POST /api/speedtest). */
export const SPEED_TEST_MAX_BYTES = 1_000_000;
/** Each transfer is abandoned after this long; what arrived by then is what is measured. */
export const TRANSFER_TIMEOUT_MS = 6_000;
/** A second download is only worth it when the first went fast; aim for about 2 s of transfer. */
export const TARGET_TRANSFER_MS = 2_000;

export interface SpeedTestResult {
	downloadMbps: number | null;
	uploadMbps: number | null;
	latencyMs: number | null;
}

/** Megabits per second of `bytes` moved in `ms` (null when nothing was timed). */
export function megabitsPerSecond(bytes: number, ms: number): number | null {
	if (!(ms > 0) || !(bytes > 0)) return null;
	return Math.round(((bytes * 8) / (ms / 1000) / 1e6) * 100) / 100;
}

export function median(values: number[]): number | null {
	if (values.length === 0) return null;
	const s = [...values].sort((a, b) => a - b);
	const mid = Math.floor(s.length / 2);
	return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The second download's size: enough for about TARGET_TRANSFER_MS at the first one's rate, within the budget. */
export function secondDownloadBytes(firstBytes: number, firstMs: number): number {
	if (!(firstMs > 0)) return 0;
	const wanted = Math.round((firstBytes / firstMs) * TARGET_TRANSFER_MS);
	if (wanted <= firstBytes) return 0; // the first took about as long as we would wait: enough
	return Math.min(DOWNLOAD_MAX_BYTES, wanted);
}
