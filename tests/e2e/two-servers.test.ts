/**
 * Two app processes on one PostGIS database, as behind a load balancer (issue 20): nothing a
 * request needs may live in one process. Both start together on an empty database (migrations
 * take turns), a session made on one is good on the other, an upload received by one is previewed
 * and imported by the other, and the import's progress streams from the one not running it.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/lib/server/db/index';
import { createAccount } from '../../src/lib/server/accounts';
import { SYSTEM_ACTOR } from '../../src/lib/server/audit';
import { DEMO_ACCOUNTS } from '../../src/lib/server/demo-accounts';
import { spawnApp, waitForHealth, type AppProcess } from '../helpers/app-process';
import { writeMeasurementsCsv } from '../helpers/measurements-csv';
import { signInAs } from '../helpers/session';

const serverUrl = process.env.TEST_DATABASE_URL;
const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
	for (const step of cleanup.reverse()) await step().catch(() => {});
});

/** The server-sent events of a response, until it ends: [event, data] pairs. */
async function readEvents(response: Response): Promise<[string, unknown][]> {
	const text = await response.text();
	return text
		.split('\n\n')
		.filter((block) => block.startsWith('event: '))
		.map((block) => {
			const [event, data] = block.split('\n');
			return [event.slice('event: '.length), JSON.parse(data.slice('data: '.length))];
		});
}

describe.runIf(serverUrl)('two app servers on one PostGIS database', () => {
	const dbName = 'phu_song_two_servers';
	const url = new URL(serverUrl!);
	url.pathname = `/${dbName}`;
	let a: AppProcess;
	let b: AppProcess;
	let cookie: string;
	let dir: string;

	it('start together on an empty database, and a session made on one is good on the other', async () => {
		const admin = new pg.Client({ connectionString: serverUrl });
		await admin.connect();
		await admin.query(`drop database if exists ${dbName} with (force)`);
		await admin.query(`create database ${dbName}`);
		await admin.end();
		const setup = new pg.Client({ connectionString: url.toString() });
		await setup.connect();
		await setup.query('create extension postgis');
		await setup.end();
		cleanup.push(async () => {
			const c = new pg.Client({ connectionString: serverUrl });
			await c.connect();
			await c.query(`drop database if exists ${dbName} with (force)`);
			await c.end();
		});
		dir = await mkdtemp(path.join(os.tmpdir(), 'phu-song-two-'));
		cleanup.push(() => rm(dir, { recursive: true, force: true }));

		// Separate upload folders: as on two machines, neither sees the other's disk.
		[a, b] = await Promise.all(['a', 'b'].map((name) => spawnApp({ DATABASE_URL: url.toString(), PHU_SONG_UPLOAD_DIR: path.join(dir, name) })));
		cleanup.push(async () => (a.process.kill('SIGKILL'), b.process.kill('SIGKILL')));
		await Promise.all([waitForHealth(a), waitForHealth(b)]);

		const db = await openDatabase({ databaseUrl: url.toString(), dataDir: '', migrationsDir: path.resolve('drizzle') });
		try {
			const { rows } = await (db.server!.pool.query(`select count(*)::int as n, count(distinct hash) ::int as distinct_n from drizzle.__drizzle_migrations`) as Promise<{ rows: { n: number; distinct_n: number }[] }>);
			// Every migration applied once, though two processes migrated at the same moment.
			expect(rows[0].n).toBe(rows[0].distinct_n);
			expect(rows[0].n).toBeGreaterThan(20);
			// The demo planner and admin (demo accounts proper exist only in embedded databases).
			for (const account of DEMO_ACCOUNTS.filter((x) => x.role === 'planner' || x.role === 'admin')) {
				await createAccount(db, SYSTEM_ACTOR, { email: account.email, displayName: account.displayName, role: account.role, password: account.password });
			}
			// The retention job ran on exactly one of them.
			const runs = await db.server!.pool.query(`select server from scheduled_runs where job = 'retirement'`);
			expect(runs.rows).toHaveLength(1);
			expect([a.process.pid, b.process.pid].map(String)).toContain(runs.rows[0].server.split(':').pop());
		} finally {
			await db.close();
		}
		({ cookie } = await signInAs(a.baseUrl, 'planner'));
		// Signed in on B too (without the cookie: 401), where no such upload exists (404).
		expect((await fetch(`${b.baseUrl}/api/imports/uploads/none`)).status).toBe(401);
		expect((await fetch(`${b.baseUrl}/api/imports/uploads/none`, { headers: { cookie } })).status).toBe(404);
	}, 240_000);

	it('an upload received by one is previewed and imported by the other, its progress followed on the first', async () => {
		const csv = path.join(dir, 'drive-test.csv');
		await writeMeasurementsCsv(csv, 60_000);
		const uploaded = await fetch(`${a.baseUrl}/api/imports/uploads?name=drive-test.csv`, {
			method: 'POST',
			headers: { cookie, origin: a.baseUrl, 'content-type': 'application/octet-stream' },
			body: await readFile(csv)
		});
		expect(uploaded.status).toBe(200);
		const { upload } = await uploaded.json();

		const preview = await fetch(`${b.baseUrl}/api/imports/uploads/${upload.id}?kind=measurements`, { headers: { cookie } });
		expect(preview.status).toBe(200);
		expect((await preview.json()).preview).toMatchObject({ problem: null, rows: expect.any(Array) });

		const started = await fetch(`${b.baseUrl}/api/imports/jobs`, {
			method: 'POST',
			headers: { cookie, origin: b.baseUrl, 'content-type': 'application/json' },
			body: JSON.stringify({ uploadId: upload.id, kind: 'measurements' })
		});
		expect(started.status).toBe(202);
		const { job } = await started.json();

		const events = await readEvents(await fetch(`${a.baseUrl}/api/imports/jobs/${job.id}`, { headers: { cookie } }));
		const progress = events.filter(([e]) => e === 'progress');
		expect(progress.length).toBeGreaterThan(1);
		// Rows read only grow, as the job's row tells them from the other process.
		const rowsRead = progress.map(([, s]) => (s as { progress: { rowsRead: number } | null }).progress?.rowsRead ?? 0);
		expect(rowsRead).toEqual([...rowsRead].sort((x, y) => x - y));
		expect(rowsRead.at(-1)).toBeGreaterThan(0);
		const [event, end] = events.at(-1)!;
		expect(event).toBe('end');
		expect(end).toMatchObject({ status: 'done', summary: { status: 'committed', inserted: 60_000 } });

		// Both see the rows; the upload is gone from the database once the job took it.
		for (const app of [a, b]) expect((await (await fetch(`${app.baseUrl}/api/health`)).json()).counts.reports).toBe(60_000);
		expect((await fetch(`${a.baseUrl}/api/imports/uploads/${upload.id}`, { headers: { cookie } })).status).toBe(404);
		// Another account may not follow it, on either server.
		const other = (await signInAs(b.baseUrl, 'admin')).cookie;
		expect((await fetch(`${a.baseUrl}/api/imports/jobs/${job.id}`, { headers: { cookie: other } })).status).toBe(404);
	}, 180_000);
});
