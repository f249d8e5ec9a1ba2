import { error, json } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { getScenario } from '$lib/server/scenarios';

/** One saved scenario: its options and result (sites, targets, communes before/after). */
export async function GET({ params }) {
	const id = Number(params.id);
	if (!Number.isInteger(id) || id <= 0) error(400, 'id: must be a scenario id');
	const scenario = await getScenario(await getDatabase(), id);
	if (!scenario) error(404, `id: no scenario ${id}`);
	return json(scenario, { headers: { 'cache-control': 'no-store' } });
}
