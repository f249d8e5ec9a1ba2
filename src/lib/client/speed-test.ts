import {
	DOWNLOAD_FIRST_BYTES,
	LATENCY_PROBES,
	TRANSFER_TIMEOUT_MS,
	UPLOAD_BYTES,
	median,
	megabitsPerSecond,
	secondDownloadBytes,
	type SpeedTestResult
} from '../reports/speed-test';

/** The browser's own estimate (Network Information API, Chromium only), shown beside ours. */
export interface NetworkHint {
	type: string;
	downlinkMbps: number | null;
	rttMs: number | null;
}

export function networkHint(): NetworkHint | null {
	const c = (navigator as Navigator & { connection?: { effectiveType?: string; downlink?: number; rtt?: number } }).connection;
	if (!c?.effectiveType) return null;
	return { type: c.effectiveType, downlinkMbps: c.downlink ?? null, rttMs: c.rtt ?? null };
}

const timed = async (run: () => Promise<number>): Promise<{ bytes: number; ms: number }> => {
	const start = performance.now();
	const bytes = await run();
	return { bytes, ms: performance.now() - start };
};

/** The server refused the test: too many from this network address just now (429). */
export class SpeedTestBusy extends Error {
	override name = 'SpeedTestBusy';
	constructor(readonly retryAfterS: number) {
		super(`speed test: busy, retry in ${retryAfterS} s`);
	}
}

/** A refusal is not a transfer to time: an error page's bytes would read as a speed. */
function checked(r: Response): Response {
	if (r.status === 429) throw new SpeedTestBusy(Number(r.headers.get('retry-after') ?? '60'));
	if (!r.ok) throw new Error(`speed test: HTTP ${r.status}`);
	return r;
}

const get = (bytes: number) =>
	timed(async () => (await checked(await fetch(`/api/speedtest?bytes=${bytes}&t=${Date.now()}`, { cache: 'no-store', signal: AbortSignal.timeout(TRANSFER_TIMEOUT_MS) })).arrayBuffer()).byteLength);

/** Latency, then download (one or two transfers), then upload — all against our own server. */
export async function runSpeedTest(): Promise<SpeedTestResult> {
	const rtts: number[] = [];
	for (let i = 0; i < LATENCY_PROBES; i++) rtts.push((await get(0)).ms);
	const first = await get(DOWNLOAD_FIRST_BYTES);
	const more = secondDownloadBytes(first.bytes, first.ms);
	const down = more > 0 ? await get(more) : first;
	// Random bytes: compression on the way cannot flatter the upload.
	const noise = new Uint8Array(UPLOAD_BYTES);
	for (let i = 0; i < noise.length; i += 65_536) crypto.getRandomValues(noise.subarray(i, i + 65_536));
	const up = await timed(async () => {
		const r = checked(await fetch('/api/speedtest', { method: 'POST', body: noise, headers: { 'content-type': 'application/octet-stream' }, signal: AbortSignal.timeout(TRANSFER_TIMEOUT_MS) }));
		return ((await r.json()) as { bytes: number }).bytes;
	});
	const latency = median(rtts);
	return { latencyMs: latency === null ? null : Math.round(latency), downloadMbps: megabitsPerSecond(down.bytes, down.ms), uploadMbps: megabitsPerSecond(up.bytes, up.ms) };
}
