import { json } from '@sveltejs/kit';
import { OPENAPI } from '$lib/api/openapi';

// Public: the OpenAPI 3.1 description of the public API.
export function GET({ url }) {
	return json({ ...OPENAPI, servers: [{ url: url.origin }] }, { headers: { 'cache-control': 'public, max-age=300' } });
}
