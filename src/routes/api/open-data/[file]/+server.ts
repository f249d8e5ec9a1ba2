import { error, json } from '@sveltejs/kit';
import { version as buildVersion } from '$app/environment';
import { OPEN_FORMATS, CONTENT_TYPES, type OpenFormat } from '$lib/open-data/table';
import { readConfig } from '$lib/server/config';
import { getDatabase } from '$lib/server/db';
import { ifNoneMatchHas } from '$lib/server/http';
import { dataPackage, openFile, OPEN_DATASETS, type OpenDataset } from '$lib/server/open-data';

// Public: a whole open dataset as CSV, GeoJSON or GeoParquet (`scorecards.parquet`), or the
// Frictionless data package listing them all (`datapackage.json`). ETag: the data version.
export async function GET({ params, request, url }) {
	const db = await getDatabase();
	const k = readConfig().publicMinReporters;
	if (params.file === 'datapackage.json') return json(await dataPackage(db, k, url.origin), { headers: { 'cache-control': 'no-store' } });
	const m = /^([a-z-]+)\.([a-z]+)$/.exec(params.file);
	if (!m || !OPEN_DATASETS.includes(m[1] as OpenDataset)) error(404, `file: no dataset "${params.file}"; use one of ${OPEN_DATASETS.join(', ')} with .csv, .geojson or .parquet, or datapackage.json`);
	if (!OPEN_FORMATS.includes(m[2] as OpenFormat)) error(404, `file: no format ".${m[2]}"; use .csv, .geojson or .parquet`);
	const [dataset, format] = [m[1] as OpenDataset, m[2] as OpenFormat];
	const { body, version } = await openFile(db, dataset, format, k);
	const etag = `"o${version}-k${k}-${buildVersion}"`;
	const headers = { etag, 'cache-control': 'public, max-age=0, must-revalidate' };
	if (ifNoneMatchHas(request.headers.get('if-none-match'), etag)) return new Response(null, { status: 304, headers });
	const day = version.split('|').pop();
	return new Response(typeof body === 'string' ? body : new Uint8Array(body), {
		headers: { ...headers, 'content-type': CONTENT_TYPES[format], 'content-disposition': `attachment; filename="phu-song-${dataset}-${day}.${format}"` }
	});
}
