/**
 * Faults with real processes: a second process on the embedded folder, kill -9, SIGTERM, a
 * PostgreSQL server that drops the app's connections, goes away, or never answers.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, stat, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { LOCK_FILE } from '../../src/lib/server/db/data-dir-lock';
import { spawnApp, waitForHealth, type AppProcess } from '../helpers/app-process';
import { writeMeasurementsCsv } from '../helpers/measurements-csv';
import { startSilentListener, startTcpProxy } from '../helpers/tcp-proxy';

const e2eDataDir = inject('e2eDataDir');
const baseUrl = inject('baseUrl');
const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
	for (const step of cleanup.reverse()) await step().catch(() => {});
});

/** Runs the CLI as its own process and collects its exit code and output. */
function cli(args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<{ code: number; out: string; ms: number }> {
	const started = Date.now();
	return new Promise((resolve) => {
		execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env: { ...process.env, DATABASE_URL: '', ...env }, timeout: timeoutMs }, (err, stdout, stderr) => {
			resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr, ms: Date.now() - started });
		});
	});
}

/** Bytes under `dir`; a running database removes files (pg_internal.init, temp files) between readdir and stat. */
async function folderBytes(dir: string): Promise<number> {
	let total = 0;
	for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
		if (!entry.isFile()) continue;
		const size = await stat(path.join(entry.parentPath, entry.name)).then(
			(s) => s.size,
			(err: NodeJS.ErrnoException) => {
				if (err.code === 'ENOENT') return 0;
				throw err;
			}
		);
		total += size;
	}
	return total;
}

const lockOwnerPid = (dir: string) => (JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8')) as { pid: number }).pid;

async function tempDir(prefix: string): Promise<string> {
	const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
	cleanup.push(() => rm(dir, { recursive: true, force: true }));
	return dir;
}

describe('the embedded data folder: one process at a time', () => {
	it('refuses the CLI while the app holds the folder, naming the holder and what to do, and writes nothing', async () => {
		const before = (await (await fetch(`${baseUrl}/api/health`)).json()).counts.reports;
		const dir = await tempDir('phu-song-csv-');
		const csv = path.join(dir, 'm.csv');
		await writeMeasurementsCsv(csv, 50);
		const result = await cli(['import', 'measurements', csv], { PHU_SONG_DATA_DIR: e2eDataDir });
		expect(result.code).toBe(3);
		expect(result.out).toContain(`is in use by process ${lockOwnerPid(e2eDataDir)}`);
		expect(result.out).toMatch(/upload page \(\/import\)/);
		expect(result.out).toMatch(/DATABASE_URL/);
		expect(result.out).not.toMatch(/^\s+at /m);
		// The app is unharmed and has exactly what it had.
		const health = await (await fetch(`${baseUrl}/api/health`)).json();
		expect(health.counts.reports).toBe(before);
	});

	let app: AppProcess;
	let dir: string;
	it('takes over the stale lock after kill -9 of the holder, with the data intact', async () => {
		dir = await tempDir('phu-song-kill-');
		app = await spawnApp({ PHU_SONG_DATA_DIR: dir, PHU_SONG_NO_DEMO: '1' });
		cleanup.push(async () => app.process.kill('SIGKILL'));
		await waitForHealth(app);
		const firstPid = app.process.pid;
		expect(lockOwnerPid(dir)).toBe(firstPid);
		app.process.kill('SIGKILL');
		await app.exited;
		expect(existsSync(path.join(dir, LOCK_FILE))).toBe(true); // left behind: stale now

		app = await spawnApp({ PHU_SONG_DATA_DIR: dir, PHU_SONG_NO_DEMO: '1' });
		await waitForHealth(app);
		expect(lockOwnerPid(dir)).toBe(app.process.pid);
		expect(app.process.pid).not.toBe(firstPid);
	});

	it('releases the database and the lock within a second of SIGTERM', async () => {
		const started = Date.now();
		app.process.kill('SIGTERM');
		expect(await app.exited).toBe(0);
		expect(Date.now() - started).toBeLessThan(1000);
		expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false);
	});

	it('keeps what was committed when an import is killed mid-way, and reclaims the room it took', async () => {
		const csvDir = await tempDir('phu-song-csv-');
		const small = path.join(csvDir, 'small.csv');
		const big = path.join(csvDir, 'big.csv');
		await writeMeasurementsCsv(small, 1000);
		await writeMeasurementsCsv(big, 300_000);
		expect((await cli(['import', 'measurements', small], { PHU_SONG_DATA_DIR: dir })).code).toBe(0);

		// The big import runs in one transaction; kill it once its rows take room in the table files.
		const tables = path.join(dir, 'base');
		const beforeBytes = await folderBytes(tables);
		const child = execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'import', 'measurements', big], { env: { ...process.env, DATABASE_URL: '', PHU_SONG_DATA_DIR: dir } });
		const deadline = Date.now() + 60_000;
		while ((await folderBytes(tables)) < beforeBytes + 30 * 2 ** 20 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
		child.kill('SIGKILL');
		await new Promise((r) => child.once('exit', r));
		const killedBytes = await folderBytes(tables);
		expect(killedBytes).toBeGreaterThan(beforeBytes + 30 * 2 ** 20);

		// The next process takes the stale lock, finds exactly the committed rows, and VACUUMs.
		const health = await cli(['health'], { PHU_SONG_DATA_DIR: dir });
		expect(health.code).toBe(0);
		expect(JSON.parse(health.out.slice(health.out.indexOf('{'))).counts.reports).toBe(1000);
		const reopenedBytes = await folderBytes(tables);
		expect(reopenedBytes).toBeLessThan(killedBytes - (killedBytes - beforeBytes) / 3);
		// `db compact` gives back the rest (index pages VACUUM only makes reusable).
		expect((await cli(['db', 'compact'], { PHU_SONG_DATA_DIR: dir })).code).toBe(0);
		expect(await folderBytes(tables)).toBeLessThan(beforeBytes + 4 * 2 ** 20);
		// Its own wait for the killed import may take up to 60 s, then four CLI runs on a large folder.
	}, 180_000);
});

