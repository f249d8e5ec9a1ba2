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
		const result = await db.orm.execute(statement(sql`${chunk}::json`));
		inserted += (result as unknown as { rowCount?: number; affectedRows?: number }).rowCount ??
			(result as unknown as { affectedRows?: number }).affectedRows ??
			0;
	}
	return inserted;
}
