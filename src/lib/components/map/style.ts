import type { StyleSpecification } from 'maplibre-gl';

/**
 * The default basemap: a plain background and nothing fetched — the map must work offline, so
 * no tiles, sprites or glyphs (labels are drawn by deck.gl's TextLayer with local fonts).
 */
export const OFFLINE_STYLE: StyleSpecification = {
	version: 8,
	name: 'Phủ Sóng offline',
	sources: {},
	layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#e9eee9' } }]
};

/** Where the app serves the local PMTiles basemap (src/routes/basemap/). */
export const BASEMAP_PATHS = {
	style: '/basemap/style.json',
	tiles: '/basemap/tiles.pmtiles',
	glyphs: '/basemap/fonts/{fontstack}/{range}.pbf'
} as const;

/** The style to load: an online basemap only when an operator configured one. */
export function chooseMapStyle(basemapStyleUrl: string | undefined): StyleSpecification | string {
	return basemapStyleUrl?.trim() ? basemapStyleUrl.trim() : OFFLINE_STYLE;
}

const registered = new WeakSet<object>();

/**
 * The style a map starts with: the app's own PMTiles style (in `lang`, after registering the
 * pmtiles:// protocol that reads the archive in byte ranges), an online style, or the background.
 */
export async function loadMapStyle(maplibregl: typeof import('maplibre-gl'), basemapStyleUrl: string | undefined, lang: string): Promise<StyleSpecification | string> {
	const style = chooseMapStyle(basemapStyleUrl);
	if (typeof style !== 'string' || !style.startsWith(BASEMAP_PATHS.style)) return style;
	if (!registered.has(maplibregl)) {
		const { Protocol } = await import('pmtiles');
		maplibregl.addProtocol('pmtiles', new Protocol().tile);
		registered.add(maplibregl);
	}
	return `${location.origin}${style}?lang=${lang === 'en' ? 'en' : 'vi'}`;
}
