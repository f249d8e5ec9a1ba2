import { sql, type SQL } from 'drizzle-orm';
import type { Database } from './index';

/**
 * Inserts records in chunks, each chunk one statement with a single JSON parameter that the
 * statement unpacks with `json_to_recordset`: one round trip per chunk on both drivers, and
 * no string-built SQL.
 */
export async function insertJsonChunks<T>(
	db: Database,
	records: readonly T[],
	statement: (json: SQL) => SQL,
	chunkSize = 5000
): Promise<number> {
	let inserted = 0;
	for (let start = 0; start < records.length; start += chunkSize) {
		const chunk = JSON.stringify(records.slice(start, start + chunkSize));
		inserted += affectedRowCount(await db.orm.execute(statement(sql`${chunk}::json`)));
	}
	return inserted;
}

/** As {@link insertJsonChunks}, for statements that return rows (`returning …`): all chunks' rows. */
export async function returningJsonChunks<T, R>(db: Database, records: readonly T[], statement: (json: SQL) => SQL, chunkSize = 5000): Promise<R[]> {
	const out: R[] = [];
	for (let start = 0; start < records.length; start += chunkSize) {
		const chunk = JSON.stringify(records.slice(start, start + chunkSize));
		out.push(...(await db.rows<R>(statement(sql`${chunk}::json`))));
	}
	return out;
}

/** Rows a write statement affected: node-postgres says `rowCount`, PGlite `affectedRows`. */
export function affectedRowCount(result: unknown): number {
	const r = result as { rowCount?: number | null; affectedRows?: number };
	return r.rowCount ?? r.affectedRows ?? 0;
}
