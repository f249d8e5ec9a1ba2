import { readParam } from '$lib/api/params';
import { getDatabase } from '$lib/server/db';
import { jsonTextResponse, readQuery } from '$lib/server/http';
import { corsPreflight, postReport } from '$lib/server/report-requests';
import { reportsInBbox } from '$lib/server/reports';

// Exact report points: planners only (see auth/policy.ts); the public gets aggregated cells.
export async function GET({ url }) {
	const { bbox, limit } = readQuery(url, (p) => ({ bbox: readParam(p, 'bbox'), limit: readParam(p, 'limit', 10_000) }));
	return jsonTextResponse(await reportsInBbox(await getDatabase(), bbox, limit));
}

/** A resident's report (README, "Residents' reports"): public, and the one API other sites may post to. */
export const POST = ({ request, getClientAddress }) => postReport(request, getClientAddress());
export const OPTIONS = () => corsPreflight();
