import type { Bbox } from '../../api/params';

/**
 * What a link into the map says: where to look (a box, or a centre and zoom), which commune is
 * selected, which layers are drawn and the filters — so a shared link reproduces the view (issue 19).
 */
export interface MapLink {
	bbox: Bbox | null;
	/** Centre [lon, lat] and zoom, from `at=lon,lat,zoom`. */
	at: { center: [number, number]; zoom: number } | null;
	commune: string | null;
	/** The layers drawn, exactly; null when the link does not say (the defaults apply). */
	layers: string[] | null;
	/** An operator code, or '' for "any operator"; null when the link does not say. */
	operator: string | null;
	technology: string | null;
	/** The measured layer's minimum confidence, 0–1; null when the link does not say. */
	minConfidence: number | null;
	/** The measured layer's time window in days (90 or 180); null: the layer's own. */
	window: 90 | 180 | null;
}

const TECHNOLOGY = /^[2-5]G$/;

/**
 * Reads `?at=lon,lat,zoom` or `?bbox=w,s,e,n`, `commune=code`, `layers=a,b`, `operator=`,
 * `technology=`. Anything malformed is ignored rather than refused: a link is a hint, and the map
 * still opens.
 */
export function readMapLink(params: URLSearchParams): MapLink {
	const numbers = (params.get('bbox') ?? '').split(',').map(Number);
	const [w, s, e, n] = numbers;
	const bbox: Bbox | null = numbers.length === 4 && numbers.every(Number.isFinite) && w < e && s < n && w >= -180 && e <= 180 && s >= -90 && n <= 90 ? [w, s, e, n] : null;
	const place = (params.get('at') ?? '').split(',').map(Number);
	const [lon, lat, zoom] = place;
	const at = place.length === 3 && place.every(Number.isFinite) && Math.abs(lon) <= 180 && Math.abs(lat) <= 85 && zoom >= 0 && zoom <= 22 ? { center: [lon, lat] as [number, number], zoom } : null;
	const commune = /^\d{5}$/.test(params.get('commune') ?? '') ? params.get('commune') : null;
	const layers = params.has('layers') ? (params.get('layers') ?? '').split(',').filter((l) => /^[a-zA-Z]+$/.test(l)) : null;
	const operatorParam = params.get('operator');
	const operator = operatorParam === null ? null : /^[a-z]{0,20}$/.test(operatorParam) ? operatorParam : null;
	const technologyParam = params.get('technology');
	const technology = technologyParam !== null && (technologyParam === '' || TECHNOLOGY.test(technologyParam)) ? technologyParam : null;
	const confidence = Number(params.get('confidence') ?? 'NaN');
	const minConfidence = Number.isFinite(confidence) && confidence >= 0 && confidence <= 1 ? confidence : null;
	const windowParam = params.get('window');
	const window = windowParam === '90' ? 90 : windowParam === '180' ? 180 : null;
	return { bbox, at, commune, layers, operator, technology, minConfidence, window };
}

/** The view as it should be shared: the query string of a link that reproduces it (stable order, rounded). */
export function writeMapLink(view: { center: [number, number]; zoom: number; layers: string[]; operator: string; technology: string; commune: string | null; minConfidence?: number; window?: number | null }): string {
	const params = new URLSearchParams();
	// 5 decimals ≈ 1 m, 2 decimals of zoom: more would only make links longer.
	params.set('at', `${view.center[0].toFixed(5)},${view.center[1].toFixed(5)},${view.zoom.toFixed(2)}`);
	params.set('layers', view.layers.join(','));
	if (view.operator) params.set('operator', view.operator);
	if (view.technology) params.set('technology', view.technology);
	if (view.minConfidence) params.set('confidence', String(view.minConfidence));
	if (view.window) params.set('window', String(view.window));
	if (view.commune) params.set('commune', view.commune);
	return params.toString().replace(/%2C/g, ',');
}
