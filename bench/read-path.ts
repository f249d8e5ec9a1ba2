/**
 * bench/read-path — the public map's reads under load: /api/communes and /api/reports/cells for
 * the whole demo province, at 50 concurrent connections for 30 s (autocannon, loopback), on the
 * embedded database and on a PostGIS server; once without and once with If-None-Match (a browser
 * that already has the data). Beside it, in the same run: one request alone (first, uncached, and
 * warm), so the table shows what concurrency costs.
 *
 *   npm run bench:read-path -- [--duration S] [--connections N] [--database-url postgres://…]
 *
 * Goal (issue 9): communes p95 ≤ 50 ms on PostGIS and ≤ 100 ms embedded, at 50 connections.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { openDatabase } from '../src/lib/server/db/index';
import { seedDemoProvince } from '../src/lib/server/demo-seed';
import { checkHealth } from '../src/lib/server/health';
import { communesExtent } from '../src/lib/server/communes';
import { spawnApp, waitForHealth, type AppProcess } from '../tests/helpers/app-process';
import { percentile, printTable } from './lib/stats';

const { values } = parseArgs({
	options: { duration: { type: 'string', default: '30' }, connections: { type: 'string', default: '50' }, 'database-url': { type: 'string' } }
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const databaseUrl = values['database-url'] ?? process.env.TEST_DATABASE_URL;

interface Load {
	reqPerS: number;
	p50: number;
	p95: number;
	p99: number;
	non2xx: number;
	errors: number;
	timeouts: number;
}

/** autocannon at `connections` for `duration` s; latencies of every response, for exact percentiles. */
async function load(url: string, headers: Record<string, string>): Promise<Load> {
	const times: number[] = [];
	const result = await new Promise<autocannon.Result>((resolve, reject) => {
		const instance = autocannon({ url, connections, duration, headers, timeout: 10 }, (err, r) => (err ? reject(err) : resolve(r)));
		instance.on('response', (_client, _status, _bytes, ms) => times.push(ms));
	});
	times.sort((a, b) => a - b);
	return {
		reqPerS: result.requests.average,
		p50: percentile(times, 50),
		p95: percentile(times, 95),
		p99: percentile(times, 99),
		non2xx: result.non2xx - ('if-none-match' in headers ? result['3xx'] : 0),
		errors: result.errors,
		timeouts: result.timeouts
	};
}

/** One request alone, timed: the first (fills the caches) and the median of 20 warm ones. */
async function single(url: string): Promise<{ firstMs: number; warmMs: number; etag: string; bytes: number }> {
	let t = performance.now();
	// fetch() asks for gzip and inflates, as a browser does.
	const first = await fetch(url);
	const body = await first.arrayBuffer();
	const firstMs = performance.now() - t;
	const warm: number[] = [];
	for (let i = 0; i < 20; i++) {
		t = performance.now();
		await (await fetch(url)).arrayBuffer();
		warm.push(performance.now() - t);
	}
	warm.sort((a, b) => a - b);
	return { firstMs, warmMs: percentile(warm, 50), etag: first.headers.get('etag') ?? '', bytes: body.byteLength };
}

async function rssMb(pid: number): Promise<number> {
	const status = await readFile(`/proc/${pid}/status`, 'utf8');
	return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

type Column = Record<string, string>;

async function measure(app: AppProcess, extent: [number, number, number, number]): Promise<Column> {
	const bbox = extent.map((v) => v.toFixed(4)).join(',');
	const column: Column = {};
	for (const [name, pathAndQuery] of [
		['communes', `/api/communes?bbox=${bbox}&zoom=9`],
		['reports/cells', `/api/reports/cells?bbox=${bbox}&res=8`]
	] as const) {
		const url = `${app.baseUrl}${pathAndQuery}`;
		const one = await single(url);
		column[`${name}: one request, first (ms)`] = one.firstMs.toFixed(1);
		column[`${name}: one request, warm p50 (ms)`] = one.warmMs.toFixed(2);
		column[`${name}: answer (kB, unpacked)`] = (one.bytes / 1024).toFixed(0);
		// As a browser asks: gzip accepted; then once more as a browser that already has the answer.
		for (const [label, headers] of [
			['', { 'accept-encoding': 'gzip, deflate, br' }],
			[' If-None-Match', { 'accept-encoding': 'gzip, deflate, br', 'if-none-match': one.etag }]
		] as const) {
			const r = await load(url, headers);
			const key = `${name}${label}: ${connections} conn`;
			column[`${key} req/s`] = r.reqPerS.toFixed(0);
			column[`${key} p50/p95/p99 (ms)`] = `${r.p50.toFixed(0)}/${r.p95.toFixed(0)}/${r.p99.toFixed(0)}`;
			column[`${key} errors+timeouts`] = String(r.errors + r.timeouts + r.non2xx);
		}
	}
	column['server RSS after (MB)'] = (await rssMb(app.process.pid!)).toFixed(0);
	return column;
}

async function benchEmbedded(): Promise<Column> {
	const dataDir = await mkdtemp(path.join(os.tmpdir(), 'phu-song-bench-read-'));
	try {
		// First start seeds the demo province; measure on a warm restart, as a user would meet it.
		let app = await spawnApp({ PHU_SONG_DATA_DIR: dataDir });
		await waitForHealth(app);
		app.process.kill('SIGTERM');
		await app.exited;
		const db = await openDatabase({ databaseUrl: undefined, dataDir, migrationsDir: path.resolve('drizzle') });
		const extent = (await communesExtent(db, '2025'))!;
		await db.close();
		app = await spawnApp({ PHU_SONG_DATA_DIR: dataDir });
		await waitForHealth(app);
		const column = await measure(app, extent);
		app.process.kill('SIGTERM');
		await app.exited;
		return column;
	} finally {
		await rm(dataDir, { recursive: true, force: true });
	}
}

async function benchPostgis(url: string): Promise<Column> {
	const db = await openDatabase({ databaseUrl: url, dataDir: '', migrationsDir: path.resolve('drizzle') });
	if ((await checkHealth(db)).counts.communes === 0) await seedDemoProvince(db, '04', { dataRoot: path.resolve('data') });
	const extent = (await communesExtent(db, '2025'))!;
	await db.close();
	const app = await spawnApp({ DATABASE_URL: url });
	await waitForHealth(app);
	const column = await measure(app, extent);
	app.process.kill('SIGTERM');
	await app.exited;
	return column;
}

const columns: [string, Column][] = [['embedded PGlite', await benchEmbedded()]];
if (databaseUrl) columns.push(['PostGIS server', await benchPostgis(databaseUrl)]);
else console.log('No PostGIS server given (--database-url or TEST_DATABASE_URL): the PostGIS column is left out.');
const labels = Object.keys(columns[0][1]);
printTable(
	`bench/read-path — ${connections} connections × ${duration} s, ${os.cpus().length} cores, Node ${process.version}; goal: communes p95 ≤ 50 ms PostGIS, ≤ 100 ms embedded`,
	columns.map(([name]) => name),
	labels.map((label) => [label, columns.map(([, c]) => c[label] ?? '—')])
);
