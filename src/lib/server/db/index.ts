import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import type { SQL } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { readConfig, type Config } from '../config';
import { acquireDataDirLock } from './data-dir-lock';
import { createServerPool, DatabaseUnavailableError, DEFAULT_TIMEOUTS, describeConnectionError, isConnectionError, type PoolTimeouts, type ServerPool } from './server-pool';
import * as schema from './schema';

export type Orm = PgDatabase<PgQueryResultHKT, typeof schema>;
export type DatabaseKind = 'pglite' | 'postgres';

/** An open database: the drizzle handle plus what differs between the two drivers. */
export interface Database {
	kind: DatabaseKind;
	orm: Orm;
	/** Runs one parameterised statement and returns its rows. */
	rows<T>(query: SQL): Promise<T[]>;
	close(): Promise<void>;
	/** Embedded only: the previous process died holding the folder (its uncommitted writes may need reclaiming). */
	recoveredFromCrash?: boolean;
	/** Server only: the pool's availability (connection errors, probe). */
	server?: ServerPool;
	/** Server only: read replicas (DATABASE_READ_URL), read-only handles; see read.ts. */
	replicas?: Database[];
	/** A replica's handle: its position in `replicas`. */
	replicaIndex?: number;
	/** True for the handle `inTransaction` gives its work: its reads must see its own writes. */
	transaction?: boolean;
	/**
	 * Embedded on disk only: flushes what the last commits wrote to the write-ahead log from the
	 * operating system's cache to the disk. PGlite's file system writes through to the OS at once
	 * (a killed process loses nothing committed) but never calls fsync, so a power cut could; the
	 * intake calls this before it acknowledges (src/lib/server/intake.ts).
	 */
	syncWal?: () => Promise<void>;
}

/** Embedded database: WAL between checkpoints, hence the most pg_wal holds (README: room an import needs). */
export const EMBEDDED_MAX_WAL_MB = 128;

/**
 * Opens (and migrates) the database that `config` selects. `pgliteTemplate`, a data-directory
 * dump, starts an embedded database from a copy instead of creating PostGIS anew (~10 s saved).
 */
export async function openDatabase(
	config: Pick<Config, 'databaseUrl' | 'dataDir' | 'migrationsDir'> & Partial<Pick<Config, 'readUrls'>>,
	{ pgliteTemplate, timeouts = DEFAULT_TIMEOUTS }: { pgliteTemplate?: Blob; timeouts?: PoolTimeouts } = {}
): Promise<Database> {
	if (config.databaseUrl) {
		const server = createServerPool(config.databaseUrl, timeouts);
		// Keep bigint h3 cells exact: node-postgres returns int8 as text by default, which is what we want.
		const orm = drizzlePg(server.pool, { schema });
		try {
			await migrateUnderLock(server.pool, config.migrationsDir);
		} catch (err) {
			await server.pool.end().catch(() => {});
			const code = ((err as { cause?: { code?: string } }).cause?.code ?? (err as { code?: string }).code) || '';
			if (isConnectionError(err) || code.startsWith('28') || code === '3D000') {
				throw new DatabaseUnavailableError(describeConnectionError(err, config.databaseUrl), { cause: err });
			}
			throw err;
		}
		// Replicas are not migrated (they follow the primary) nor checked here: one that is down
		// marks itself unavailable on first use and reads go to the primary meanwhile (read.ts).
		const replicas = (config.readUrls ?? []).map((url, replicaIndex) => {
			const replica = createServerPool(url, timeouts, console.warn, { readOnly: true });
			return { ...wrap('postgres', drizzlePg(replica.pool, { schema }) as unknown as Orm, () => replica.pool.end(), replica), replicaIndex };
		});
		const db = wrap('postgres', orm as unknown as Orm, async () => {
			await Promise.all(replicas.map((r) => r.close()));
			await server.pool.end();
		}, server);
		return replicas.length > 0 ? { ...db, replicas } : db;
	}
	const inMemory = config.dataDir.startsWith('memory://');
	// Taken before PGlite touches the folder: a second process must not even open it.
	const lock = inMemory ? null : acquireDataDirLock(config.dataDir);
	try {
		const client = await PGlite.create({
			dataDir: config.dataDir,
			extensions: { postgis },
			loadDataDir: pgliteTemplate,
			// PostgreSQL's 1 GB default lets pg_wal hold ~1 GB of recycled segments after a big import;
			// on a laptop's data folder a checkpoint every 128 MB of WAL costs little and keeps it small.
			startParams: [...PGlite.defaultStartParams, '-c', `max_wal_size=${EMBEDDED_MAX_WAL_MB}MB`, '-c', 'min_wal_size=32MB']
		});
		const orm = drizzlePglite(client, { schema });
		await migratePglite(orm, { migrationsFolder: config.migrationsDir });
		const db = wrap('pglite', orm as unknown as Orm, async () => {
			try {
				await client.close();
			} finally {
				lock?.release();
			}
		});
		if (!inMemory) db.syncWal = () => syncNewestWal(config.dataDir);
		if (lock?.tookOverStale) {
			// The previous process died holding the folder: rows of a transaction it never committed
			// (a killed import) still take room. VACUUM makes it reusable and gives back trailing pages.
			await client.exec('VACUUM');
			await client.exec('CHECKPOINT');
			db.recoveredFromCrash = true;
		}
		return db;
	} catch (err) {
		lock?.release();
		throw err;
	}
}

