/**
 * bench/import-geo — geometric imports on the embedded database and on a PostGIS server:
 * the 95 real Đồng Nai communes (GeoJSON boundaries) and a ~100 MB population GeoTIFF
 * (float32, synthetic, seeded), each beside a baseline measured in the same run; and a ~200 MB
 * GeoJSON of polygons (the big-upload case; no baseline, its time and peak memory are the figures).
 *
 *   npm run bench:import-geo -- [--scale N] [--database-url postgres://…]
 *
 * --scale 1 writes a 100 MB raster (5,000 × 5,000 float32 pixels); 0.1 a 10 MB one.
 * Baselines: boundaries — the same 95 geometries inserted by one plain SQL statement (no
 * validation, repair, or record keeping); raster — reading every pixel strip by strip with
 * geotiff.js and doing nothing with it (the part no import can avoid).
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { openDatabase, type Database } from '../src/lib/server/db/index';
import { runBoundaryImport } from '../src/lib/server/import/boundaries';
import { undoImport } from '../src/lib/server/import/history';
import { runLayerImport } from '../src/lib/server/import/layers';
import { runRasterImport } from '../src/lib/server/import/rasters';
import { createRandom } from '../src/lib/random/prng';
import { printTable } from './lib/stats';

const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' }, 'database-url': { type: 'string' } } });
const scale = Number(values.scale);
const databaseUrl = values['database-url'] ?? process.env.TEST_DATABASE_URL;
const DONG_NAI = path.resolve('data/vn-communes-post2025-polygons/dong_nai_75_communes_2025.geojson');
const actor = { accountId: null, label: 'bench' };

/** A population raster over Đồng Nai: ~0.0003° pixels, a few people per pixel, most of it empty (forest, water). */
async function writeRaster(file: string): Promise<{ width: number; height: number }> {
	const { writeArrayBuffer } = await import('geotiff');
	const side = Math.round(5000 * Math.sqrt(scale));
	const random = createRandom(2026);
	const values = new Float32Array(side * side);
	for (let i = 0; i < values.length; i++) values[i] = random.next() < 0.3 ? Math.round(random.uniform(0, 20) * 10) / 10 : 0;
	const pixel = 1.6 / side;
	const buffer = writeArrayBuffer(values, {
		width: side,
		height: side,
		ModelPixelScale: [pixel, pixel, 0],
		ModelTiepoint: [0, 0, 0, 106.4, 12.1, 0],
		GeographicTypeGeoKey: 4326,
		GTModelTypeGeoKey: 2
	});
	await writeFile(file, Buffer.from(buffer));
	return { width: side, height: side };
}

/** ~200 MB of GeoJSON: exclusion polygons of 61 vertices on a grid over Cao Bằng (a big-upload case). */
async function writeBigGeoJson(file: string): Promise<number> {
	const out = createWriteStream(file);
	const write = async (text: string) => {
		if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
	};
	const ring = (x: number, y: number) => {
		const points = Array.from({ length: 60 }, (_, k) => [Number((x + 0.002 * Math.cos((k / 60) * 2 * Math.PI)).toFixed(6)), Number((y + 0.002 * Math.sin((k / 60) * 2 * Math.PI)).toFixed(6))]);
		return [...points, points[0]];
	};
	await write('{"type":"FeatureCollection","features":[');
	let size = 0;
	let count = 0;
	while (size < 200 * 2 ** 20 * scale) {
		const feature = JSON.stringify({ type: 'Feature', properties: { name: `Vùng ${count}`, reason: 'rừng phòng hộ' }, geometry: { type: 'Polygon', coordinates: [ring(105.5 + (count % 1000) * 0.001, 22.3 + Math.floor(count / 1000) * 0.001)] } });
		await write(count > 0 ? `,${feature}` : feature);
		size += feature.length + 1;
		count++;
	}
	await write(']}');
	await new Promise<void>((resolve) => out.end(() => resolve()));
	return count;
}

async function rasterReadBaseline(file: string): Promise<number> {
	const { fromFile } = await import('geotiff');
	const started = performance.now();
	const tiff = await fromFile(file);
	const image = await tiff.getImage();
	let sum = 0;
	for (let row = 0; row < image.getHeight(); row += 256) {
		const strip = (await image.readRasters({ window: [0, row, image.getWidth(), Math.min(image.getHeight(), row + 256)], samples: [0], interleave: true })) as unknown as Float32Array;
		sum += strip[0];
	}
	await (tiff as unknown as { close?: () => Promise<void> }).close?.();
	return sum >= 0 ? performance.now() - started : NaN;
}

async function boundaryBaseline(db: Database): Promise<number> {
	const text = await readFile(DONG_NAI, 'utf8');
	const started = performance.now();
	await db.orm.execute(sql`create temporary table bench_geo as
		select f->'properties'->>'commune_code' as code, ST_SetSRID(ST_GeomFromGeoJSON(f->>'geometry'), 4326) as geom
		from json_array_elements((${text}::json)->'features') as f`);
	const ms = performance.now() - started;
	await db.orm.execute(sql`drop table bench_geo`);
	return ms;
}

