import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/lib/server/accounts';
import { SYSTEM_ACTOR } from '../../src/lib/server/audit';
import type { Database } from '../../src/lib/server/db/index';
import { getJob, getUpload, JOB_STALE_MS, saveUpload, startJob, STOPPED_JOB_MESSAGE, watchJob, type JobState } from '../../src/lib/server/import/jobs';
import { claimRun, endRun, runIfDue, type ScheduledJob } from '../../src/lib/server/scheduled';
import { writeMeasurementsCsv } from '../helpers/measurements-csv';
import { openTestDatabase, resetDatabase } from '../helpers/db';

let db: Database;
let accountId: number;
let dir: string;
const server = process.env.TEST_DB === 'postgres';

beforeAll(async () => {
	db = await openTestDatabase();
	await resetDatabase(db);
	accountId = await createAccount(db, SYSTEM_ACTOR, { email: 'jobs@example.vn', displayName: 'J', role: 'planner', password: 'a long enough passphrase 2026' });
	dir = await mkdtemp(path.join(os.tmpdir(), 'phu-song-jobs-'));
	process.env.PHU_SONG_UPLOAD_DIR = path.join(dir, 'uploads');
});
afterAll(async () => {
	await db?.close();
	await rm(dir, { recursive: true, force: true });
});

const bodyOf = (bytes: Uint8Array) => new Blob([new Uint8Array(bytes)]).stream();

describe(`uploads and import jobs in the database (${process.env.TEST_DB})`, () => {
	it('an upload is found by id and account only; on a server, a process without the file gets it back byte for byte', async () => {
		// Over three chunks of 1 MiB, so order and the last short chunk both matter.
		const bytes = new Uint8Array(2.5 * 2 ** 20).map((_, i) => (i * 7919) % 251);
		const upload = await saveUpload(db, bodyOf(bytes), '../../etc/đo-sóng.csv', accountId);
		expect(upload.fileName).toBe('đo-sóng.csv');
		expect(await getUpload(db, upload.id, accountId + 1)).toBeNull();
		expect((await getUpload(db, upload.id, accountId))?.sizeBytes).toBe(bytes.length);

		const chunks = await db.rows<{ n: number }>(sql`select count(*)::int as n from import_upload_chunks where upload_id = ${upload.id}`);
		expect(chunks[0].n).toBe(server ? 3 : 0);
		// As another app server sees it: the row, but no file on its disk.
		await rm(upload.filePath);
		const again = await getUpload(db, upload.id, accountId);
		if (server) {
			expect(new Uint8Array(await readFile(again!.filePath))).toEqual(bytes);
		} else {
			// The embedded database has one process (its data-directory lock): nobody else to serve.
			expect(again).toBeNull();
		}
	});

	it('a job is a row any server reads: progress while it runs, then its summary; the upload is gone', async () => {
		const csv = path.join(dir, 'm.csv');
		await writeMeasurementsCsv(csv, 600);
		const upload = await saveUpload(db, bodyOf(await readFile(csv)), 'm.csv', accountId);
		const started = await startJob(db, upload, 'measurements', { mapping: {}, skipInvalid: false }, { accountId, label: 'jobs@example.vn' });
		expect(started.status).toBe('running');
		expect(await getUpload(db, upload.id, accountId)).toBeNull();
		expect(await getJob(db, started.id, accountId + 1)).toBeNull();

		const seen: JobState[] = [];
		const ended = new Promise<JobState>((resolve) => {
			const stop = watchJob(db, started.id, accountId, (s) => {
				seen.push(s);
				if (s.status !== 'running') (stop(), resolve(s));
			});
		});
		const end = await ended;
		expect(end.status).toBe('done');
		expect(end.summary).toMatchObject({ status: 'committed', inserted: 600 });
		expect(seen.length).toBeGreaterThan(0);
		const [row] = await db.rows<{ status: string; summary: { inserted: number }; progress: { rowsRead: number }; finished: boolean }>(sql`
			select status, summary, progress, finished_at is not null as finished from import_jobs where id = ${started.id}`);
		expect(row).toMatchObject({ status: 'done', finished: true, summary: { inserted: 600, rowsRead: 600 } });
		expect(row.progress.rowsRead).toBeGreaterThan(0);
		expect(await getJob(db, started.id, accountId)).toMatchObject({ status: 'done', summary: { inserted: 600 } });
	});

	it('a running job whose process stopped beating reads as failed, saying what is kept', async () => {
		await db.rows(sql`insert into import_jobs (id, kind, file_name, account_id, status, progress, server, heartbeat_at)
			values ('orphan', 'measurements', 'x.csv', ${accountId}, 'running', '{"rowsRead": 500, "bytesRead": 10, "sizeBytes": 100}', 'gone:1',
				now() - make_interval(secs => ${JOB_STALE_MS / 1000 + 1}))`);
		await db.rows(sql`insert into import_jobs (id, kind, file_name, account_id, status, server) values ('alive', 'measurements', 'y.csv', ${accountId}, 'running', 'here:2')`);
		expect(await getJob(db, 'orphan', accountId)).toMatchObject({ status: 'failed', error: STOPPED_JOB_MESSAGE, progress: { rowsRead: 500 } });
		expect(await getJob(db, 'alive', accountId)).toMatchObject({ status: 'running', error: null });
	});
});

describe(`scheduled runs, once across servers (${process.env.TEST_DB})`, () => {
	const job: ScheduledJob = { name: 'test-job', everyMs: 3_600_000, leaseMs: 60_000 };

	it('one claim of many wins; a run done is not due again within its interval', async () => {
		const claims = await Promise.all(Array.from({ length: 8 }, () => claimRun(db, job)));
		expect(claims.filter(Boolean)).toHaveLength(1);
		// Held: nobody else may start it, even once it is due.
		expect(await claimRun(db, { ...job, everyMs: 0 })).toBe(false);
		await endRun(db, job, true);
		expect(await claimRun(db, job)).toBe(false);
		expect(await claimRun(db, { ...job, everyMs: 0 })).toBe(true);
		await endRun(db, job, true);
	});

	it('a failed run releases its claim and stays due; a lapsed lease frees a dead claim', async () => {
		const failing: ScheduledJob = { name: 'failing-job', everyMs: 3_600_000, leaseMs: 60_000 };
		await expect(runIfDue(db, failing, async () => Promise.reject(new Error('disk full')))).rejects.toThrow('disk full');
		expect(await runIfDue(db, failing, async () => 42)).toEqual({ ran: true, result: 42 });
		expect(await runIfDue(db, failing, async () => 43)).toEqual({ ran: false });

		const dying: ScheduledJob = { name: 'dying-job', everyMs: 0, leaseMs: 60_000 };
		expect(await claimRun(db, dying)).toBe(true);
		// Its process dies without ending the run; once the lease lapses another may claim it.
		expect(await claimRun(db, dying)).toBe(false);
		await db.rows(sql`update scheduled_runs set lease_until = now() - interval '1 second' where job = 'dying-job'`);
		expect(await claimRun(db, dying)).toBe(true);
	});
});

it('writes nothing to a file named by a client (upload ids are random, names only shown)', async () => {
	const upload = await saveUpload(db, bodyOf(new TextEncoder().encode('a,b\n1,2\n')), '../../../tmp/evil', accountId);
	expect(path.dirname(upload.filePath)).toBe(path.join(dir, 'uploads'));
	expect(upload.fileName).toBe('evil');
});
