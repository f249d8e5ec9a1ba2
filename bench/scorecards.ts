/**
 * bench/scorecards — commune scorecards (issue 14) on the demo province grown to 1,000,000
 * SYNTHETIC reports:
 *   - computing every scorecard (the 2025 set, every operator view) the first time — the fused
 *     layers, dead zones and villages beneath included — and again from those kept layers (p50/p95
 *     of a few runs): what a request would cost if it recomputed;
 *   - the /communes page's data, /api/communes/scorecards?province=04, at 50 connections for 20 s
 *     after 3 s of warm-up (autocannon against a real app server), beside that per-request
 *     recomputation;
 *   - peak RSS of the computation.
 * On the embedded database and on a PostGIS server. Goal: p95 ≤ 50 ms on PostGIS.
 *
 *   npm run bench:scorecards -- [--reports N] [--duration S] [--connections N] [--database-url …] [--skip-embedded]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { inTransaction, openDatabase, type Database } from '../src/lib/server/db/index';
import { seedDemoProvince } from '../src/lib/server/demo-seed';
import { rebuildMeasured } from '../src/lib/server/measured';
import { communeScorecards } from '../src/lib/server/scorecards';
import { spawnApp, waitForHealth } from '../tests/helpers/app-process';
import { freshPostgisDatabase, growReports, timed, withPeakRss } from './lib/province';
import { percentile, printTable } from './lib/stats';

const { values } = parseArgs({
	options: {
		reports: { type: 'string', default: '1000000' },
		duration: { type: 'string', default: '20' },
		connections: { type: 'string', default: '50' },
		runs: { type: 'string', default: '5' },
		'database-url': { type: 'string' },
		'skip-embedded': { type: 'boolean', default: false }
	}
});
const target = Number(values.reports);
const duration = Number(values.duration);
const connections = Number(values.connections);
const runs = Number(values.runs);
const serverUrl = values['database-url'] ?? process.env.TEST_DATABASE_URL;
const migrationsDir = path.resolve('drizzle');
const K = 3;
type Column = Record<string, string>;

async function computeFigures(db: Database, column: Column): Promise<void> {
	const [growMs, reports] = await timed(() => growReports(db, target));
	await inTransaction(db, (tx) => rebuildMeasured(tx));
	column['reports (synthetic)'] = reports.toLocaleString('en');
	column['growing them and rebuilding measured (s, not measured work)'] = (growMs / 1000).toFixed(1);
	const [peak, [firstMs, set]] = await withPeakRss(() => timed(() => communeScorecards(db, { set: '2025', operator: '*' }, K)));
	column['communes × operator views'] = `${set.scorecards.length} × ${set.operators.length + 1}`;
	column['first computation, layers beneath included (ms)'] = firstMs.toFixed(0);
	const again: number[] = [];
	for (let i = 0; i < runs; i++) again.push((await timed(() => communeScorecards(db, { set: '2025', operator: '*' }, K, { fresh: true })))[0]);
	again.sort((a, b) => a - b);
	column['baseline: recomputed per request, p50/p95 (ms)'] = `${percentile(again, 50).toFixed(0)}/${percentile(again, 95).toFixed(0)}`;
	column['peak RSS, first computation (MB)'] = peak.toFixed(0);
}

async function loadFigures(env: Record<string, string>, column: Column): Promise<void> {
	const app = await spawnApp(env);
	try {
		await waitForHealth(app, 600_000);
		const url = `${app.baseUrl}/api/communes/scorecards?province=04`;
		const [firstMs] = await timed(async () => (await fetch(url)).arrayBuffer());
		column['app: first request after start (ms)'] = firstMs.toFixed(0);
		// A few seconds at the same load first (JIT and pools warm), then the measured run.
		await new Promise<unknown>((resolve, reject) => autocannon({ url, connections, duration: 3, headers: { 'accept-encoding': 'gzip' } }, (err, r) => (err ? reject(err) : resolve(r))));
		const times: number[] = [];
		const result = await new Promise<autocannon.Result>((resolve, reject) => {
			const instance = autocannon({ url, connections, duration, headers: { 'accept-encoding': 'gzip' }, timeout: 20 }, (err, r) => (err ? reject(err) : resolve(r)));
			instance.on('response', (_c, _s, _b, ms) => times.push(ms));
		});
		times.sort((a, b) => a - b);
		column[`${connections} connections: req/s`] = result.requests.average.toFixed(0);
		column[`${connections} connections: p50/p95/p99 (ms, goal p95 ≤ 50 on PostGIS)`] = `${percentile(times, 50).toFixed(1)}/${percentile(times, 95).toFixed(1)}/${percentile(times, 99).toFixed(1)}`;
		column[`${connections} connections: errors + timeouts + non-2xx`] = String(result.errors + result.timeouts + result.non2xx);
	} finally {
		app.process.kill('SIGTERM');
		await app.exited;
	}
}

async function benchPostgis(url: string): Promise<Column> {
	const benchUrl = await freshPostgisDatabase(url, 'phu_song_bench_scorecards');
	const column: Column = {};
	const db = await openDatabase({ databaseUrl: benchUrl, dataDir: '', migrationsDir });
	try {
		await seedDemoProvince(db, '04', { dataRoot: path.resolve('data'), log: () => {} });
		await computeFigures(db, column);
	} finally {
		await db.close();
	}
	await loadFigures({ DATABASE_URL: benchUrl }, column);
	return column;
}

async function benchEmbedded(): Promise<Column> {
	const dataDir = await mkdtemp(path.join(os.tmpdir(), 'phu-song-bench-scorecards-'));
	const column: Column = {};
	try {
		const db = await openDatabase({ databaseUrl: undefined, dataDir, migrationsDir });
		await seedDemoProvince(db, '04', { dataRoot: path.resolve('data'), log: () => {} });
		await computeFigures(db, column);
		await db.close();
		await loadFigures({ PHU_SONG_DATA_DIR: dataDir }, column);
	} finally {
		await rm(dataDir, { recursive: true, force: true });
	}
	return column;
}

const columns: [string, Column][] = [];
if (serverUrl) columns.push(['PostGIS server', await benchPostgis(serverUrl)]);
else console.log('No PostGIS server given (--database-url or TEST_DATABASE_URL): the PostGIS column is left out.');
if (!values['skip-embedded']) columns.push(['embedded PGlite', await benchEmbedded()]);
const labels = [...new Set(columns.flatMap(([, c]) => Object.keys(c)))];
printTable(
	`bench/scorecards — ${target.toLocaleString('en')} synthetic reports, ${os.cpus().length} cores, Node ${process.version}; goal: /communes data p95 ≤ 50 ms at ${connections} connections on PostGIS`,
	columns.map(([name]) => name),
	labels.map((label) => [label, columns.map(([, c]) => c[label] ?? '—')])
);
