import { error } from '@sveltejs/kit';
import { readParam, readParamAs } from '$lib/api/params';
import { seesExactCells } from '$lib/server/coverage-cells';
import { databaseForReading } from '$lib/server/db';
import { readQuery, versionedResponse } from '$lib/server/http';
import { staleCells, staleExport, staleVersion } from '$lib/server/stale';

// Public: populated cells without recent evidence, ranked by households (res 8; 9 for planners).
// format=csv|geojson downloads the list for community digital teams; json (default) is the map's.
export async function GET({ url, request, locals }) {
	const q = readQuery(url, (p) => ({
		bbox: p.has('bbox') ? readParam(p, 'bbox') : null,
		res: readParamAs(p, 'res', 'zoneRes', 8),
		format: readParamAs(p, 'format', 'exportFormat', 'json')
	}));
	if (q.res === 9 && !seesExactCells(locals.user, null)) error(400, 'res: 9 is for planners; use 8');
	if (q.format === 'json' && !q.bbox) error(400, 'bbox: required for the map answer (downloads may omit it for the whole province)');
	const db = await databaseForReading(locals);
	const day = new Date().toISOString().slice(0, 10);
	const version = `s${await staleVersion(db)}|${day}`;
	if (q.format === 'json') {
		return versionedResponse(request, version, async () => {
			const cells = await staleCells(db, { res: q.res, bbox: q.bbox });
			return JSON.stringify({ res: q.res, cells: cells.map((c) => c.h3), households: cells.map((c) => Math.round(c.households * 10) / 10), lastObserved: cells.map((c) => c.lastObserved) });
		});
	}
	const body = staleExport(await staleCells(db, { res: q.res, bbox: q.bbox }), q.format);
	return new Response(body, {
		headers: {
			'content-type': q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/geo+json; charset=utf-8',
			'content-disposition': `attachment; filename="phu-song-stale-cells-${day}.${q.format}"`,
			'cache-control': 'no-store'
		}
	});
}
