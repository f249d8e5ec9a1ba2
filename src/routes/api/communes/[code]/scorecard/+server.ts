import { error } from '@sveltejs/kit';
import { ParamError, readParam } from '$lib/api/params';
import { ANY_OPERATOR } from '$lib/coverage/scorecard';
import { communeDetail } from '$lib/server/commune-detail';
import { readConfig } from '$lib/server/config';
import { getDatabase } from '$lib/server/db';
import { readQuery, versionedResponse } from '$lib/server/http';
import { scorecardRow } from '$lib/server/scorecard-export';
import { communeScorecards, scorecardsVersion } from '$lib/server/scorecards';
import { readSettings } from '$lib/server/settings';

// Public: one commune's scorecard (`set` decides which commune a code means: the two sets' codes
// overlap), with its province's roll-up for comparison; for the any-operator view also coverage
// per operator and technology, the outline and reports over time (buckets of ≥ k reporters).
export async function GET({ url, params, request }) {
	const q = readQuery(url, (p) => {
		const code = new URLSearchParams({ commune: params.code });
		if (!/^\d{5}$/.test(params.code)) throw new ParamError('code', 'must be a five-digit commune code');
		return { code: readParam(code, 'commune'), set: readParam(p, 'set', '2025'), operator: p.has('operator') ? readParam(p, 'operator') : ANY_OPERATOR };
	});
	const db = await getDatabase();
	const k = readConfig().publicMinReporters;
	const { token } = await scorecardsVersion(db);
	const notFound = () => error(404, `code: no ${q.set} commune ${q.code} is loaded`);
	return versionedResponse(request, `c${token}-k${k}-${q.set}-${q.operator}-${q.code}`, async () => {
		if (q.operator === ANY_OPERATOR) {
			const detail = (await communeDetail(db, { code: q.code, set: q.set }, k)) ?? notFound();
			return JSON.stringify({ operator: q.operator, ...detail });
		}
		let set;
		try {
			set = await communeScorecards(db, { set: q.set, operator: q.operator }, k);
		} catch (e) {
			if (e instanceof RangeError) error(400, e.message);
			throw e;
		}
		const found = set.scorecards.find((s) => s.code === q.code) ?? notFound();
		const province = set.provinces.find((p) => p.code === found.provinceCode) ?? null;
		const target = (await readSettings(db))['speed.target_download_mbps'];
		return JSON.stringify({
			set: q.set,
			operator: q.operator,
			operators: set.operators,
			minReporters: k,
			vintage: set.vintage,
			communes: set.scorecards.length,
			scorecard: scorecardRow(found, set.operators, target),
			province: province ? scorecardRow(province, set.operators, target) : null
		});
	});
}
