import { basemapStyleUrl } from '$lib/server/basemap';
import { getDatabase } from '$lib/server/db';
import { loadMapPage } from '$lib/server/map-page';

export async function load() {
	return { ...(await loadMapPage(await getDatabase())), basemapStyleUrl: basemapStyleUrl() };
}
