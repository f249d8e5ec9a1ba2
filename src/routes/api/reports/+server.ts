import { readParam } from '$lib/api/params';
import { getDatabase } from '$lib/server/db';
import { jsonTextResponse, readQuery } from '$lib/server/http';
import { reportsInBbox } from '$lib/server/reports';

// Exact report points: planners only (see auth/policy.ts); the public gets aggregated cells.
export async function GET({ url }) {
	const { bbox, limit } = readQuery(url, (p) => ({ bbox: readParam(p, 'bbox'), limit: readParam(p, 'limit', 10_000) }));
	return jsonTextResponse(await reportsInBbox(await getDatabase(), bbox, limit));
}
