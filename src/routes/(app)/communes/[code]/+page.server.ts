import { basemapStyleUrl } from '$lib/server/basemap';
import { error } from '@sveltejs/kit';
import { ParamError, readParam } from '$lib/api/params';
import { communeDetail } from '$lib/server/commune-detail';
import { readConfig } from '$lib/server/config';
import { getDatabase } from '$lib/server/db';

// Public: one commune's figures, map and charts (aggregates only). `set` says which commune the
// code means: the codes of the two boundary sets overlap.
export async function load({ params, url }) {
	let set;
	try {
		if (!/^\d{5}$/.test(params.code)) throw new ParamError('code', 'must be a five-digit commune code');
		set = readParam(url.searchParams, 'set', '2025');
	} catch (e) {
		if (e instanceof ParamError) error(400, e.message);
		throw e;
	}
	const detail = await communeDetail(await getDatabase(), { code: params.code, set }, readConfig().publicMinReporters);
	if (!detail) error(404, `code: no ${set} commune ${params.code} is loaded`);
	return { detail, basemapStyleUrl: basemapStyleUrl() };
}
