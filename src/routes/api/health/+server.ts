import { json } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { checkHealth } from '$lib/server/health';

export async function GET() {
	return json(await checkHealth(await getDatabase()));
}
