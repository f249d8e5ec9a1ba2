import { json } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { actorOfUser, runScenarioStream, scenarioOptionsOrError } from '$lib/server/plan-requests';
import { listScenarios } from '$lib/server/scenarios';

/** Saved scenarios, newest first (planners). */
export async function GET() {
	return json({ scenarios: await listScenarios(await getDatabase()) }, { headers: { 'cache-control': 'no-store' } });
}

/** Runs a scenario (JSON options, see src/lib/planning/scenario-options.ts) and saves it; progress as server-sent events. */
export async function POST({ request, locals }) {
	const options = scenarioOptionsOrError(await request.json().catch(() => null));
	return runScenarioStream(await getDatabase(), options, actorOfUser(locals.user), request.signal);
}
