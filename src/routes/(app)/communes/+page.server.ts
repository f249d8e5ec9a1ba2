import { error } from '@sveltejs/kit';
import { ParamError, readParam } from '$lib/api/params';
import { ANY_OPERATOR } from '$lib/coverage/scorecard';
import { readConfig } from '$lib/server/config';
import { getDatabase } from '$lib/server/db';
import { scorecardTable } from '$lib/server/scorecard-export';
import { communeScorecards } from '$lib/server/scorecards';
import { readSettings } from '$lib/server/settings';

// Public: the commune scorecards table (aggregates only). The filters are the URL's, so a view can
// be linked and printed; search and sort happen in the page, and the downloads repeat them.
export async function load({ url }) {
	let q;
	try {
		const p = url.searchParams;
		q = {
			set: readParam(p, 'set', '2025'),
			province: p.get('province') ? readParam(p, 'province') : null,
			operator: p.get('operator') ? readParam(p, 'operator') : ANY_OPERATOR
		};
	} catch (e) {
		if (e instanceof ParamError) error(400, e.message);
		throw e;
	}
	const db = await getDatabase();
	const k = readConfig().publicMinReporters;
	const [set, settings] = await Promise.all([communeScorecards(db, { set: q.set, operator: q.operator }, k), readSettings(db)]);
	const table = scorecardTable(set, { province: q.province, q: null, sort: 'priority_rank', order: 'asc' }, settings['speed.target_download_mbps']);
	const provinces = new Map<string, string>();
	for (const s of set.scorecards) if (s.province2025) provinces.set(s.province2025, s.provinceName ?? s.province2025);
	return {
		query: q,
		rows: table.rows,
		totals: table.provinces,
		operators: set.operators,
		provinces: [...provinces].map(([code, name]) => ({ code, name })).sort((a, b) => a.code.localeCompare(b.code)),
		vintage: set.vintage,
		unmapped: set.unmapped,
		minReporters: k,
		speedTargetMbps: settings['speed.target_download_mbps'],
		synthetic: table.rows.some((r) => r.synthetic)
	};
}
