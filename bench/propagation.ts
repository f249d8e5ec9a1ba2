/**
 * bench/propagation — predicted coverage (issue 11) for the demo province (Cao Bằng, ≈300
 * SYNTHETIC sites on real communes, the seed's SYNTHETIC karst DEM) and a 3,000-site SYNTHETIC
 * province (seeded uniform sites over ~33,000 km², its own synthetic DEM): all operator ×
 * technology predictions without and with terrain, cells/s and peak RSS, beside the naive baseline
 * measured in the same run — one independent terrain profile per cell and band, sampled from the
 * DEM point by point (timed on a few sites, scaled to all). Then, with a PostGIS server, the whole
 * `coverage predict` of the seeded demo (reading, calibrating, writing tiles).
 * Goals (this machine): the demo with terrain ≤ 30 s, without ≤ 3 s.
 *
 *   npm run bench:propagation -- [--skip-large] [--skip-database] [--database-url postgres://…]
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { bbox as turfBbox } from '@turf/turf';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { polygonToCells } from 'h3-js';
import { CellHierarchy, encodeTile, levelsOfGroup, tilesOf, withAnyKeys } from '../src/lib/coverage/predicted-layer';
import { syntheticDem } from '../src/lib/demo/fields';
import { generateDemoProvince, type DemoTower } from '../src/lib/demo/generate';
import { DEMO_PROVINCES } from '../src/lib/demo/provinces';
import { addCellsOfArea } from '../src/lib/grid/h3';
import { CellGrid } from '../src/lib/propagation/cell-grid';
import { terrainObstructionLoss } from '../src/lib/propagation/knife-edge';
import { linkBudgetOf, receivedDbm, settlementLoss } from '../src/lib/propagation/link-budget';
import { groupsOf, predictAll } from '../src/lib/propagation/predict-all';
import { siteGeometry } from '../src/lib/propagation/predict';
import { offset, Terrain } from '../src/lib/propagation/terrain';
import { createRandom } from '../src/lib/random/prng';
import { inTransaction, openDatabase } from '../src/lib/server/db/index';
import { seedDemoProvince } from '../src/lib/server/demo-seed';
import { predictCoverage } from '../src/lib/server/predicted';
import { DEFAULT_SETTINGS } from '../src/lib/settings/definitions';
import { thresholdsFromSettings, type Technology } from '../src/lib/signal/classes';
import { freshPostgisDatabase } from './lib/province';
import { printTable } from './lib/stats';

const { values } = parseArgs({ options: { 'skip-large': { type: 'boolean', default: false }, 'skip-database': { type: 'boolean', default: false }, 'database-url': { type: 'string' } } });
const settings = DEFAULT_SETTINGS;
const rangeM = settings['propagation.range_km'] * 1000;
type Column = Record<string, string>;

/** Peak RSS (MB) of this process while `work` runs, and its time (ms). */
async function measured<T>(work: () => T | Promise<T>): Promise<{ ms: number; peakMb: number; value: T }> {
	let peak = process.memoryUsage().rss;
	const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
	const t = performance.now();
	try {
		const value = await work();
		return { ms: performance.now() - t, peakMb: Math.max(peak, process.memoryUsage().rss) / 2 ** 20, value };
	} finally {
		clearInterval(timer);
	}
}

/** The naive way, per site: every cell in range gets its own profile sampled from the DEM, per band. */
function naiveSiteMs(grid: CellGrid, terrain: Terrain, site: DemoTower): number {
	const t0 = performance.now();
	const g = siteGeometry(grid, site.position, rangeM, true);
	for (const tech of site.technologies) {
		const budget = linkBudgetOf(tech, settings, site.operatorCode);
		for (let k = 0; k < g.cells.length; k++) {
			const d = g.distanceM[k];
			const n = Math.max(2, Math.ceil(d / 100));
			const distanceM: number[] = [];
			const groundM: number[] = [];
			for (let i = 0; i <= n; i++) {
				const [lng, lat] = offset(site.position, g.azimuthDeg![k], (d * i) / n);
				distanceM.push((d * i) / n);
				groundM.push(terrain.heightAt(lng, lat) ?? 0);
			}
			const loss = settlementLoss(budget.freqMhz, 'rural', site.antennaHeightM, budget.mobileHeightM, Math.max(0.1, d / 1000)).lossDb;
			receivedDbm(budget, loss, terrainObstructionLoss({ distanceM, groundM }, site.antennaHeightM, budget.mobileHeightM, budget.freqMhz).lossDb);
		}
	}
	return performance.now() - t0;
}

