/** Bounding boxes in degrees. Pure. */

/** [west, south, east, north]. */
export type Bbox = [number, number, number, number];

/** The box of polygons' outer rings (GeoJSON [lng, lat] positions; holes lie inside them). */
export function outerRingsBbox(polygons: readonly (readonly (readonly number[])[][])[]): Bbox {
	let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
	for (const polygon of polygons)
		for (const [lng, lat] of polygon[0] ?? []) {
			if (lng < w) w = lng;
			if (lng > e) e = lng;
			if (lat < s) s = lat;
			if (lat > n) n = lat;
		}
	return [w, s, e, n];
}

/** Whether two boxes share a point (touching edges count). */
export const bboxesOverlap = (a: Bbox, b: Bbox) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
