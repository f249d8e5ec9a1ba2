import { readParam } from '$lib/api/params';
import { readAnalysisVersions } from '$lib/server/analysis-versions';
import { readConfig } from '$lib/server/config';
import { seesExactCells } from '$lib/server/coverage-cells';
import { databaseForReading } from '$lib/server/db';
import { readQuery, versionedResponse } from '$lib/server/http';
import { villagesInBbox, villagesVersion } from '$lib/server/villages';

// Public: villages (GeoJSON points) with their status for one operator, or for any (omitted), and
// how they compare with the province's register. The public's rest on measurements with k reporters.
export async function GET({ url, request, locals }) {
	const q = readQuery(url, (p) => ({ bbox: readParam(p, 'bbox'), operator: p.has('operator') ? readParam(p, 'operator') : null }));
	const minReporters = seesExactCells(locals.user, q.operator) ? 1 : readConfig().publicMinReporters;
	const db = await databaseForReading(locals);
	const versions = await readAnalysisVersions(db);
	return versionedResponse(
		request,
		`v${villagesVersion(versions)}-k${minReporters}`,
		async () => JSON.stringify(await villagesInBbox(db, q.bbox, { operator: q.operator, minReporters }, versions)),
		'application/geo+json'
	);
}
