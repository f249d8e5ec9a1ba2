import { cellToLatLng, getHexagonEdgeLengthAvg, getResolution, gridDisk, isValidCell, latLngToCell, polygonToCells, UNITS } from 'h3-js';
import { approxDistanceKm } from './distance';

/** Resolution at which every report's cell is stored (~0.1 km², edge ~174 m); coarser cells are its parents. */
export const REPORT_CELL_RESOLUTION = 9;

/** H3 cell of a `[lng, lat]` position at `resolution`, as h3-js's hex string. */
export function cellOfPosition([lng, lat]: readonly [number, number], resolution = REPORT_CELL_RESOLUTION): string {
	if (!(lat >= -90 && lat <= 90)) throw new RangeError(`lat must be within −90…90, got ${lat}`);
	if (!(lng >= -180 && lng <= 180)) throw new RangeError(`lng must be within −180…180, got ${lng}`);
	return latLngToCell(lat, lng, resolution);
}

/**
 * An H3 index as a decimal string of its 64-bit value, for a PostgreSQL `bigint` parameter.
 * Valid indexes have the high bit clear, so they fit a signed bigint.
 */
export function cellToDecimal(cell: string): string {
	if (!isValidCell(cell)) throw new RangeError(`not a valid H3 cell: "${cell}"`);
	return BigInt(`0x${cell}`).toString();
}

/** The inverse of {@link cellToDecimal}: a bigint column value back to h3-js's hex string. */
export function decimalToCell(value: string | bigint): string {
	const cell = BigInt(value).toString(16);
	if (!isValidCell(cell)) throw new RangeError(`not a valid H3 cell value: ${value}`);
	return cell;
}

/** Centre of a cell as `[lng, lat]`. */
export function cellCenter(cell: string): [number, number] {
	const [lat, lng] = cellToLatLng(cell);
	return [lng, lat];
}

/** A GeoJSON polygon or multipolygon's coordinates, [lng, lat]. */
export interface AreaGeometry {
	type: string;
	coordinates: number[][][] | number[][][][];
}

/** Adds to `into` the cells at `resolution` whose centres lie inside `geometry` (H3's polyfill rule), and returns it. */
export function addCellsOfArea(geometry: AreaGeometry, resolution: number, into = new Set<string>()): Set<string> {
	const polygons = (geometry.type === 'MultiPolygon' ? geometry.coordinates : [geometry.coordinates]) as number[][][][];
	for (const polygon of polygons) for (const cell of polygonToCells(polygon, resolution, true)) into.add(cell);
	return into;
}

export { getResolution };

/**
 * The cells at `resolution` whose centres lie within `radiusKm` of `position` ([lng, lat]), and
 * always the cell holding it: a village's area, a site's neighbourhood. Sorted.
 */
export function cellsWithinKm(position: readonly [number, number], radiusKm: number, resolution = REPORT_CELL_RESOLUTION): string[] {
	if (!(radiusKm >= 0)) throw new RangeError(`radiusKm must be ≥ 0, got ${radiusKm}`);
	const home = cellOfPosition(position, resolution);
	// Centres of neighbouring cells are √3 edge lengths apart; one ring more covers the corners.
	const k = Math.ceil(radiusKm / (getHexagonEdgeLengthAvg(resolution, UNITS.km) * Math.sqrt(3))) + 1;
	const out = [home];
	for (const c of gridDisk(home, k)) if (c !== home && approxDistanceKm(position, cellCenter(c)) <= radiusKm) out.push(c);
	return out.sort();
}
