import { OPENAPI } from '$lib/api/openapi';
import { readConfig } from '$lib/server/config';
import { getDatabase } from '$lib/server/db';
import { OPEN_LICENCE, openDataSummary } from '$lib/server/open-data';

// Public: the open-data package and the public API, for people (the same as /api/openapi.json
// and /api/open-data/datapackage.json, readable).
export async function load() {
	const k = readConfig().publicMinReporters;
	const summary = await openDataSummary(await getDatabase(), k);
	const endpoints = Object.entries(OPENAPI.paths).map(([path, item]) => ({
		path,
		summary: item.get.summary,
		parameters: (item.get.parameters as readonly { name: string; description: string; required?: boolean }[]).map((p) => ({ name: p.name, description: p.description, required: p.required ?? false }))
	}));
	return { summary, endpoints, licence: OPEN_LICENCE, minReporters: k };
}
