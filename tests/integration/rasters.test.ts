import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { cellToLatLng, latLngToCell } from 'h3-js';
import { decimalToCell } from '../../src/lib/grid/h3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/lib/server/db/index';
import { undoImport } from '../../src/lib/server/import/history';
import { runRasterImport } from '../../src/lib/server/import/rasters';
import { openTestDatabase, resetDatabase } from '../helpers/db';
import { geotiff, hgt } from '../helpers/rasters';

let db: Database;
let dir: string;
const actor = { accountId: null, label: 'cli:test' };

beforeAll(async () => {
	db = await openTestDatabase();
	dir = await mkdtemp(path.join(os.tmpdir(), 'phu-song-raster-'));
});
afterAll(async () => {
	await db?.close();
	await rm(dir, { recursive: true, force: true });
});
beforeEach(() => resetDatabase(db));

async function file(name: string, bytes: Buffer): Promise<string> {
	const p = path.join(dir, name);
	await writeFile(p, bytes);
	return p;
}

/** 40 × 30 pixels of 0.001° (~100 m) near Cao Bằng town; pixel value = row, two nodata pixels. */
function populationRaster(nodata = -99999) {
	const [width, height] = [40, 30];
	const values = new Float32Array(width * height);
	for (let r = 0; r < height; r++) for (let c = 0; c < width; c++) values[r * width + c] = r;
	values[5] = nodata;
	values[6] = nodata;
	return { width, height, values, origin: [106.25, 22.68] as [number, number], pixelSize: [0.001, 0.001] as [number, number], nodata };
}

