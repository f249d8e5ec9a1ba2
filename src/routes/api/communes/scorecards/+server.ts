import { error } from '@sveltejs/kit';
import { readParam, readParamAs } from '$lib/api/params';
import { ANY_OPERATOR } from '$lib/coverage/scorecard';
import { readConfig } from '$lib/server/config';
import { getDatabase } from '$lib/server/db';
import { readQuery, versionedResponse } from '$lib/server/http';
import { rowsToCsv, rowsToXlsx, scorecardColumns, scorecardRow } from '$lib/server/scorecard-export';
import { communeScorecards, scorecardsVersion, type ScorecardSet } from '$lib/server/scorecards';
import { readSettings } from '$lib/server/settings';

// Public: every commune's scorecard (aggregates only, from measurements with k reporters) of one
// boundary set and operator view, optionally of one 2025 province; format=csv|xlsx downloads the
// same rows.
export async function GET({ url, request }) {
	const q = readQuery(url, (p) => ({
		set: readParam(p, 'set', '2025'),
		province: p.has('province') ? readParam(p, 'province') : null,
		operator: p.has('operator') ? readParam(p, 'operator') : ANY_OPERATOR,
		format: readParamAs(p, 'format', 'tableFormat', 'json')
	}));
	const db = await getDatabase();
	const k = readConfig().publicMinReporters;
	const [{ token }, settings] = await Promise.all([scorecardsVersion(db), readSettings(db)]);
	const answer = async () => {
		const set = await viewOf(db, q.set, q.operator, k);
		const scorecards = set.scorecards.filter((s) => q.province === null || s.province2025 === q.province);
		if (q.province !== null && scorecards.length === 0) error(404, `province: no commune of province ${q.province} is loaded`);
		const rows = scorecards.map((s) => scorecardRow(s, set.operators, settings['speed.target_download_mbps']));
		return { set, rows };
	};
	if (q.format === 'json') {
		return versionedResponse(request, `c${token}-k${k}-${q.set}-${q.operator}-${q.province ?? 'all'}`, async () => {
			const { set, rows } = await answer();
			const provinces = set.provinces.filter((p) => q.province === null || p.province2025 === q.province);
			return JSON.stringify({
				set: q.set,
				operator: q.operator,
				province: q.province,
				operators: set.operators,
				minReporters: k,
				vintage: set.vintage,
				unmapped: set.unmapped,
				columns: scorecardColumns(set.operators),
				provinces: provinces.map((p) => scorecardRow(p, set.operators, settings['speed.target_download_mbps'])),
				scorecards: rows
			});
		});
	}
	const { set, rows } = await answer();
	const columns = scorecardColumns(set.operators);
	const name = `phu-song-scorecards-${q.set}-${q.province ?? 'all'}-${q.operator === ANY_OPERATOR ? 'any' : q.operator}-${set.vintage.day}`;
	const body = q.format === 'csv' ? rowsToCsv(rows, columns) : await rowsToXlsx(rows, columns, 'scorecards');
	return new Response(body, {
		headers: {
			'content-type': q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'content-disposition': `attachment; filename="${name}.${q.format}"`,
			'cache-control': 'no-store'
		}
	});
}

async function viewOf(db: Awaited<ReturnType<typeof getDatabase>>, set: '2025' | 'pre2025', operator: string, k: number): Promise<ScorecardSet> {
	try {
		return await communeScorecards(db, { set, operator }, k);
	} catch (e) {
		if (e instanceof RangeError) error(400, e.message);
		throw e;
	}
}
