import { sql } from 'drizzle-orm';
import type { Database } from './index';

/** Bytes the current database takes (tables, indexes, TOAST; not the WAL). */
export async function databaseSizeBytes(db: Database): Promise<number> {
	const [row] = await db.rows<{ bytes: string | number }>(sql`select pg_database_size(current_database()) as bytes`);
	return Number(row.bytes);
}

/**
 * Rewrites every table without its dead rows (VACUUM FULL) and checkpoints, so the files shrink to
 * what the live rows need. Plain VACUUM (run after a crash) only makes the room reusable.
 */
export async function compactDatabase(db: Database): Promise<void> {
	await db.orm.execute(sql`vacuum full`);
	// On a server CHECKPOINT needs superuser or pg_checkpoint, and its checkpointer runs anyway.
	if (db.kind === 'pglite') await db.orm.execute(sql`checkpoint`);
}
