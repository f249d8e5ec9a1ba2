import { readParam } from '$lib/api/params';
import { getDatabase } from '$lib/server/db';
import { jsonTextResponse, readQuery } from '$lib/server/http';
import { reportsInBbox } from '$lib/server/reports';

// Exact report points are public until the accounts issue restricts them to planners.
export async function GET({ url }) {
	const { bbox, limit } = readQuery(url, (p) => ({ bbox: readParam(p, 'bbox'), limit: readParam(p, 'limit', 10_000) }));
	return jsonTextResponse(await reportsInBbox(await getDatabase(), bbox, limit));
}
