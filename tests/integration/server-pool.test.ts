import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createServerPool } from '../../src/lib/server/db/server-pool';

const url = process.env.TEST_DATABASE_URL;
const quiet = () => {};

/**
 * Terminates backends from another process while this one's event loop is held, so each server's
 * goodbye waits unread in its socket, as it does under load (`pg_terminate_backend(pid, timeout)`
 * returns once the backend has exited).
 */
function terminateUnseen(pids: number[]): void {
	const out = execFileSync('psql', [url!, '-Atc', `select bool_and(pg_terminate_backend(pid, 5000)) from unnest('{${pids.join(',')}}'::int[]) as pid`], { encoding: 'utf8' });
	expect(out.trim()).toBe('t');
}

describe.runIf(process.env.TEST_DB === 'postgres')('the server pool after its connections were terminated', () => {
	it('the probe passes over clients whose end it has not read yet, and answers true', async () => {
		const server = createServerPool(url!, { connectMs: 5000, statementMs: 0 }, quiet);
		try {
			const clients = await Promise.all(Array.from({ length: 4 }, () => server.pool.connect()));
			const pids = await Promise.all(clients.map(async (c) => (await c.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0].pid));
			for (const c of clients) c.release();
			expect(server.pool.idleCount).toBe(4);

			terminateUnseen(pids);
			// Every idle client is stale now, and none of them knows it.
			expect(server.pool.idleCount).toBe(4);
			server.observe(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }));
			expect(server.unavailableSince()).not.toBeNull();

			expect(await server.probe()).toBe(true);
			expect(server.unavailableSince()).toBeNull();
			// …and dropped every stale client, so the next request cannot land on one.
			expect(server.pool.idleCount).toBeGreaterThan(0);
			const after = await Promise.all(Array.from({ length: server.pool.idleCount }, () => server.pool.connect()));
			for (const c of after) expect((await c.query('select 1 as one')).rows[0].one).toBe(1);
			for (const c of after) c.release();
		} finally {
			await server.pool.end();
		}
	});

	it('the probe answers false at once when the server refuses connections', async () => {
		const refused = new URL(url!);
		refused.port = '1';
		const server = createServerPool(refused.toString(), { connectMs: 2000, statementMs: 0 }, quiet);
		try {
			const started = Date.now();
			expect(await server.probe()).toBe(false);
			expect(Date.now() - started).toBeLessThan(2000);
			expect(server.unavailableSince()).not.toBeNull();
		} finally {
			await server.pool.end();
		}
	});
});

describe.runIf(process.env.TEST_DB === 'postgres')('reads with replicas (DATABASE_READ_URL)', () => {
	it('anonymous reads go to the replicas in turn; a read that must see a write waits for one that replayed it', async () => {
		const { openDatabase } = await import('../../src/lib/server/db/index');
		const { primaryLsn, readDatabase } = await import('../../src/lib/server/db/read');
		const { sql } = await import('drizzle-orm');
		// Two "replicas" that are the primary itself, read-only: they answer, but have replayed nothing
		// (pg_last_wal_replay_lsn() is null on a primary), as a replica far behind would.
		const db = await openDatabase({ databaseUrl: url!, readUrls: [url!, url!], dataDir: '', migrationsDir: 'drizzle' });
		try {
			expect(db.replicas).toHaveLength(2);
			const picks = await Promise.all(Array.from({ length: 4 }, () => readDatabase(db)));
			expect(picks.map((p) => p.replicaIndex).sort()).toEqual([0, 0, 1, 1]);
			const lsn = await primaryLsn(db);
			expect(await readDatabase(db, lsn)).toBe(db);
			// A cookie that is not an LSN is ignored, not an error.
			expect((await readDatabase(db, 'nonsense')).replicaIndex).toBeDefined();
			// Their connections refuse writes, whatever the URL names.
			const write = await db.replicas![0].rows(sql`update operators set name = name where false`).catch((err) => err);
			expect(write.cause?.message).toMatch(/cannot execute UPDATE in a read-only transaction/);
		} finally {
			await db.close();
		}
	});

	it('a replica that is down is passed over: the primary answers', async () => {
		const { openDatabase } = await import('../../src/lib/server/db/index');
		const { readDatabase } = await import('../../src/lib/server/db/read');
		const down = new URL(url!);
		down.port = '1';
		const db = await openDatabase({ databaseUrl: url!, readUrls: [down.toString()], dataDir: '', migrationsDir: 'drizzle' });
		try {
			const { sql } = await import('drizzle-orm');
			await expect(db.replicas![0].rows(sql`select 1`)).rejects.toThrow();
			db.replicas![0].server!.observe(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
			expect(await readDatabase(db)).toBe(db);
		} finally {
			await db.close();
		}
	});
});
