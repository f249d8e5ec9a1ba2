import { env } from '$env/dynamic/public';
import { getDatabase } from '$lib/server/db';
import { loadMapPage } from '$lib/server/map-page';

export async function load() {
	return { ...(await loadMapPage(await getDatabase())), basemapStyleUrl: env.PUBLIC_BASEMAP_STYLE_URL || undefined };
}