async function measureProvince(label: string, universe: string[], towers: DemoTower[], dem: ReturnType<typeof syntheticDem>, column: Column): Promise<void> {
	const grid = new CellGrid(universe);
	const groups = groupsOf(towers);
	const pairs = groups.reduce((n, g) => n + g.sites.length, 0);
	column['sites, (site, band) pairs, res-9 cells'] = `${towers.length}, ${pairs}, ${grid.size.toLocaleString('en')}`;
	const terrain = new Terrain(dem);
	const ctx = { settings, settlementOf: () => 'rural' as const };
	const flat = await measured(() => predictAll(grid, groups, { ...ctx, terrain: null }));
	const cells = flat.value.reduce((n, b) => n + b.dbm.reduce((m, d) => (Number.isNaN(d) ? m : m + 1), 0), 0);
	column['flat: all groups (s)'] = (flat.ms / 1000).toFixed(1);
	column['flat: predicted cells/s'] = Math.round(cells / (flat.ms / 1000)).toLocaleString('en');
	const layer = await measured(() => {
		const h = new CellHierarchy(grid);
		const keys = withAnyKeys(h, groups.map((g, i) => levelsOfGroup(h, g.op, g.tech as Technology, flat.value[i], g.sites.map((s) => s.id), thresholdsFromSettings(settings))));
		return tilesOf(h, keys).map((tile) => encodeTile(h, tile).payload.length).reduce((a, b) => a + b, 0);
	});
	column['layer (parents, any, tiles) (s), MB'] = `${(layer.ms / 1000).toFixed(1)}, ${(layer.value / 2 ** 20).toFixed(0)}`;
	if (label === 'large' && values['skip-large']) return;
	const withTerrain = await measured(() => predictAll(grid, groups, { ...ctx, terrain }));
	column['terrain: all groups (s)'] = (withTerrain.ms / 1000).toFixed(1);
	column['terrain: predicted cells/s'] = Math.round(cells / (withTerrain.ms / 1000)).toLocaleString('en');
	column['peak RSS (MB)'] = Math.max(flat.peakMb, withTerrain.peakMb).toFixed(0);
	// The baseline on a few sites (every 40th), scaled by (site, band) pairs.
	const sample = towers.filter((_, i) => i % 40 === 0).slice(0, 8);
	const sampleMs = sample.reduce((t, site) => t + naiveSiteMs(grid, terrain, site), 0);
	const samplePairs = sample.reduce((n, s) => n + s.technologies.length, 0);
	const naiveS = (sampleMs / samplePairs) * pairs / 1000;
	column['baseline: naive profile per cell and band (s, scaled)'] = `${naiveS.toFixed(0)} (${sample.length} sites timed)`;
	column['speed-up over the baseline'] = `${(naiveS / (withTerrain.ms / 1000)).toFixed(0)}×`;
}

async function demoColumn(): Promise<Column> {
	const config = DEMO_PROVINCES['04'];
	const collection = JSON.parse(await readFile(path.join('data', config.communesFile), 'utf8')) as FeatureCollection<Polygon | MultiPolygon, { commune_code: string; name: string; type: string; population: number; area_km2: number; center: [number, number] }>;
	const inputs = collection.features.map((f) => ({ code: f.properties.commune_code, name: f.properties.name, kind: f.properties.type, population: f.properties.population, areaKm2: f.properties.area_km2, center: f.properties.center, geometry: f.geometry }));
	const demo = generateDemoProvince(inputs, config);
	const universe = new Set<string>();
	for (const f of collection.features) addCellsOfArea(f.geometry, 9, universe);
	const [w, s, e, n] = turfBbox(collection);
	const dem = syntheticDem(config.seed, [w - 0.1, s - 0.1, e + 0.1, n + 0.1], config.relief!);
	const column: Column = {};
	await measureProvince('demo', [...universe], demo.towers, dem, column);
	return column;
}

async function largeColumn(): Promise<Column> {
	const bbox: [number, number, number, number] = [104.5, 21.5, 106.5, 23.0];
	const random = createRandom(3000);
	const towers: DemoTower[] = Array.from({ length: 3000 }, (_, i) => {
		const operatorCode = ['viettel', 'vnpt', 'mobifone'][i % 3];
		const technologies: Technology[] = random.chance(0.1) ? ['2G', '3G', '4G', '5G'] : ['2G', '3G', '4G'];
		return { operatorCode, siteCode: `SYN-${i}`, technologies, antennaHeightM: random.int(25, 45), position: [random.uniform(bbox[0], bbox[2]), random.uniform(bbox[1], bbox[3])] };
	});
	const universe = polygonToCells([[[bbox[0], bbox[1]], [bbox[2], bbox[1]], [bbox[2], bbox[3]], [bbox[0], bbox[3]], [bbox[0], bbox[1]]]], 9, true);
	const column: Column = {};
	await measureProvince('large', universe, towers, syntheticDem(3000, bbox, { minM: 100, maxM: 1400 }), column);
	return column;
}

/** `coverage predict` of the seeded demo on a PostGIS server: read, propagate, calibrate, write. */
async function databaseColumn(url: string): Promise<Column> {
	const benchUrl = await freshPostgisDatabase(url, 'phu_song_bench_propagation');
	const db = await openDatabase({ databaseUrl: benchUrl, dataDir: '', migrationsDir: path.resolve('drizzle') });
	const column: Column = {};
	try {
		const seed = await measured(() => seedDemoProvince(db, '04', { dataRoot: path.resolve('data') }));
		column['demo seed, whole (s)'] = (seed.ms / 1000).toFixed(1);
		const withTerrain = await measured(() => inTransaction(db, (tx) => predictCoverage(tx)));
		column['coverage predict, terrain (s)'] = (withTerrain.ms / 1000).toFixed(1);
		await db.orm.execute((await import('drizzle-orm')).sql`delete from dem_tiles`);
		const flat = await measured(() => inTransaction(db, (tx) => predictCoverage(tx)));
		column['coverage predict, flat (s)'] = (flat.ms / 1000).toFixed(1);
	} finally {
		await db.close();
	}
	return column;
}

const columns: [string, Column][] = [['demo (Cao Bằng)', await demoColumn()]];
columns.push(['3,000 synthetic sites', await largeColumn()]);
const url = values['database-url'] ?? process.env.TEST_DATABASE_URL;
if (url && !values['skip-database']) columns.push(['demo, PostGIS end to end', await databaseColumn(url)]);
const labels = [...new Set(columns.flatMap(([, c]) => Object.keys(c)))];
printTable(
	`bench/propagation — ${os.cpus().length} cores, Node ${process.version}; range ${settings['propagation.range_km']} km, 100 m profile steps; goals: demo with terrain ≤ 30 s, without ≤ 3 s`,
	columns.map(([name]) => name),
	labels.map((label) => [label, columns.map(([, c]) => c[label] ?? '—')])
);
