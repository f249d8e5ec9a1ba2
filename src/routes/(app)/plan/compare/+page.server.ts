import { basemapStyleUrl } from '$lib/server/basemap';
import { error } from '@sveltejs/kit';
import { layersBbox, planLayers } from '$lib/planning/layers';
import { getDatabase } from '$lib/server/db';
import { getScenario } from '$lib/server/scenarios';

// Planners: two saved scenarios side by side (?ids=a,b): their figures, sites on one map, and the
// households each newly serves per commune.
export async function load({ url }) {
	const ids = (url.searchParams.get('ids') ?? '').split(',').map(Number);
	if (ids.length !== 2 || !ids.every((id) => Number.isInteger(id) && id > 0) || ids[0] === ids[1]) error(400, 'ids: give two different scenario ids, e.g. ?ids=3,5');
	const db = await getDatabase();
	const scenarios = await Promise.all(ids.map((id) => getScenario(db, id)));
	const missing = ids.filter((_, i) => !scenarios[i]);
	if (missing.length > 0) error(404, `ids: no scenario ${missing.join(', ')}`);
	const layers = scenarios.map((s, i) => planLayers(s!.result.sites, i));
	const communes = new Map<string, { code: string; name: string; households: number; before: number; after: [number, number] }>();
	scenarios.forEach((s, i) => {
		for (const c of s!.result.communes) {
			const entry = communes.get(c.code) ?? { code: c.code, name: c.name, households: c.households, before: c.servedBefore, after: [c.servedBefore, c.servedBefore] as [number, number] };
			entry.after[i] = c.servedAfter;
			communes.set(c.code, entry);
		}
	});
	return {
		scenarios: scenarios.map((s) => {
			const { sites, communes: _c, ...rest } = s!.result;
			return { id: s!.id, name: s!.name, options: s!.options, createdAt: s!.createdAt, result: { ...rest, sites: sites.length, cost: sites.reduce((sum, x) => sum + x.cost, 0), smallCells: sites.filter((x) => x.type === 'small-cell').length, shared: sites.filter((x) => x.source === 'colocation').length } };
		}),
		points: { type: 'FeatureCollection' as const, features: layers.flatMap((l) => l.points.features) },
		coverage: { type: 'FeatureCollection' as const, features: layers.flatMap((l) => l.coverage.features) },
		bbox: layersBbox(layers) ?? ([102.14, 8.18, 109.47, 23.39] as [number, number, number, number]),
		communes: [...communes.values()].filter((c) => c.after[0] > c.before || c.after[1] > c.before).sort((a, b) => Math.max(b.after[0], b.after[1]) - b.before - (Math.max(a.after[0], a.after[1]) - a.before)),
		basemapStyleUrl: basemapStyleUrl()
	};
}
