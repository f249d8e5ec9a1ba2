import { readParam } from '$lib/api/params';
import { communesInBbox } from '$lib/server/communes';
import { getDatabase } from '$lib/server/db';
import { jsonTextResponse, readQuery } from '$lib/server/http';

export async function GET({ url }) {
	const { bbox, zoom, set } = readQuery(url, (p) => ({
		bbox: readParam(p, 'bbox'),
		zoom: readParam(p, 'zoom', 10),
		set: readParam(p, 'set', '2025')
	}));
	return jsonTextResponse(await communesInBbox(await getDatabase(), bbox, zoom, set));
}
