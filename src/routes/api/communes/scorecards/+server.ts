import { error } from '@sveltejs/kit';
import { readParam, readParamAs } from '$lib/api/params';
import { ANY_OPERATOR } from '$lib/coverage/scorecard';
import { readConfig } from '$lib/server/config';
import { getDatabase } from '$lib/server/db';
import { readQuery, versionedResponse } from '$lib/server/http';
import { rowsToXlsx, scorecardTable } from '$lib/server/scorecard-export';
import { rowsToCsv } from '$lib/text/csv';
import { communeScorecards, scorecardsVersion } from '$lib/server/scorecards';
import { readSettings } from '$lib/server/settings';

// Public: every commune's scorecard (aggregates only, from measurements with k reporters) of one
// boundary set and operator view, optionally of one 2025 province, searched (`q`, without
// diacritics) and sorted as the /communes table; format=csv|xlsx downloads the same rows.
export async function GET({ url, request }) {
	const q = readQuery(url, (p) => ({
		set: readParam(p, 'set', '2025'),
		province: p.has('province') ? readParam(p, 'province') : null,
		operator: p.has('operator') ? readParam(p, 'operator') : ANY_OPERATOR,
		q: p.has('q') ? readParam(p, 'q') : null,
		sort: p.get('sort') ?? 'priority_rank',
		order: readParam(p, 'order', 'asc'),
		format: readParamAs(p, 'format', 'tableFormat', 'json')
	}));
	const db = await getDatabase();
	const k = readConfig().publicMinReporters;
	const { token } = await scorecardsVersion(db);
	const table = async () => {
		try {
			const [set, settings] = await Promise.all([communeScorecards(db, { set: q.set, operator: q.operator }, k), readSettings(db)]);
			const shown = scorecardTable(set, q, settings['speed.target_download_mbps']);
			if (q.province !== null && shown.provinces.length === 0) error(404, `province: no commune of province ${q.province} is loaded`);
			return { set, ...shown };
		} catch (e) {
			if (e instanceof RangeError) error(400, e.message);
			throw e;
		}
	};
	if (q.format === 'json') {
		return versionedResponse(request, `c${token}-k${k}-${url.searchParams}`, async () => {
			const { set, columns, rows, provinces } = await table();
			return JSON.stringify({ set: q.set, operator: q.operator, province: q.province, operators: set.operators, minReporters: k, vintage: set.vintage, unmapped: set.unmapped, columns, provinces, scorecards: rows });
		});
	}
	const { set, columns, rows } = await table();
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
