import { error } from '@sveltejs/kit';
import { ParamError } from '$lib/api/params';
import { readQuery } from '$lib/server/http';
import { EXPORT_TYPES, exportSites, PLAN_EXPORT_FORMATS, type PlanExportFormat } from '$lib/planning/export';
import { getDatabase } from '$lib/server/db';
import { getScenario } from '$lib/server/scenarios';

/** A saved scenario's proposed sites as a file: ?format=geojson|csv|kml&lang=vi|en. */
export async function GET({ params, url }) {
	const id = Number(params.id);
	if (!Number.isInteger(id) || id <= 0) error(400, 'id: must be a scenario id');
	const { format, lang } = readQuery(url, (q) => {
		const format = q.get('format') ?? 'geojson';
		const lang = q.get('lang') ?? 'vi';
		if (!PLAN_EXPORT_FORMATS.includes(format as PlanExportFormat)) throw new ParamError('format', `must be one of ${PLAN_EXPORT_FORMATS.join(', ')}`);
		if (lang !== 'vi' && lang !== 'en') throw new ParamError('lang', 'must be vi or en');
		return { format: format as PlanExportFormat, lang: lang as 'vi' | 'en' };
	});
	const scenario = await getScenario(await getDatabase(), id);
	if (!scenario) error(404, `id: no scenario ${id}`);
	const body = exportSites(format, scenario.result.sites, lang, scenario.name);
	return new Response(body, {
		headers: { 'content-type': EXPORT_TYPES[format], 'content-disposition': `attachment; filename="phu-song-plan-${id}.${format}"`, 'cache-control': 'no-store' }
	});
}