/** WAL segments written lately: the one being filled and, after a switch, the one before it. */
const WAL_SEGMENTS_TO_SYNC = 2;

/** fsync of the newest WAL segments and of the WAL folder (a new segment's directory entry). */
async function syncNewestWal(dataDir: string): Promise<void> {
	const dir = path.join(dataDir, 'pg_wal');
	const names = (await readdir(dir)).filter((n) => /^[0-9A-F]{24}$/.test(n));
	const stats = await Promise.all(names.map(async (n) => ({ n, mtime: (await stat(path.join(dir, n))).mtimeMs })));
	stats.sort((a, b) => b.mtime - a.mtime);
	for (const { n } of stats.slice(0, WAL_SEGMENTS_TO_SYNC)) await fsyncPath(path.join(dir, n));
	await fsyncPath(dir);
}

async function fsyncPath(file: string): Promise<void> {
	const handle = await open(file, 'r');
	try {
		await handle.sync();
	} finally {
		await handle.close();
	}
}

/** Dumps an embedded database's data directory, to start others from it with `pgliteTemplate`. */
export async function dumpPgliteTemplate(db: Database): Promise<Blob> {
	if (db.kind !== 'pglite') throw new Error('dumpPgliteTemplate needs an embedded (pglite) database');
	const client = (db.orm as unknown as { $client: PGlite }).$client;
	return client.dumpDataDir('none');
}

function wrap(kind: DatabaseKind, orm: Orm, close: () => Promise<void>, server?: ServerPool): Database {
	return {
		server,
		kind,
		orm,
		async rows<T>(query: SQL) {
			const result = (await orm.execute(query)) as unknown as { rows: T[] };
			return result.rows;
		},
		close
	};
}

/** Runs `work` in one transaction: all of it commits, or none of it. */
export async function inTransaction<T>(db: Database, work: (tx: Database) => Promise<T>): Promise<T> {
	return db.orm.transaction((tx) => work({ ...wrap(db.kind, tx as unknown as Orm, db.close, db.server), transaction: true }));
}

/**
 * Migrates on one connection holding a session advisory lock: app servers starting together take
 * turns, and the second finds the work done (drizzle's migrator takes no lock of its own). The lock
 * goes with the connection if the process dies. Only ever against the primary (DATABASE_URL).
 */
async function migrateUnderLock(pool: import('pg').Pool, migrationsFolder: string): Promise<void> {
	const client = await pool.connect();
	let broken: Error | undefined;
	try {
		await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
		try {
			await migratePg(drizzlePg(client, { schema }), { migrationsFolder });
		} finally {
			await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch((err) => (broken = err));
		}
	} catch (err) {
		broken = err as Error;
		throw err;
	} finally {
		client.release(broken);
	}
}

/** The advisory lock key of migrations: any constant no other lock in this database uses. */
const MIGRATION_LOCK_KEY = 0x70687573; // 'phus'

let shared: Promise<Database> | undefined;

/**
 * The process-wide database, opened on first use (never at import time: SvelteKit
 * imports server modules while it builds).
 */
export function getDatabase(): Promise<Database> {
	shared ??= openDatabase(readConfig()).catch((err) => {
		shared = undefined;
		throw err;
	});
	return shared;
}

/** The database a route's reads use: the replica the request was given (hooks, db/read.ts), else the primary. */
export async function databaseForReading(locals: { readDb?: Database | null }): Promise<Database> {
	return locals.readDb ?? getDatabase();
}

/** Closes the process-wide database, if open. */
export async function closeDatabase(): Promise<void> {
	const open = shared;
	shared = undefined;
	if (open) await (await open).close();
}
