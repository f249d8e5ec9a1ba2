import { json } from '@sveltejs/kit';
import { readParam } from '$lib/api/params';
import { searchCommunes } from '$lib/server/communes';
import { databaseForReading } from '$lib/server/db';
import { readQuery } from '$lib/server/http';

export async function GET({ url, locals }) {
	const { q, set, limit } = readQuery(url, (p) => ({
		q: readParam(p, 'q'),
		set: readParam(p, 'set', '2025'),
		limit: Math.min(readParam(p, 'limit', 10), 50)
	}));
	return json(await searchCommunes(await databaseForReading(locals), q, set, limit));
}
