import { error } from '@sveltejs/kit';
import { readParam, readParamAs } from '$lib/api/params';
import { readConfig } from '$lib/server/config';
import { measuredCellsInBbox, measuredCellsVersion, predictedCellsInBbox, seesExactCells } from '$lib/server/coverage-cells';
import { readDataVersion } from '$lib/server/data-version';
import { getDatabase } from '$lib/server/db';
import { readQuery, versionedResponse } from '$lib/server/http';

// Public, columnar: the measured layer per H3 cell; the k-reporter rule and res ≤ 8 for the public.
export async function GET({ url, request, locals }) {
	const q = readQuery(url, (p) => ({
		bbox: readParam(p, 'bbox'),
		res: readParamAs(p, 'res', 'coverageRes', 8),
		operator: p.has('operator') ? readParam(p, 'operator') : null,
		technology: p.has('technology') ? readParam(p, 'technology') : null,
		source: readParam(p, 'source', 'measured')
	}));
	const db = await getDatabase();
	if (q.source === 'predicted') {
		// Predictions come from the tower inventory, not from anyone's reports: every caller, every resolution.
		const version = await readDataVersion(db, ['predicted']);
		return versionedResponse(request, `p${version}`, async () => JSON.stringify(await predictedCellsInBbox(db, q.bbox, { res: q.res, operator: q.operator, technology: q.technology, version })));
	}
	const exact = seesExactCells(locals.user, q.operator);
	if (q.res === 9 && !exact) error(400, 'res: 9 is for planners and for an operator liaison viewing its own operator; use 6, 7 or 8');
	const version = await measuredCellsVersion(db);
	const today = new Date().toISOString().slice(0, 10);
	const minReporters = readConfig().publicMinReporters;
	return versionedResponse(request, `${version}-${today}-k${minReporters}-${exact ? 'exact' : 'public'}`, async () =>
		JSON.stringify(await measuredCellsInBbox(db, q.bbox, { res: q.res, operator: q.operator, technology: q.technology, caller: locals.user, publicMinReporters: minReporters, version }))
	);
}
