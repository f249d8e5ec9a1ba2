import { describe, expect, it } from 'vitest';
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { BASEMAP_FONTS, basemapLayers, pmtilesStyle } from './basemap-style';

describe('the offline PMTiles basemap style', () => {
	const style = pmtilesStyle('http://127.0.0.1:3000', 'vi', 'abc-1');

	it('is a valid MapLibre style reading the archive and glyphs from this app', () => {
		expect(validateStyleMin(style)).toEqual([]);
		expect(style.glyphs).toBe('http://127.0.0.1:3000/basemap/fonts/{fontstack}/{range}.pbf');
		expect(style.sources.protomaps).toMatchObject({ type: 'vector', url: 'pmtiles://http://127.0.0.1:3000/basemap/tiles.pmtiles?v=abc-1' });
		expect(style.sprite).toBeUndefined();
	});

	it('draws water, earth and roads, and names places in Vietnamese with the bundled fonts', () => {
		const ids = style.layers.map((l) => l.id);
		for (const id of ['background', 'earth', 'water', 'roads_major', 'places_locality']) expect(ids).toContain(id);
		const fonts = new Set(JSON.stringify(style.layers).match(/DejaVu Sans [A-Za-z]+/g));
		expect([...fonts].sort()).toEqual(Object.values(BASEMAP_FONTS).sort());
		expect(JSON.stringify(style.layers)).toContain('name:vi');
		expect(JSON.stringify(pmtilesStyle('http://x', 'en', '1').layers)).toContain('name:en');
	});

	it('needs no sprite and hides its own labels over Hoàng Sa and Trường Sa', () => {
		const symbols = basemapLayers('protomaps', 'vi').filter((l) => l.type === 'symbol');
		expect(symbols.length).toBeGreaterThan(5);
		for (const layer of symbols) {
			expect(layer.layout?.['icon-image']).toBeUndefined();
			const filter = JSON.stringify(layer.filter);
			expect(filter).toContain('"within"');
			// Both archipelagos' boxes, around Phú Lâm (112.3, 16.8) and Trường Sa island (111.9, 8.6).
			expect(filter).toContain('[110.8,15.4]');
			expect(filter).toContain('[111.4,6.8]');
		}
	});
});
