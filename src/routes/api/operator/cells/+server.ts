import { error, json } from '@sveltejs/kit';
import { readParam } from '$lib/api/params';
import { readConfig } from '$lib/server/config';
import { getDatabase } from '$lib/server/db';
import { readQuery } from '$lib/server/http';
import { operatorEvidenceCells, PUBLIC_CELL_RESOLUTION } from '$lib/server/report-cells';

export async function GET({ url, locals }) {
	const { bbox, operator, resolution } = readQuery(url, (p) => ({
		bbox: readParam(p, 'bbox'),
		operator: p.has('operator') ? readParam(p, 'operator') : null,
		resolution: readParam(p, 'res', PUBLIC_CELL_RESOLUTION)
	}));
	const minReporters = readConfig().publicMinReporters;
	const evidence = await operatorEvidenceCells(await getDatabase(), locals.user!, bbox, { requestedOperator: operator, minReporters, resolution });
	if (!evidence) error(400, 'operator: is required for planners and admins');
	return json({ ...evidence, resolution, minReporters });
}
