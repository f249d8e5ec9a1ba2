import { layers as protomapsLayers, namedFlavor } from '@protomaps/basemaps';
import { convertFilter, expression } from '@maplibre/maplibre-gl-style-spec';
import type { FilterSpecification, LayerSpecification, StyleSpecification } from 'maplibre-gl';
import { ARCHIPELAGOS } from './archipelagos';
import { BASEMAP_PATHS } from './style';

export { BASEMAP_PATHS };

/**
 * The offline vector basemap: a Protomaps extract (PMTiles) that the deployment places on disk
 * (PHU_SONG_BASEMAP_PMTILES), drawn with the Protomaps basemap style (@protomaps/basemaps, BSD-3)
 * and glyphs bundled with the app (data/glyphs, made by scripts/make-glyphs.ts from DejaVu Sans).
 * The app serves all three (src/routes/basemap/), so nothing leaves the deployment.
 */

/** The fonts the bundled glyphs are named after (DejaVu Sans, free licence: data/glyphs/README.md). */
export const BASEMAP_FONTS = { regular: 'DejaVu Sans Book', bold: 'DejaVu Sans Bold', italic: 'DejaVu Sans Oblique' } as const;

/**
 * The glyph ranges bundled: Latin-1, Latin Extended-A and the start of B (ơ, ư), combining marks, Vietnamese precomposed
 * letters (U+1E00–1EFF) and general punctuation (dashes, quotes). Other ranges answer empty.
 */
export const GLYPH_RANGE_STARTS = [0, 256, 768, 7680, 8192] as const;


/** The archipelagos' areas as one MultiPolygon, for `within`. */
function archipelagoAreas() {
	return {
		type: 'MultiPolygon' as const,
		coordinates: ARCHIPELAGOS.map(({ area: [w, s, e, n] }) => [[[w, s], [e, s], [e, n], [w, n], [w, s]]])
	};
}

/**
 * The Protomaps layers for a source, in `lang`, made to work offline and to respect sovereignty:
 * icons dropped (no sprite is bundled; names stay), and the basemap's own labels hidden over Hoàng
 * Sa and Trường Sa, where the map writes the Vietnamese names itself (archipelagos.ts).
 */
export function basemapLayers(source: string, lang: 'vi' | 'en'): LayerSpecification[] {
	const flavor = { ...namedFlavor('light'), ...BASEMAP_FONTS };
	const outside: FilterSpecification = ['!', ['within', archipelagoAreas()]];
	// Some labels name their font outright (Noto Sans, per script): the bundled fonts stand in.
	const named = JSON.stringify(protomapsLayers(source, flavor, { lang }))
		.replaceAll('"Noto Sans Regular"', JSON.stringify(BASEMAP_FONTS.regular))
		.replaceAll('"Noto Sans Medium"', JSON.stringify(BASEMAP_FONTS.bold))
		.replaceAll('"Noto Sans Italic"', JSON.stringify(BASEMAP_FONTS.italic));
	return (JSON.parse(named) as LayerSpecification[]).map((layer) => {
		if (layer.type !== 'symbol') return layer;
		const layout = { ...layer.layout };
		delete layout['icon-image'];
		// Legacy filters cannot be combined with expressions: convert them first.
		const own = layer.filter && (expression.isExpressionFilter(layer.filter) ? layer.filter : (convertFilter(layer.filter) as FilterSpecification));
		return { ...layer, layout, filter: own ? (['all', own, outside] as FilterSpecification) : outside };
	});
}

/** The whole style: `origin` makes the tile and glyph addresses absolute, as MapLibre wants them. */
export function pmtilesStyle(origin: string, lang: 'vi' | 'en', version: string): StyleSpecification {
	return {
		version: 8,
		name: 'Phủ Sóng offline (Protomaps)',
		glyphs: `${origin}${BASEMAP_PATHS.glyphs}`,
		sources: {
			protomaps: {
				type: 'vector',
				// The pmtiles:// protocol reads the archive with range requests (registered in style.ts).
				url: `pmtiles://${origin}${BASEMAP_PATHS.tiles}?v=${encodeURIComponent(version)}`,
				attribution: '© <a href="https://openstreetmap.org/copyright">OpenStreetMap</a> · <a href="https://protomaps.com">Protomaps</a>'
			}
		},
		layers: basemapLayers('protomaps', lang)
	};
}
