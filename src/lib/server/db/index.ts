import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import type { SQL } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { readConfig, type Config } from '../config';
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
}

/**
 * Opens (and migrates) the database that `config` selects. `pgliteTemplate`, a data-directory
 * dump, starts an embedded database from a copy instead of creating PostGIS anew (~10 s saved).
 */
export async function openDatabase(
	config: Pick<Config, 'databaseUrl' | 'dataDir' | 'migrationsDir'>,
	{ pgliteTemplate }: { pgliteTemplate?: Blob } = {}
): Promise<Database> {
	if (config.databaseUrl) {
		const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 10 });
		// Keep bigint h3 cells exact: node-postgres returns int8 as text by default, which is what we want.
		const orm = drizzlePg(pool, { schema });
		await migratePg(orm, { migrationsFolder: config.migrationsDir });
		return wrap('postgres', orm as unknown as Orm, () => pool.end());
	}
	const client = await PGlite.create({ dataDir: config.dataDir, extensions: { postgis }, loadDataDir: pgliteTemplate });
	const orm = drizzlePglite(client, { schema });
	await migratePglite(orm, { migrationsFolder: config.migrationsDir });
	return wrap('pglite', orm as unknown as Orm, () => client.close());
}

/** Dumps an embedded database's data directory, to start others from it with `pgliteTemplate`. */
export async function dumpPgliteTemplate(db: Database): Promise<Blob> {
	if (db.kind !== 'pglite') throw new Error('dumpPgliteTemplate needs an embedded (pglite) database');
	const client = (db.orm as unknown as { $client: PGlite }).$client;
	return client.dumpDataDir('none');
}

function wrap(kind: DatabaseKind, orm: Orm, close: () => Promise<void>): Database {
	return {
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
	return db.orm.transaction((tx) => work(wrap(db.kind, tx as unknown as Orm, db.close)));
}

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

/** Closes the process-wide database, if open. */
export async function closeDatabase(): Promise<void> {
	const open = shared;
	shared = undefined;
	if (open) await (await open).close();
}
