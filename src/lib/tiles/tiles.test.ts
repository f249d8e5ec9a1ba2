import { describe, expect, it } from 'vitest';
import Pbf from 'pbf';
import { VectorTile } from '@mapbox/vector-tile';
// The versions MapLibre 5 reads tiles and glyphs with (maplibre-gl's own dependencies).
import { PMTiles, type RangeResponse, type Source } from 'pmtiles';
import { encodeGlyphRange, GLYPH_BUFFER } from './glyphs';
import { encodeTile } from './mvt';
import { tileOf, toTileCoordinates, writePmtiles } from './pmtiles-writer';

/** Reads glyph ranges as MapLibre does (src/style/parse_glyph_pbf.ts). */
function readGlyphs(bytes: Uint8Array) {
	const glyphs: Record<string, number>[] = [];
	const names: string[] = [];
	new Pbf(bytes).readFields((tag, _, pbf) => {
		if (tag !== 1) return;
		pbf.readMessage((t, __, p) => {
			if (t === 1) names.push(p.readString());
			else if (t === 3) {
				const g: Record<string, number> = {};
				p.readMessage((f, ___, q) => {
					if (f === 1) g.id = q.readVarint();
					else if (f === 2) g.bitmapLength = q.readBytes().length;
					else if (f === 3) g.width = q.readVarint();
					else if (f === 4) g.height = q.readVarint();
					else if (f === 5) g.left = q.readSVarint();
					else if (f === 6) g.top = q.readSVarint();
					else if (f === 7) g.advance = q.readVarint();
				}, {});
				glyphs.push(g);
			}
		}, {});
	}, {});
	return { names, glyphs };
}

describe('glyph ranges', () => {
	it('encode what MapLibre reads: ids, bitmaps with their buffer, signed metrics', () => {
		const w = 10;
		const h = 14;
		const bitmap = new Uint8Array((w + 2 * GLYPH_BUFFER) * (h + 2 * GLYPH_BUFFER)).fill(7);
		const bytes = encodeGlyphRange('DejaVu Sans', 7680, [
			{ id: 7841, bitmap, width: w, height: h, left: -1, top: -30, advance: 13 },
			{ id: 7680, bitmap: new Uint8Array(0), width: 0, height: 0, left: 0, top: 0, advance: 7 }
		]);
		const read = readGlyphs(bytes);
		expect(read.names).toEqual(['DejaVu Sans']);
		expect(read.glyphs).toEqual([
			{ id: 7841, bitmapLength: bitmap.length, width: w, height: h, left: -1, top: -30, advance: 13 },
			{ id: 7680, width: 0, height: 0, left: 0, top: 0, advance: 7 }
		]);
	});

	it('refuse a glyph outside the range or a bitmap of the wrong size', () => {
		expect(() => encodeGlyphRange('F', 0, [{ id: 300, bitmap: new Uint8Array(0), width: 0, height: 0, left: 0, top: 0, advance: 1 }])).toThrow(/outside 0-255/);
		expect(() => encodeGlyphRange('F', 0, [{ id: 65, bitmap: new Uint8Array(5), width: 2, height: 2, left: 0, top: 0, advance: 1 }])).toThrow(/expected 64/);
	});
});

describe('vector tiles', () => {
	it('round-trip points, lines, polygons and properties through @mapbox/vector-tile', () => {
		const bytes = encodeTile([
			{ name: 'water', features: [{ geometry: { type: 'Polygon', coordinates: [[[0, 0], [4096, 0], [4096, 2048], [0, 2048]]] }, properties: { kind: 'lake', min_zoom: 0 } }] },
			{ name: 'places', features: [{ geometry: { type: 'Point', coordinates: [100, 200] }, properties: { name: 'Đàm Thủy', population: 2500.5 } }] },
			{ name: 'roads', features: [{ geometry: { type: 'LineString', coordinates: [[0, 10], [50, -5], [4200, 4100]] }, properties: { kind: 'major_road' } }] }
		]);
		const tile = new VectorTile(new Pbf(bytes));
		expect(Object.keys(tile.layers).sort()).toEqual(['places', 'roads', 'water']);
		const lake = tile.layers.water.feature(0);
		expect(lake.properties).toEqual({ kind: 'lake', min_zoom: 0 });
		expect(lake.loadGeometry()[0].map((p) => [p.x, p.y])).toEqual([[0, 0], [4096, 0], [4096, 2048], [0, 2048], [0, 0]]);
		const place = tile.layers.places.feature(0);
		expect(place.properties).toEqual({ name: 'Đàm Thủy', population: 2500.5 });
		expect(place.loadGeometry()[0][0]).toMatchObject({ x: 100, y: 200 });
		expect(tile.layers.roads.feature(0).loadGeometry()[0].map((p) => [p.x, p.y])).toEqual([[0, 10], [50, -5], [4200, 4100]]);
	});
});

class BytesSource implements Source {
	constructor(private bytes: Uint8Array) {}
	getKey = () => 'bytes';
	async getBytes(offset: number, length: number): Promise<RangeResponse> {
		return { data: this.bytes.slice(offset, offset + length).buffer };
	}
}

describe('PMTiles archives', () => {
	it('are read back by the pmtiles library: header, metadata, every tile, duplicates stored once', async () => {
		const a = new Uint8Array([1, 2, 3]);
		const b = new Uint8Array([9, 9]);
		const tiles = [
			{ z: 0, x: 0, y: 0, data: a },
			{ z: 5, x: 25, y: 14, data: b },
			{ z: 5, x: 26, y: 14, data: b },
			{ z: 6, x: 51, y: 28, data: a }
		];
		const bytes = writePmtiles(tiles, { tileType: 'mvt', bounds: [102, 8, 110, 23.5], center: [106, 20, 5], metadata: { name: 'test', vector_layers: [] } });
		const archive = new PMTiles(new BytesSource(bytes));
		const header = await archive.getHeader();
		expect(header).toMatchObject({ specVersion: 3, minZoom: 0, maxZoom: 6, numAddressedTiles: 4, numTileContents: 2, minLon: 102, maxLat: 23.5, centerZoom: 5 });
		expect(await archive.getMetadata()).toEqual({ name: 'test', vector_layers: [] });
		for (const t of tiles) expect(new Uint8Array((await archive.getZxy(t.z, t.x, t.y))!.data)).toEqual(t.data);
		expect(await archive.getZxy(5, 0, 0)).toBeUndefined();
		expect(() => writePmtiles([tiles[0], tiles[0]], { tileType: 'mvt', bounds: [0, 0, 1, 1], center: [0, 0, 0], metadata: {} })).toThrow(/twice/);
	});

	it('place Hà Nội in the right tile and tile coordinates', () => {
		// x = (105.85 + 180) / 360 · 1024 = 813.0; y = (1 − asinh(tan 21.03°) / π) / 2 · 1024 = 450.8.
		expect(tileOf(105.85, 21.03, 10)).toEqual({ x: 813, y: 450 });
		expect(tileOf(0.1, -0.1, 1)).toEqual({ x: 1, y: 1 });
		const [x, y] = toTileCoordinates(105.85, 21.03, { z: 10, ...tileOf(105.85, 21.03, 10) });
		expect(x).toBeGreaterThanOrEqual(0);
		expect(x).toBeLessThan(4096);
		expect(y).toBeGreaterThanOrEqual(0);
		expect(y).toBeLessThan(4096);
	});
});