const serverUrl = process.env.TEST_DATABASE_URL;

describe.runIf(serverUrl)('a PostgreSQL server that drops, loses or never answers connections', () => {
	const faultDb = 'phu_song_faults';
	const urlFor = (port: number) => {
		const url = new URL(serverUrl!);
		url.port = String(port);
		url.pathname = `/${faultDb}`;
		return url.toString();
	};
	const admin = () => new pg.Client({ connectionString: serverUrl, application_name: 'phu-song-tests' });

	let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
	let app: AppProcess;

	it('keeps serving when the server terminates the app’s connections', async () => {
		const client = admin();
		await client.connect();
		await client.query(`drop database if exists ${faultDb} with (force)`);
		await client.query(`create database ${faultDb}`);
		await client.end();
		const dbClient = new pg.Client({ connectionString: urlFor(Number(new URL(serverUrl!).port || 5432)) });
		await dbClient.connect();
		await dbClient.query('create extension if not exists postgis');
		await dbClient.end();
		cleanup.push(async () => {
			const c = admin();
			await c.connect();
			await c.query(`drop database if exists ${faultDb} with (force)`);
			await c.end();
		});

		proxy = await startTcpProxy(Number(new URL(serverUrl!).port || 5432));
		cleanup.push(() => proxy.close());
		app = await spawnApp({ DATABASE_URL: urlFor(proxy.port) });
		cleanup.push(async () => app.process.kill('SIGKILL'));
		await waitForHealth(app);

		const killer = admin();
		await killer.connect();
		for (let round = 0; round < 3; round++) {
			// Requests in flight while their backends are terminated.
			const inFlight = Array.from({ length: 8 }, () => fetch(`${app.baseUrl}/api/communes?bbox=105,22,107,23&zoom=8`).then((r) => r.status));
			const { rows } = await killer.query(`select pg_terminate_backend(pid) as ok from pg_stat_activity where datname = $1 and application_name = 'phu-song'`, [faultDb]);
			expect(rows.length).toBeGreaterThan(0);
			for (const status of await Promise.all(inFlight)) expect([200, 503]).toContain(status);
			expect(app.process.exitCode).toBeNull();
			expect((await fetch(`${app.baseUrl}/api/health`)).status).toBe(200);
		}
		await killer.end();
		expect(app.output()).not.toMatch(/Unhandled 'error' event/);
	});

	it('answers 503 while the server is unreachable, and recovers within 5 s of its return', async () => {
		await proxy.cut();
		const api = await fetch(`${app.baseUrl}/api/communes?bbox=105,22,107,23&zoom=8`);
		expect(api.status).toBe(503);
		expect(api.headers.get('retry-after')).toBe('5');
		expect((await api.json()).message).toMatch(/database is unavailable/);
		const page = await fetch(`${app.baseUrl}/`);
		expect(page.status).toBe(503);
		expect(page.headers.get('content-type')).toContain('text/html');
		expect(await page.text()).toContain('Tạm thời không phục vụ được');
		expect(app.process.exitCode).toBeNull();

		await proxy.restore();
		const back = Date.now();
		let status = 0;
		while (Date.now() - back < 5000) {
			status = (await fetch(`${app.baseUrl}/api/health`)).status;
			if (status === 200) break;
			await new Promise((r) => setTimeout(r, 100));
		}
		expect(status).toBe(200);
		expect(Date.now() - back).toBeLessThan(5000);
	});

	it('fails fast with one readable line against a server that accepts but never answers (app and CLI)', async () => {
		const silent = await startSilentListener();
		cleanup.push(() => silent.close());
		const url = `postgres://postgres@127.0.0.1:${silent.port}/phu_song`;
		const line = `Cannot reach the PostgreSQL server at 127.0.0.1:${silent.port}/phu_song: no answer within the connection timeout`;

		const started = Date.now();
		const hung = await spawnApp({ DATABASE_URL: url });
		cleanup.push(async () => hung.process.kill('SIGKILL'));
		expect(await hung.exited).toBe(4);
		expect(Date.now() - started).toBeLessThan(15_000);
		expect(hung.output()).toContain(line);
		expect(hung.output()).not.toMatch(/^\s+at /m);

		const result = await cli(['health'], { DATABASE_URL: url });
		expect(result.code).toBe(4);
		expect(result.ms).toBeLessThan(15_000);
		expect(result.out).toContain(line);
		expect(result.out).not.toMatch(/^\s+at /m);
	});
});
