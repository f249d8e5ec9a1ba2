import { readParam } from '$lib/api/params';
import { getDatabase } from '$lib/server/db';
import { jsonTextResponse, readQuery } from '$lib/server/http';
import { towersInBbox } from '$lib/server/towers';

export async function GET({ url }) {
	const bbox = readQuery(url, (p) => readParam(p, 'bbox'));
	return jsonTextResponse(await towersInBbox(await getDatabase(), bbox));
}
