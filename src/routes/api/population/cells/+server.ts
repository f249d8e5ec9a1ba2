import { readParam, readParamAs } from '$lib/api/params';
import { readDataVersion } from '$lib/server/data-version';
import { databaseForReading } from '$lib/server/db';
import { populationCellsInBbox } from '$lib/server/explorer-layers';
import { HOUSEHOLD_LAYERS } from '$lib/server/households';
import { readQuery, versionedResponse } from '$lib/server/http';

// Public: households, people and households per km² per H3 cell (res 7 or 8) in a box, as columns.
export async function GET({ url, request, locals }) {
	const q = readQuery(url, (p) => ({ bbox: readParam(p, 'bbox'), res: readParamAs(p, 'res', 'mapRes', 8) }));
	const db = await databaseForReading(locals);
	const version = await readDataVersion(db, HOUSEHOLD_LAYERS);
	return versionedResponse(request, `h${version}`, async () => JSON.stringify(await populationCellsInBbox(db, q.bbox, q.res)));
}