describe(`raster import (${process.env.TEST_DB})`, () => {
	it('sums a population GeoTIFF into H3 resolution-9 cells, every person once', async () => {
		const r = populationRaster();
		const p = await file('worldpop.tif', geotiff(r.values, r));
		const summary = await runRasterImport(db, { kind: 'population', filePath: p, actor });
		expect(summary).toMatchObject({ status: 'committed', rowsRead: 1200, preset: 'GeoTIFF, 40 × 30 px, WGS 84' });
		// Row 0 holds zeros and the two nodata pixels: 40 pixels carry nobody.
		expect(summary.skipped).toBe(40);
		const expectedTotal = Array.from({ length: 30 }, (_, row) => row * 40).reduce((a, b) => a + b, 0);
		const [totals] = await db.rows<{ people: number; cells: number }>(sql`select sum(population)::float8 as people, count(*)::int as cells from population_cells`);
		expect(totals.people).toBeCloseTo(expectedTotal, 0);
		expect(totals.cells).toBe(summary.inserted);
		// The pixel at column 10, row 20 (value 20) lies in the cell h3-js gives for its centre.
		const cell = latLngToCell(22.68 - 20.5 * 0.001, 106.25 + 10.5 * 0.001, 9);
		const [row] = await db.rows<{ population: number }>(sql`select population from population_cells where h3_res9 = ${BigInt('0x' + cell).toString()}::bigint`);
		expect(row.population).toBeGreaterThanOrEqual(20);
	});

	it('adds nothing when the same raster comes again, and undo removes its cells', async () => {
		const r = populationRaster();
		const p = await file('worldpop.tif', geotiff(r.values, r));
		const first = await runRasterImport(db, { kind: 'population', filePath: p, actor });
		const again = await runRasterImport(db, { kind: 'population', filePath: p, actor });
		expect(again).toMatchObject({ status: 'committed', inserted: 0, duplicate: first.inserted });
		expect(again.preset).toContain(`same file as import #${first.importId}`);
		await undoImport(db, first.importId, actor);
		expect((await db.rows<{ n: number }>(sql`select count(*)::int as n from population_cells`))[0].n).toBe(0);
	});

	it('reprojects the pixel centres of a projected population raster (WGS 84 / UTM 48N)', async () => {
		// 20 × 20 pixels of 100 m with their north-west corner at 600 000 E, 2 510 000 N (~106.0°E, 22.7°N).
		const values = new Float32Array(400).fill(3);
		const p = await file('utm.tif', geotiff(values, { width: 20, height: 20, origin: [600000, 2510000], pixelSize: [100, 100], epsg: 32648 }));
		const summary = await runRasterImport(db, { kind: 'population', filePath: p, actor });
		expect(summary).toMatchObject({ status: 'committed', preset: 'GeoTIFF, 20 × 20 px, WGS 84 / UTM 48N' });
		const cells = await db.rows<{ h3: string; population: number }>(sql`select h3_res9::text as h3, population from population_cells`);
		expect(cells.reduce((sum, c) => sum + c.population, 0)).toBe(1200);
		// 100 km east of UTM 48N's central meridian (105°E), 2 510 km north: about 105.97°E, 22.69°N.
		for (const c of cells) {
			const [lat, lng] = cellToLatLng(decimalToCell(c.h3));
			expect(lng).toBeGreaterThan(105.95);
			expect(lng).toBeLessThan(106.0);
			expect(lat).toBeGreaterThan(22.66);
			expect(lat).toBeLessThan(22.71);
		}
	});

	it.each([
		['a raster without georeference', () => geotiff(new Float32Array(4).fill(1), { width: 2, height: 2 }), /the raster has no georeference/],
		['a raster outside Vietnam', () => geotiff(new Float32Array(4).fill(1), { width: 2, height: 2, origin: [2.35, 48.85], pixelSize: [0.01, 0.01] }), /the raster lies outside Vietnam \(bbox 2\.350/],
		['a file that is not a GeoTIFF', () => Buffer.from('not a tiff at all'), /not a readable GeoTIFF/],
		['a raster in an unsupported system', () => geotiff(new Float32Array(4).fill(1), { width: 2, height: 2, origin: [0, 0], pixelSize: [1, 1], epsg: 2154 }), /EPSG:2154 is not one of the supported systems/]
	])('refuses %s and writes nothing', async (_case, bytes, message) => {
		const p = await file('bad.tif', bytes());
		const summary = await runRasterImport(db, { kind: 'population', filePath: p, actor });
		expect(summary.status).toBe('rejected');
		expect(summary.fileError).toMatch(message);
		expect((await db.rows<{ n: number }>(sql`select count(*)::int as n from population_cells`))[0].n).toBe(0);
	});

	it('stores an SRTM .hgt tile as 25 tiles of at most 256 × 256 with the right elevations', async () => {
		const p = await file('N22E105.hgt', hgt((c, r) => (c === 1000 && r === 600 ? -32768 : 200 + c - r)));
		const summary = await runRasterImport(db, { kind: 'dem', filePath: p, actor });
		expect(summary).toMatchObject({ status: 'committed', inserted: 25, preset: 'SRTM .hgt, 1201 × 1201 px, WGS 84' });
		const tiles = await db.rows<{ width: number; height: number; west: number; north: number; bytes: number }>(sql`
			select width, height, west, north, length(elevations)::int as bytes from dem_tiles order by north desc, west`);
		expect(tiles[0]).toMatchObject({ width: 256, height: 256, bytes: 256 * 256 * 2 });
		expect(tiles[0].west).toBeCloseTo(105 - 1 / 2400, 9);
		expect(tiles[0].north).toBeCloseTo(23 + 1 / 2400, 9);
		expect(tiles.at(-1)).toMatchObject({ width: 1201 - 4 * 256, height: 1201 - 4 * 256 });
		// Pixel (column 300, row 10) sits in the second tile of the first row, at (44, 10).
		const [tile] = await db.rows<{ elevations: Uint8Array; width: number }>(sql`
			select elevations, width from dem_tiles where ST_Intersects(geom, ST_SetSRID(ST_MakePoint(${105 + 300 / 1200}, ${23 - 10 / 1200}), 4326)) limit 1`);
		const view = Buffer.from(tile.elevations);
		expect(view.readInt16LE((10 * tile.width + 44) * 2)).toBe(200 + 300 - 10);
		const [envelope] = await db.rows<{ covered: boolean }>(sql`select ST_Covers(ST_Union(geom), ST_MakeEnvelope(105, 22, 106, 23, 4326)) as covered from dem_tiles`);
		expect(envelope.covered).toBe(true);
	});

	it.each([
		['a .hgt whose name gives no corner', 'elevation.hgt', () => hgt(() => 0), /must give its south-west corner, like N22E105\.hgt/],
		['a .hgt of the wrong size', 'N22E105.hgt', () => Buffer.alloc(1000), /1201 × 1201 or 3601 × 3601 16-bit samples; this file has 1,000 bytes/],
		['a projected DEM', 'dem.tif', () => geotiff(new Float32Array(4).fill(100), { width: 2, height: 2, origin: [600000, 2510000], pixelSize: [30, 30], epsg: 32648 }), /elevation rasters are stored in WGS 84/]
	])('refuses %s as a DEM', async (_case, name, bytes, message) => {
		const p = await file(name, bytes());
		const summary = await runRasterImport(db, { kind: 'dem', filePath: p, actor });
		expect(summary.fileError).toMatch(message);
		expect((await db.rows<{ n: number }>(sql`select count(*)::int as n from dem_tiles`))[0].n).toBe(0);
	});
});
