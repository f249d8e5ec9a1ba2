import { error, json } from '@sveltejs/kit';
import { readParam } from '$lib/api/params';
import { readConfig } from '$lib/server/config';
import { getDatabase } from '$lib/server/db';
import { readQuery } from '$lib/server/http';
import { PUBLIC_CELL_RESOLUTION, reportCellsInBbox } from '$lib/server/report-cells';

// An operator's own evidence: its reports per cell. A liaison is pinned to its operator on the
// server; planners and admins choose one with ?operator=.
export async function GET({ url, locals }) {
	const { bbox, operator } = readQuery(url, (p) => ({ bbox: readParam(p, 'bbox'), operator: p.get('operator') }));
	const user = locals.user!;
	const operatorCode = user.role === 'operator' ? user.operatorCode! : operator;
	if (!operatorCode) error(400, 'operator: is required for planners and admins');
	const minReporters = readConfig().publicMinReporters;
	const cells = await reportCellsInBbox(await getDatabase(), bbox, { minReporters, operatorCode });
	return json({ operator: operatorCode, resolution: PUBLIC_CELL_RESOLUTION, minReporters, cells });
}
