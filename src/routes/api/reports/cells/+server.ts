import { readParam } from '$lib/api/params';
import { readConfig } from '$lib/server/config';
import { databaseForReading } from '$lib/server/db';
import { readQuery, versionedResponse } from '$lib/server/http';
import { PUBLIC_CELL_RESOLUTION, reportCellsInBbox, reportCellsVersion } from '$lib/server/report-cells';

// Public: counts per H3 cell, only where enough distinct people reported.
export async function GET({ url, request, locals }) {
	const { bbox, resolution } = readQuery(url, (p) => ({ bbox: readParam(p, 'bbox'), resolution: readParam(p, 'res', PUBLIC_CELL_RESOLUTION) }));
	const minReporters = readConfig().publicMinReporters;
	const db = await databaseForReading(locals);
	const version = await reportCellsVersion(db);
	return versionedResponse(request, `${version}k${minReporters}`, async () =>
		JSON.stringify({ resolution, minReporters, cells: await reportCellsInBbox(db, bbox, { minReporters, resolution, version }) })
	);
}
