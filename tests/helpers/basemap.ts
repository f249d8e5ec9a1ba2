import { encodeTile, type TileFeature } from '../../src/lib/tiles/mvt';
import { tileOf, toTileCoordinates, writePmtiles, type ArchiveTile } from '../../src/lib/tiles/pmtiles-writer';

/**
 * A small PMTiles basemap in the Protomaps schema (earth, water, places) for tests: land
 * everywhere in `bbox`, one square lake and one village name, at zooms 0–`maxZoom`.
 * Synthetic — it only stands in for a real Protomaps extract.
 */
export interface SampleBasemap {
	bbox: [number, number, number, number];
	lake: [number, number, number, number];
	place: { position: [number, number]; vi: string; en: string };
	maxZoom: number;
}

export function sampleBasemap(o: SampleBasemap): Uint8Array {
	const tiles: ArchiveTile[] = [];
	for (let z = 0; z <= o.maxZoom; z++) {
		const nw = tileOf(o.bbox[0], o.bbox[3], z);
		const se = tileOf(o.bbox[2], o.bbox[1], z);
		for (let x = nw.x; x <= se.x; x++)
			for (let y = nw.y; y <= se.y; y++) {
				const tile = { z, x, y };
				const at = (lon: number, lat: number) => toTileCoordinates(lon, lat, tile);
				const [w, s, e, n] = o.lake;
				const land: TileFeature = { geometry: { type: 'Polygon', coordinates: [[[-64, -64], [4160, -64], [4160, 4160], [-64, 4160]]] }, properties: { kind: 'earth' } };
				const lake: TileFeature = { geometry: { type: 'Polygon', coordinates: [[at(w, n), at(e, n), at(e, s), at(w, s)]] }, properties: { kind: 'lake' } };
				const place: TileFeature = {
					geometry: { type: 'Point', coordinates: at(...o.place.position) },
					properties: { kind: 'locality', name: o.place.vi, 'name:vi': o.place.vi, 'name:en': o.place.en, min_zoom: 1, population_rank: 10 }
				};
				tiles.push({ ...tile, data: encodeTile([{ name: 'earth', features: [land] }, { name: 'water', features: [lake] }, { name: 'places', features: [place] }]) });
			}
	}
	const [w, s, e, n] = o.bbox;
	return writePmtiles(tiles, {
		tileType: 'mvt',
		bounds: o.bbox,
		center: [(w + e) / 2, (s + n) / 2, Math.min(8, o.maxZoom)],
		metadata: { name: 'Phủ Sóng test basemap (synthetic)', vector_layers: ['earth', 'water', 'places'].map((id) => ({ id, fields: {} })) }
	});
}
