import type { Bbox } from '../../api/params';

/** What a link into the map may say: where to look, which commune to select, which layers to show. */
export interface MapLink {
	bbox: Bbox | null;
	commune: string | null;
	layers: string[];
}

/**
 * Reads `?bbox=w,s,e,n&commune=code&layers=a,b` (commune pages link to the map this way). Anything
 * malformed is ignored rather than refused: a link is a hint, and the map still opens.
 */
export function readMapLink(params: URLSearchParams): MapLink {
	const numbers = (params.get('bbox') ?? '').split(',').map(Number);
	const [w, s, e, n] = numbers;
	const bbox: Bbox | null = numbers.length === 4 && numbers.every(Number.isFinite) && w < e && s < n && w >= -180 && e <= 180 && s >= -90 && n <= 90 ? [w, s, e, n] : null;
	const commune = /^\d{5}$/.test(params.get('commune') ?? '') ? params.get('commune') : null;
	const layers = (params.get('layers') ?? '').split(',').filter((l) => /^[a-zA-Z]+$/.test(l));
	return { bbox, commune, layers };
}
