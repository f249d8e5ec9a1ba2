import { error, json } from '@sveltejs/kit';
import { randomBytes } from 'node:crypto';
import { readParam } from '$lib/api/params';
import { SPEED_TEST_MAX_BYTES } from '$lib/reports/speed-test';
import { getDatabase } from '$lib/server/db/index';
import { readQuery } from '$lib/server/http';
import { addressKeyOf } from '$lib/server/intake';
import { spendSpeedTestBytes } from '$lib/server/speed-test-budget';

// Random bytes, made once: incompressible, so no proxy or encoding can make a link look faster.
const NOISE = randomBytes(SPEED_TEST_MAX_BYTES);
const NO_STORE = { 'cache-control': 'no-store', 'content-encoding': 'identity' };

/** A 429 when the address has spent its budget (setting reports.speedtest_mb_per_minute), else null. */
async function overBudget(clientAddress: string, bytes: number): Promise<Response | null> {
	const db = await getDatabase();
	const spend = await spendSpeedTestBytes(db, await addressKeyOf(db, clientAddress), bytes);
	if (spend.ok) return null;
	return json(
		{ message: `Too many speed tests from this network address; retry in ${spend.retryAfterS} s`, retryAfterS: spend.retryAfterS },
		{ status: 429, headers: { 'cache-control': 'no-store', 'retry-after': String(spend.retryAfterS) } }
	);
}

/** GET /api/speedtest?bytes=N: N random bytes (0 for a latency probe), never cached. */
export async function GET({ url, getClientAddress }) {
	const { bytes } = readQuery(url, (p) => ({ bytes: readParam(p, 'bytes', 0) }));
	const refused = await overBudget(getClientAddress(), bytes);
	if (refused) return refused;
	return new Response(NOISE.subarray(0, bytes), { headers: { ...NO_STORE, 'content-type': 'application/octet-stream', 'content-length': String(bytes) } });
}

/** POST /api/speedtest: reads the upload (at most 1 MB) and says how much arrived. */
export async function POST({ request, getClientAddress }) {
	const declared = Number(request.headers.get('content-length') ?? '0');
	if (declared > SPEED_TEST_MAX_BYTES) error(413, `body: at most ${SPEED_TEST_MAX_BYTES} bytes`);
	// Charged as declared up front (a body without a length is charged the cap): the bytes come in either way.
	const refused = await overBudget(getClientAddress(), declared > 0 ? declared : SPEED_TEST_MAX_BYTES);
	if (refused) {
		await request.body?.cancel();
		return refused;
	}
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
