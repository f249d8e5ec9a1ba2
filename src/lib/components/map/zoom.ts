/**
 * What the explorer draws at a zoom, without deck.gl (the page loads data by these before the
 * map's layers exist).
 */

/**
 * The H3 resolution to draw cells at: res 7 (~2.6 km across) until a cell of res 8 (~1 km across)
 * is big enough on screen to read, from about zoom 10.5.
 */
export function cellResolutionForZoom(zoom: number): 7 | 8 {
	return zoom < 10.5 ? 7 : 8;
}

/** The resolution disputes are drawn at: res 8 zoomed out, res 9 (~0.1 km², the package's) from zoom 11.5. */
export const disputedResolutionForZoom = (zoom: number): 8 | 9 => (zoom < 11.5 ? 8 : 9);

/**
 * The zoom commune outlines are simplified for: 9 at province scale (a third of the vertices of
 * zoom 11's), 12 once zoomed in past 10.5 — each fetched when first needed.
 */
export const communeDetailForZoom = (zoom: number): 9 | 12 => (zoom < 10.5 ? 9 : 12);

/**
 * Cells of the resolution a zoom wants, or while those load, of the other one the map has: the
 * map never goes blank while zooming across a resolution change.
 */
export function cellsForZoom<T>(byRes: Partial<Record<number, T[]>> | null | undefined, res: number): T[] {
	if (!byRes) return [];
	return byRes[res] ?? Object.values(byRes).find((cells): cells is T[] => Array.isArray(cells)) ?? [];
}
