import { json } from '@sveltejs/kit';
import { readParam } from '$lib/api/params';
import { readConfig } from '$lib/server/config';
import { getDatabase } from '$lib/server/db';
import { readQuery } from '$lib/server/http';
import { PUBLIC_CELL_RESOLUTION, reportCellsInBbox } from '$lib/server/report-cells';

// Public: counts per H3 cell, only where enough distinct people reported.
export async function GET({ url }) {
	const { bbox, resolution } = readQuery(url, (p) => ({ bbox: readParam(p, 'bbox'), resolution: readParam(p, 'res', PUBLIC_CELL_RESOLUTION) }));
	const minReporters = readConfig().publicMinReporters;
	const cells = await reportCellsInBbox(await getDatabase(), bbox, { minReporters, resolution });
	return json({ resolution, minReporters, cells });
}