interface Figures {
	bigGeoJsonMs: number;
	bigGeoJsonRssMb: number;
	boundariesMs: number;
	boundariesBaselineMs: number;
	rasterMs: number;
	rasterCells: number;
	rssPeakMb: number;
}

async function measure(db: Database, rasterFile: string, bigGeoJson: string): Promise<Figures> {
	let rssPeakMb = 0;
	const sample = () => (rssPeakMb = Math.max(rssPeakMb, process.memoryUsage().rss / 2 ** 20));
	const boundariesBaselineMs = await boundaryBaseline(db);
	let started = performance.now();
	const boundaries = await runBoundaryImport(db, { filePath: DONG_NAI, skipInvalid: false, actor });
	const boundariesMs = performance.now() - started;
	if (boundaries.status !== 'committed' || boundaries.inserted !== 95) throw new Error(`boundaries: ${boundaries.status}, ${boundaries.inserted} inserted`);
	started = performance.now();
	const raster = await runRasterImport(db, { kind: 'population', filePath: rasterFile, actor, onProgress: () => sample() });
	const rasterMs = performance.now() - started;
	if (raster.status !== 'committed') throw new Error(`raster: ${raster.fileError}`);
	sample();
	const rasterRssMb = rssPeakMb;
	started = performance.now();
	// The import awaits the database between features, so a timer sees its memory as it goes.
	const sampler = setInterval(sample, 100);
	const big = await runLayerImport(db, 'exclusions', { filePath: bigGeoJson, skipInvalid: false, actor });
	clearInterval(sampler);
	const bigGeoJsonMs = performance.now() - started;
	if (big.status !== 'committed') throw new Error(`big GeoJSON: ${big.fileError}`);
	sample();
	// Leave a server database as found.
	for (const id of [big.importId, raster.importId, boundaries.importId]) await undoImport(db, id, actor);
	return { boundariesMs, boundariesBaselineMs, rasterMs, rasterCells: raster.inserted, rssPeakMb: rasterRssMb, bigGeoJsonMs, bigGeoJsonRssMb: rssPeakMb };
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'phu-song-bench-geo-'));
try {
	const rasterFile = path.join(dir, 'population.tif');
	const { width, height } = await writeRaster(rasterFile);
	const sizeMb = (await stat(rasterFile)).size / 2 ** 20;
	console.log(`Raster: ${width} × ${height} float32 px (${sizeMb.toFixed(0)} MB).`);
	const readMs = await rasterReadBaseline(rasterFile);
	const bigGeoJson = path.join(dir, 'exclusions.geojson');
	const bigFeatures = await writeBigGeoJson(bigGeoJson);
	const bigMb = (await stat(bigGeoJson)).size / 2 ** 20;
	console.log(`GeoJSON: ${bigFeatures.toLocaleString('en')} polygons (${bigMb.toFixed(0)} MB).`);
	const columns: { name: string; f: Figures }[] = [];
	if (databaseUrl) {
		const db = await openDatabase({ databaseUrl, dataDir: '', migrationsDir: path.resolve('drizzle') });
		columns.push({ name: 'PostGIS server', f: await measure(db, rasterFile, bigGeoJson) });
		await db.close();
	} else console.log('No PostGIS server given (--database-url or TEST_DATABASE_URL): embedded database only.');
	const dataDir = await mkdtemp(path.join(os.tmpdir(), 'phu-song-bench-geo-pglite-'));
	const embedded = await openDatabase({ databaseUrl: undefined, dataDir, migrationsDir: path.resolve('drizzle') });
	columns.push({ name: 'embedded PGlite', f: await measure(embedded, rasterFile, bigGeoJson) });
	await embedded.close();
	await rm(dataDir, { recursive: true, force: true });
	const pixels = width * height;
	printTable(
		`bench/import-geo — 95 Đồng Nai communes and a ${sizeMb.toFixed(0)} MB raster, ${os.cpus().length} cores, Node ${process.version}`,
		columns.map((c) => c.name),
		[
			['95 communes: import (ms)', columns.map((c) => c.f.boundariesMs.toFixed(0))],
			['baseline: one INSERT … ST_GeomFromGeoJSON (ms)', columns.map((c) => c.f.boundariesBaselineMs.toFixed(0))],
			[`raster ${sizeMb.toFixed(0)} MB → H3 cells: import (s)`, columns.map((c) => (c.f.rasterMs / 1000).toFixed(1))],
			['raster pixels/s', columns.map((c) => ((pixels / c.f.rasterMs) * 1000).toFixed(0))],
			['H3 cells written', columns.map((c) => c.f.rasterCells.toLocaleString('en'))],
			['peak RSS during the raster (MB)', columns.map((c) => c.f.rssPeakMb.toFixed(0))],
			['baseline: read every pixel strip, nothing else (s)', columns.map(() => (readMs / 1000).toFixed(1))],
			[`GeoJSON ${bigMb.toFixed(0)} MB, ${bigFeatures.toLocaleString('en')} polygons: import (s)`, columns.map((c) => (c.f.bigGeoJsonMs / 1000).toFixed(1))],
			['peak RSS during the GeoJSON import (MB)', columns.map((c) => c.f.bigGeoJsonRssMb.toFixed(0))]
		]
	);
} finally {
	await rm(dir, { recursive: true, force: true });
}
