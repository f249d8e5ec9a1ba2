/**
 * bench/startup — how fast the built app comes up and serves commune boundaries, on the embedded
 * database and on a PostGIS server, side by side.
 *
 *   npm run bench:startup -- [--scale N] [--database-url postgres://…]
 *
 * Figures: process start → first /api/health answer (embedded: cold = new data dir with demo
 * seeding, warm = restart); /api/communes p50/p95 and req/s over 200×N sequential requests, and
 * server RSS. Baseline, same run: the same communes SQL called in-process through the driver,
 * without HTTP or SvelteKit, so the table shows what the web layer adds.
 * The PostGIS column needs --database-url or TEST_DATABASE_URL (a database with PostGIS; it is
 * seeded with the Cao Bằng demo if empty).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { communesExtent, communesInBbox } from '../src/lib/server/communes';
import { openDatabase, type Database } from '../src/lib/server/db/index';
import { seedDemoProvince } from '../src/lib/server/demo-seed';
import { checkHealth } from '../src/lib/server/health';
import { printTable, timeRuns } from './lib/stats';

const { values } = parseArgs({
	options: { scale: { type: 'string', default: '1' }, 'database-url': { type: 'string' } }
});
const scale = Math.max(1, Number(values.scale));
const requests = 200 * scale;
const databaseUrl = values['database-url'] ?? process.env.TEST_DATABASE_URL;
const migrationsDir = path.resolve('drizzle');
const ZOOM = 9;

interface Column {
	name: string;
	coldStartMs?: number;
	warmStartMs?: number;
	p50Ms?: number;
	p95Ms?: number;
	reqPerS?: number;
	rssMb?: number;
	baselineP50Ms?: number;
	baselineP95Ms?: number;
}

function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const s = createServer().listen(0, '127.0.0.1', () => {
			const { port } = s.address() as { port: number };
			s.close(() => resolve(port));
		});
	});
}

/** Starts the built app and returns it once /api/health answers, with the elapsed time. */
async function startServer(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; baseUrl: string; startMs: number }> {
	const port = await freePort();
	const baseUrl = `http://127.0.0.1:${port}`;
	const started = performance.now();
	const child = spawn(process.execPath, ['scripts/start.js'], {
		env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	for (;;) {
		if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
		try {
			if ((await fetch(`${baseUrl}/api/health`)).ok) break;
		} catch {
			/* not yet listening */
		}
		await new Promise((r) => setTimeout(r, 20));
	}
	return { child, baseUrl, startMs: performance.now() - started };
}

async function stopServer(child: ChildProcess): Promise<void> {
	child.kill('SIGTERM');
	if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
}

function rssMb(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

const timeRequests = (run: () => Promise<unknown>) => timeRuns(requests, run);

async function measureHttp(baseUrl: string, child: ChildProcess, column: Column): Promise<void> {
	const health = await (await fetch(`${baseUrl}/api/health`)).json();
	if (health.counts.communes === 0) throw new Error(`${column.name}: no communes to serve`);
	const extent = await fetch(`${baseUrl}/api/communes/search?q=a&limit=1`); // touch the route table once
	await extent.arrayBuffer();
	const url = `${baseUrl}/api/communes?bbox=102,8,110,24&zoom=${ZOOM}&set=2025`;
	const r = await timeRequests(async () => (await fetch(url)).arrayBuffer());
	Object.assign(column, { p50Ms: r.p50, p95Ms: r.p95, reqPerS: r.perS, rssMb: rssMb(child.pid!) });
}

async function measureBaseline(db: Database, column: Column): Promise<void> {
	const bbox = (await communesExtent(db, '2025'))!;
	const r = await timeRequests(() => communesInBbox(db, bbox, ZOOM, '2025'));
	Object.assign(column, { baselineP50Ms: r.p50, baselineP95Ms: r.p95 });
}

async function benchEmbedded(): Promise<Column> {
	const column: Column = { name: 'embedded PGlite' };
	const dataDir = await mkdtemp(path.join(os.tmpdir(), 'phu-song-bench-'));
	try {
		const cold = await startServer({ PHU_SONG_DATA_DIR: dataDir, DATABASE_URL: '' });
		column.coldStartMs = cold.startMs;
		await stopServer(cold.child);
		const warm = await startServer({ PHU_SONG_DATA_DIR: dataDir, DATABASE_URL: '' });
		column.warmStartMs = warm.startMs;
		await measureHttp(warm.baseUrl, warm.child, column);
		await stopServer(warm.child);
		// The baseline opens the same data directory in-process, once the server has let go of it.
		const db = await openDatabase({ databaseUrl: undefined, dataDir, migrationsDir });
		await measureBaseline(db, column);
		await db.close();
	} finally {
		await rm(dataDir, { recursive: true, force: true });
	}
	return column;
}

async function benchPostgis(url: string): Promise<Column> {
	const column: Column = { name: 'PostGIS server' };
	const db = await openDatabase({ databaseUrl: url, dataDir: '', migrationsDir });
	if ((await checkHealth(db)).counts.communes === 0) await seedDemoProvince(db, '04', { dataRoot: path.resolve('data') });
	const server = await startServer({ DATABASE_URL: url });
	column.warmStartMs = server.startMs;
	await measureHttp(server.baseUrl, server.child, column);
	await stopServer(server.child);
	await measureBaseline(db, column);
	await db.close();
	return column;
}

function printResults(columns: Column[]): void {
	const fmt = (v: number | undefined, digits = 1) => (v === undefined ? '—' : v.toFixed(digits));
	const rows: [string, (c: Column) => string][] = [
		['start → first /api/health, cold (ms)', (c) => fmt(c.coldStartMs, 0)],
		['start → first /api/health, warm (ms)', (c) => fmt(c.warmStartMs, 0)],
		[`/api/communes p50 (ms, n=${requests})`, (c) => fmt(c.p50Ms, 2)],
		[`/api/communes p95 (ms, n=${requests})`, (c) => fmt(c.p95Ms, 2)],
		['/api/communes sequential req/s', (c) => fmt(c.reqPerS, 0)],
		['server RSS after requests (MB)', (c) => fmt(c.rssMb, 0)],
		['baseline: same SQL in-process p50 (ms)', (c) => fmt(c.baselineP50Ms, 2)],
		['baseline: same SQL in-process p95 (ms)', (c) => fmt(c.baselineP95Ms, 2)],
		['HTTP + SvelteKit overhead at p50 (ms)', (c) => (c.p50Ms !== undefined && c.baselineP50Ms !== undefined ? fmt(c.p50Ms - c.baselineP50Ms, 2) : '—')]
	];
	printTable(
		`bench/startup — scale ${scale}, ${os.cpus().length} cores, Node ${process.version}`,
		columns.map((c) => c.name),
		rows.map(([label, get]) => [label, columns.map(get)])
	);
}

if (!existsSync('build/index.js')) {
	console.log('build/ missing: building once…');
	spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
}
const columns = [await benchEmbedded()];
if (databaseUrl) columns.push(await benchPostgis(databaseUrl));
else console.log('No PostGIS server given (--database-url or TEST_DATABASE_URL): the PostGIS column is left out.');
printResults(columns);
