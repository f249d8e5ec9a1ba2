import { error, json } from '@sveltejs/kit';
import { randomBytes } from 'node:crypto';
import { readParam } from '$lib/api/params';
import { SPEED_TEST_MAX_BYTES } from '$lib/reports/speed-test';
import { readQuery } from '$lib/server/http';

// Random bytes, made once: incompressible, so no proxy or encoding can make a link look faster.
const NOISE = randomBytes(SPEED_TEST_MAX_BYTES);
const NO_STORE = { 'cache-control': 'no-store', 'content-encoding': 'identity' };

/** GET /api/speedtest?bytes=N: N random bytes (0 for a latency probe), never cached. */
export function GET({ url }) {
	const { bytes } = readQuery(url, (p) => ({ bytes: readParam(p, 'bytes', 0) }));
	return new Response(NOISE.subarray(0, bytes), { headers: { ...NO_STORE, 'content-type': 'application/octet-stream', 'content-length': String(bytes) } });
}

/** POST /api/speedtest: reads the upload (at most 1 MB) and says how much arrived. */
export async function POST({ request }) {
	const declared = Number(request.headers.get('content-length') ?? '0');
	if (declared > SPEED_TEST_MAX_BYTES) error(413, `body: at most ${SPEED_TEST_MAX_BYTES} bytes`);
	let received = 0;
	const reader = request.body?.getReader();
	while (reader) {
		const { done, value } = await reader.read();
		if (done) break;
		received += value.byteLength;
		if (received > SPEED_TEST_MAX_BYTES) {
			await reader.cancel();
			error(413, `body: at most ${SPEED_TEST_MAX_BYTES} bytes`);
		}
	}
	return json({ bytes: received }, { headers: { 'cache-control': 'no-store' } });
}
