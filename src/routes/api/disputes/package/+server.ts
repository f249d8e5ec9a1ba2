import { error } from '@sveltejs/kit';
import { readParam } from '$lib/api/params';
import { getDatabase } from '$lib/server/db';
import { disputePackage, mayReadDisputes } from '$lib/server/disputes';
import { readQuery } from '$lib/server/http';

// The evidence package an operator answers: its disputed cells (GeoJSON, CSV, or both in a zip
// with the cover sheet), for planners and for that operator's liaison.
export async function GET({ url, locals }) {
	const q = readQuery(url, (p) => ({ operator: readParam(p, 'operator'), format: readParam(p, 'format', 'zip') }));
	const denied = mayReadDisputes(locals.user, q.operator);
	if (denied) error(denied.status, denied.message);
	const pkg = await disputePackage(await getDatabase(), q.operator, q.format);
	return new Response(typeof pkg.body === 'string' ? pkg.body : new Uint8Array(pkg.body), {
		headers: { 'content-type': pkg.contentType, 'content-disposition': `attachment; filename="${pkg.fileName}"`, 'cache-control': 'private, no-store' }
	});
}
