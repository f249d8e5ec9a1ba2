import { cellsToMultiPolygon } from 'h3-js';

/**
 * A plan's map layers (issue 16): its proposed sites as points (rank, type, households) and the
 * cells each newly serves as one outline per site — what the /plan pages draw. Pure.
 */

export interface LayerSite {
	rank: number;
	key: string;
	type: 'small-cell' | 'macro';
	position: [number, number];
	householdsNewlyCovered: number;
	newCells: string[];
	explanation: { vi: string; en: string };
}

export function planLayers(sites: readonly LayerSite[], scenario = 0) {
	const points: GeoJSON.FeatureCollection<GeoJSON.Point> = {
		type: 'FeatureCollection',
		features: sites.map((s) => ({
			type: 'Feature',
			geometry: { type: 'Point', coordinates: s.position },
			properties: { rank: s.rank, key: s.key, type: s.type, households: Math.round(s.householdsNewlyCovered), vi: s.explanation.vi, en: s.explanation.en, scenario }
		}))
	};
	const coverage: GeoJSON.FeatureCollection<GeoJSON.MultiPolygon> = {
		type: 'FeatureCollection',
		features: sites
			.filter((s) => s.newCells.length > 0)
			.map((s) => ({ type: 'Feature', geometry: { type: 'MultiPolygon', coordinates: cellsToMultiPolygon(s.newCells, true) }, properties: { rank: s.rank, type: s.type, scenario } }))
	};
	return { points, coverage };
}

/** [west, south, east, north] around the sites and their cells, or null for none. */
export function layersBbox(layers: { points: GeoJSON.FeatureCollection<GeoJSON.Point>; coverage: GeoJSON.FeatureCollection<GeoJSON.MultiPolygon> }[]): [number, number, number, number] | null {
	let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
	const add = ([lng, lat]: number[]) => {
		w = Math.min(w, lng);
		e = Math.max(e, lng);
		s = Math.min(s, lat);
		n = Math.max(n, lat);
	};
	for (const l of layers) {
		for (const f of l.points.features) add(f.geometry.coordinates);
		for (const f of l.coverage.features) for (const poly of f.geometry.coordinates) for (const ring of poly) ring.forEach(add);
	}
	return Number.isFinite(w) ? [w, s, e, n] : null;
}
