import { error } from '@sveltejs/kit';
import { readParam, readParamAs } from '$lib/api/params';
import { readConfig } from '$lib/server/config';
import { measuredCellsInBbox, measuredCellsVersion, predictedCellsInBbox, seesExactCells } from '$lib/server/coverage-cells';
import { readDataVersion } from '$lib/server/data-version';
import { databaseForReading } from '$lib/server/db';
import { fusedVersion } from '$lib/server/fused';
import { bestCellsInBbox, declaredCellsInBbox, disputedCellsInBbox } from '$lib/server/fused-api';
import { readQuery, versionedResponse } from '$lib/server/http';
import { mayReadDisputes } from '$lib/server/disputes';

// Public, columnar, per H3 cell: measured (the k-reporter rule and res ≤ 8 for the public), predicted
// and declared (for everyone), the fused best estimate (the public's rests only on cells with k
// reporters, res ≤ 8), disputed (planners; a liaison for its own operator).
export async function GET({ url, request, locals }) {
	const q = readQuery(url, (p) => ({
		bbox: readParam(p, 'bbox'),
		res: readParamAs(p, 'res', 'coverageRes', 8),
		operator: p.has('operator') ? readParam(p, 'operator') : null,
		technology: p.has('technology') ? readParam(p, 'technology') : null,
		source: readParam(p, 'source', 'measured'),
		window: p.has('window') ? readParamAs(p, 'window', 'timeWindow', 90) : null
	}));
	if (q.window !== null && q.source !== 'measured') error(400, 'window: only the measured layer has time windows');
	const db = await databaseForReading(locals);
	const today = new Date().toISOString().slice(0, 10);
	if (q.source === 'predicted') {
		// Predictions come from the tower inventory, not from anyone's reports: every caller, every resolution.
		const version = await readDataVersion(db, ['predicted']);
		return versionedResponse(request, `p${version}`, async () => JSON.stringify(await predictedCellsInBbox(db, q.bbox, { res: q.res, operator: q.operator, technology: q.technology, version })));
	}
	if (q.source === 'declared') {
		// Operators publish these maps (QCVN 81): every caller, every resolution.
		const version = await readDataVersion(db, ['declared', 'settings']);
		return versionedResponse(request, `d${version}`, async () => JSON.stringify(await declaredCellsInBbox(db, q.bbox, q)));
	}
	if (q.source === 'disputed') {
		const denied = mayReadDisputes(locals.user, q.operator);
		if (denied) error(denied.status, denied.message);
		const version = await fusedVersion(db);
		return versionedResponse(request, `x${version}-${today}`, async () => JSON.stringify(await disputedCellsInBbox(db, q.bbox, { ...q, version })));
	}
	const exact = seesExactCells(locals.user, q.operator);
	if (q.res === 9 && !exact) error(400, 'res: 9 is for planners and for an operator liaison viewing its own operator; use 6, 7 or 8');
	const minReporters = readConfig().publicMinReporters;
	if (q.source === 'best') {
		const version = await fusedVersion(db);
		const k = exact ? 1 : minReporters;
		return versionedResponse(request, `b${version}-${today}-k${k}`, async () => JSON.stringify(await bestCellsInBbox(db, q.bbox, { ...q, minReporters: k, version })));
	}
	if (q.window !== null && !exact) error(400, 'window: shorter time windows are for planners and for an operator liaison viewing its own operator');
	if (q.window !== null && q.res !== 7 && q.res !== 8) error(400, 'res: a time window is drawn at 7 or 8');
	const version = await measuredCellsVersion(db);
	return versionedResponse(request, `${version}-${today}-k${minReporters}-${exact ? 'exact' : 'public'}-w${q.window ?? 0}`, async () =>
		JSON.stringify(await measuredCellsInBbox(db, q.bbox, { res: q.res, operator: q.operator, technology: q.technology, caller: locals.user, publicMinReporters: minReporters, version, window: q.window }))
	);
}
