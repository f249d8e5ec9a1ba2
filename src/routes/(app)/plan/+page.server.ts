import { basemapStyleUrl } from '$lib/server/basemap';
import { sql } from 'drizzle-orm';
import { communesExtent, VIETNAM_BBOX } from '$lib/server/communes';
import { getDatabase } from '$lib/server/db';
import { listScenarios } from '$lib/server/scenarios';
import { readSettings } from '$lib/server/settings';

// Planners: the scenario form (operators, the 2025 communes to choose from, the site types' costs
// in force) and the saved scenarios.
export async function load() {
	const db = await getDatabase();
	const [operators, communes, scenarios, settings, extent] = await Promise.all([
		db.rows<{ code: string; name: string }>(sql`select code, name from operators where code in (select distinct operator_code from towers) order by name`),
		db.rows<{ code: string; name: string }>(sql`select code, name from communes where boundary_set = '2025' order by name`),
		listScenarios(db),
		readSettings(db),
		communesExtent(db, '2025')
	]);
	return {
		operators,
		communes,
		scenarios,
		extent: extent ?? VIETNAM_BBOX,
		basemapStyleUrl: basemapStyleUrl(),
		costs: { smallCell: settings['planning.small_cell.cost'], macro: settings['planning.macro.cost'], colocationShare: settings['planning.colocation_cost_share'] }
	};
}
