import { error, json } from '@sveltejs/kit';
import { pmtilesStyle } from '$lib/components/map/basemap-style';
import { basemapArchive } from '$lib/server/basemap';
import { parseLang } from '$lib/i18n/lang';

// The offline vector basemap's style, in the reader's language (?lang=vi|en), for the local archive.
export async function GET({ url }) {
	const archive = await basemapArchive();
	if (!archive) error(404, 'No local basemap: set PHU_SONG_BASEMAP_PMTILES to a PMTiles file');
	return json(pmtilesStyle(url.origin, parseLang(url.searchParams.get('lang')), archive.version), { headers: { 'cache-control': 'public, max-age=300' } });
}
