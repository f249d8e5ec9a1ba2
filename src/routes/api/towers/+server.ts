import { readParam } from '$lib/api/params';
import { readDataVersion } from '$lib/server/data-version';
import { databaseForReading } from '$lib/server/db';
import { readQuery, versionedResponse } from '$lib/server/http';
import { towersInBbox } from '$lib/server/towers';

export async function GET({ url, request, locals }) {
	const bbox = readQuery(url, (p) => readParam(p, 'bbox'));
	const db = await databaseForReading(locals);
	return versionedResponse(request, await readDataVersion(db, ['towers', 'operators']), () => towersInBbox(db, bbox), 'application/geo+json');
}
