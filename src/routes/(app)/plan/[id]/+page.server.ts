import { basemapStyleUrl } from '$lib/server/basemap';
import { error } from '@sveltejs/kit';
import { sql } from 'drizzle-orm';
import { layersBbox, planLayers } from '$lib/planning/layers';
import { getDatabase } from '$lib/server/db';
import { getScenario } from '$lib/server/scenarios';

// Planners: one saved scenario — its sites ranked and explained, the map layers, communes before
// and after, exports, and the sites already proposed from it.
export async function load({ params }) {
	const id = Number(params.id);
	if (!Number.isInteger(id) || id <= 0) error(400, 'id: must be a scenario id');
	const db = await getDatabase();
	const scenario = await getScenario(db, id);
	if (!scenario) error(404, `id: no scenario ${id}`);
	const proposed = await db.rows<{ site_key: string; id: number; state: string }>(sql`select site_key, id, state from proposals where scenario_id = ${id}`);
	const [operator] = await db.rows<{ name: string }>(sql`select name from operators where code = ${scenario.operatorCode}`);
	const layers = planLayers(scenario.result.sites);
	// The planned communes (or those holding a site) as context on the map.
	const codes = scenario.options.communes.length > 0 ? scenario.options.communes : [...new Set(scenario.result.sites.map((s) => s.communeCode).filter((c): c is string => c !== null))];
	const outlineRows = await db.rows<{ g: string; name: string }>(sql`
		select name, ST_AsGeoJSON(ST_SimplifyPreserveTopology(geom, 0.0003), 5) as g from communes where boundary_set = '2025' and code = any(${`{${codes.join(',')}}`}::text[])`);
	const outlines = { type: 'FeatureCollection' as const, features: outlineRows.map((r) => ({ type: 'Feature' as const, geometry: JSON.parse(r.g), properties: { name: r.name } })) };
	const { sites, ...rest } = scenario.result;
	return {
		scenario: { ...scenario, result: { ...rest, sites: sites.map(({ coveredCells, newCells, ...s }) => ({ ...s, cells: newCells.length, coveredCells: coveredCells.length })) } },
		operatorName: operator?.name ?? scenario.operatorCode,
		layers,
		outlines,
		bbox: layersBbox([layers]) ?? ([102.14, 8.18, 109.47, 23.39] as [number, number, number, number]),
		proposed: Object.fromEntries(proposed.map((p) => [p.site_key, { id: p.id, state: p.state }])),
		basemapStyleUrl: basemapStyleUrl()
	};
}
