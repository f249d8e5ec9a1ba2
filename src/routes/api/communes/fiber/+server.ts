import { readParam } from '$lib/api/params';
import { readDataVersion } from '$lib/server/data-version';
import { databaseForReading } from '$lib/server/db';
import { fiberCommunes } from '$lib/server/explorer-layers';
import { readQuery, versionedResponse } from '$lib/server/http';

// Public: fiber households (total, passed, connected) per 2025 commune, one operator or any, as columns.
export async function GET({ url, request, locals }) {
	const q = readQuery(url, (p) => ({ operator: p.has('operator') ? readParam(p, 'operator') : null }));
	const db = await databaseForReading(locals);
	const version = await readDataVersion(db, ['fiber']);
	return versionedResponse(request, `f${version}`, async () => JSON.stringify(await fiberCommunes(db, q.operator)));
}
