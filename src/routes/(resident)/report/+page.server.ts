import { communesExtent, VIETNAM_BBOX } from '$lib/server/communes';
import { getDatabase } from '$lib/server/db';
import { readDemoProvinces } from '$lib/server/meta';

// The report form: the province's extent for the tap-map, and whether its data are the synthetic demo.
export async function load({ setHeaders }) {
	// The service worker keeps its own copy for offline use; browsers revalidate every visit.
	setHeaders({ 'cache-control': 'no-cache' });
	const db = await getDatabase();
	const [extent, demo] = await Promise.all([communesExtent(db, '2025'), readDemoProvinces(db)]);
	return { extent: extent ?? VIETNAM_BBOX, demo: Object.keys(demo).length > 0 };
}
