import type { Position } from 'geojson';
import { VIETNAM_EXTENT } from './bounds';
import { ImportFileError } from './issues';

/**
 * Where a north-up raster's pixels are: the outer corner of pixel (0, 0) and the pixel size in
 * the raster's own units (`pixelHeight` positive; rows go south).
 */
export interface RasterGrid {
	width: number;
	height: number;
	originX: number;
	originY: number;
	pixelWidth: number;
	pixelHeight: number;
}

/** Centre of pixel (column, row) in the raster's own coordinates. */
export const pixelCentre = (g: RasterGrid, column: number, row: number): Position => [g.originX + (column + 0.5) * g.pixelWidth, g.originY - (row + 0.5) * g.pixelHeight];

/** An SRTM .hgt tile: its south-west corner from its name (N22E105.hgt) and its size from its length. */
export function hgtGrid(fileName: string, byteLength: number): RasterGrid {
	const m = /([NS])(\d{1,2})([EW])(\d{1,3})(?:\.[^/\\]*)?$/i.exec(fileName.replace(/\.hgt$/i, ''));
	if (!m) throw new ImportFileError(`the .hgt file name must give its south-west corner, like N22E105.hgt (got "${fileName}"): without it the tile has no georeference`);
	const south = Number(m[2]) * (m[1].toUpperCase() === 'S' ? -1 : 1);
	const west = Number(m[4]) * (m[3].toUpperCase() === 'W' ? -1 : 1);
	const side = Math.round(Math.sqrt(byteLength / 2));
	if (side * side * 2 !== byteLength || (side !== 1201 && side !== 3601)) {
		throw new ImportFileError(`an SRTM .hgt tile holds 1201 × 1201 or 3601 × 3601 16-bit samples; this file has ${byteLength.toLocaleString('en')} bytes`);
	}
	// Samples sit on the whole-degree lines, so pixel (0, 0) is centred on the north-west corner.
	const step = 1 / (side - 1);
	return { width: side, height: side, originX: west - step / 2, originY: south + 1 + step / 2, pixelWidth: step, pixelHeight: step };
}

/** Whether a raster's extent (in WGS 84) overlaps Vietnam at all. */
export function overlapsVietnam([west, south, east, north]: readonly number[]): boolean {
	const e = VIETNAM_EXTENT;
	return west < e.east && east > e.west && south < e.north && north > e.south;
}

/**
 * Adds one strip of population pixels (rows `firstRow`…, row-major) to `cells`: each pixel's
 * count goes to the H3 cell holding its centre. Pixels that are `nodata`, negative or not finite
 * carry nobody and are counted as `empty`.
 */
export function addPopulationStrip(
	cells: Map<string, number>,
	strip: ArrayLike<number>,
	grid: RasterGrid,
	firstRow: number,
	{ nodata, toWgs84, cellOf }: { nodata: number | null; toWgs84: ((p: Position) => Position) | null; cellOf: (p: Position) => string }
): { people: number; empty: number } {
	let people = 0;
	let empty = 0;
	const rows = strip.length / grid.width;
	for (let r = 0; r < rows; r++) {
		for (let c = 0; c < grid.width; c++) {
			const v = strip[r * grid.width + c];
			if (v === nodata || !(v > 0) || !Number.isFinite(v)) {
				empty++;
				continue;
			}
			const centre = pixelCentre(grid, c, firstRow + r);
			const cell = cellOf(toWgs84 ? toWgs84(centre) : centre);
			cells.set(cell, (cells.get(cell) ?? 0) + v);
			people += v;
		}
	}
	return { people, empty };
}

/** One tile of an elevation raster: pixel window and the metres in it as int16. */
export interface DemTile {
	column: number;
	row: number;
	width: number;
	height: number;
	elevations: Int16Array;
}

/**
 * Cuts a strip of elevation rows (`stripRows` × grid.width, starting at `firstRow`) into tiles of
 * at most `size` × `size` pixels. Metres are rounded to int16; `nodata` becomes `nodataOut`.
 */
export function cutDemStrip(strip: ArrayLike<number>, grid: RasterGrid, firstRow: number, size: number, nodata: number | null, nodataOut: number): DemTile[] {
	const stripRows = strip.length / grid.width;
	const tiles: DemTile[] = [];
	for (let column = 0; column < grid.width; column += size) {
		const width = Math.min(size, grid.width - column);
		const elevations = new Int16Array(width * stripRows);
		for (let r = 0; r < stripRows; r++) {
			for (let c = 0; c < width; c++) {
				const v = strip[r * grid.width + column + c];
				elevations[r * width + c] = v === nodata || !Number.isFinite(v) ? nodataOut : Math.max(-32767, Math.min(32767, Math.round(v)));
			}
		}
		tiles.push({ column, row: firstRow, width, height: stripRows, elevations });
	}
	return tiles;
}
