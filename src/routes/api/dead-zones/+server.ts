import { error } from '@sveltejs/kit';
import { readParam, readParamAs } from '$lib/api/params';
import { readAnalysisVersions } from '$lib/server/analysis-versions';
import { readConfig } from '$lib/server/config';
import { seesExactCells } from '$lib/server/coverage-cells';
import { deadZonesInBbox, deadZonesVersion } from '$lib/server/dead-zones';
import { getDatabase } from '$lib/server/db';
import { readQuery, versionedResponse } from '$lib/server/http';

// Public: dead zones (GeoJSON) of one operator, or where no operator serves (operator omitted).
// The public's are built from res-8 cells whose measurements have k reporters; res 9 (every
// measurement) is for planners and for a liaison viewing its own operator.
export async function GET({ url, request, locals }) {
	const q = readQuery(url, (p) => ({
		bbox: readParam(p, 'bbox'),
		operator: p.has('operator') ? readParam(p, 'operator') : null,
		res: readParamAs(p, 'res', 'zoneRes', 8)
	}));
	const exact = seesExactCells(locals.user, q.operator);
	if (q.res === 9 && !exact) error(400, 'res: 9 is for planners and for an operator liaison viewing its own operator; use 8');
	const k = readConfig().publicMinReporters;
	const minReporters = exact ? 1 : k;
	// The primary: reading brings the stored zones up to date (not a replica route, auth/policy.ts).
	const db = await getDatabase();
	const versions = await readAnalysisVersions(db);
	return versionedResponse(
		request,
		`z${deadZonesVersion(versions)}-k${minReporters}-${exact ? 'exact' : 'public'}`,
		async () => JSON.stringify(await deadZonesInBbox(db, q.bbox, { res: q.res, operator: q.operator, minReporters, publicMinReporters: exact ? null : k }, versions)),
		'application/geo+json'
	);
}
