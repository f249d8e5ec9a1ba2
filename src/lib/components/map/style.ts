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

/** The style to load: an online basemap only when an operator configured one. */
export function chooseMapStyle(basemapStyleUrl: string | undefined): StyleSpecification | string {
	return basemapStyleUrl?.trim() ? basemapStyleUrl.trim() : OFFLINE_STYLE;
}
