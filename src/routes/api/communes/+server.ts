import { readParam } from '$lib/api/params';
import { communesInBbox, communesVersion } from '$lib/server/communes';
import { databaseForReading } from '$lib/server/db';
import { readQuery, versionedResponse } from '$lib/server/http';

export async function GET({ url, request, locals }) {
	const { bbox, zoom, set } = readQuery(url, (p) => ({
		bbox: readParam(p, 'bbox'),
		zoom: readParam(p, 'zoom', 10),
		set: readParam(p, 'set', '2025')
	}));
	const db = await databaseForReading(locals);
	const version = await communesVersion(db);
	return versionedResponse(request, version, () => communesInBbox(db, bbox, zoom, set, version), 'application/geo+json');
}
