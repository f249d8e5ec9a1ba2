import { sql } from 'drizzle-orm';
import { cellToDecimal } from '../grid/h3';
import type { Database } from './db/index';

/** The measured layer's change log (drizzle/0017): which res-9 cells changed, by data version. */

/**
 * Logs the res-9 cells a change touched (drizzle/0017: the fused layer refuses only those). The
 * version is drawn now, while this transaction holds the measured data-version row (its writes
 * bumped it), so versions follow commit order — the trigger's own value is drawn before it waits
 * for that row — and the logged version is the one readers see after the commit.
 */
export async function logChanges(tx: Database, cells: readonly string[]): Promise<void> {
	if (cells.length === 0) return;
	const list = `{${cells.map(cellToDecimal).join(',')}}`;
	await tx.orm.execute(sql`
		with v as (update data_versions set version = nextval('data_version_seq'), changed_at = now() where layer = 'measured' returning version)
		insert into measured_changes (version, cell) select v.version, c from v, unnest(${list}::bigint[]) as c`);
}

/** Log entries older than this are pruned by the daily job (a cache older than that recomputes in full). */
const CHANGE_LOG_DAYS = 7;

/** Prunes the change log (the daily job); the log is then complete only after the newest pruned version. */
export async function pruneChangeLog(db: Database): Promise<void> {
	await db.orm.execute(sql`
		with gone as (delete from measured_changes where logged_at < now() - make_interval(days => ${CHANGE_LOG_DAYS}) returning version)
		update measured_state set changes_from = greatest(changes_from, (select max(version) from gone)) where exists (select 1 from gone)`);
}

/**
 * The res-9 cells whose measurements changed after measured version `from` up to `to`, or null
 * when the log cannot say (a rebuild or a prune since, or versions out of order).
 */
export async function measuredChangesBetween(db: Database, from: bigint, to: bigint): Promise<string[] | null> {
	if (to <= from) return null;
	const [state] = await db.rows<{ changes_from: string }>(sql`select changes_from::text as changes_from from measured_state`);
	if (BigInt(state.changes_from) > from) return null;
	const rows = await db.rows<{ h3: string }>(sql`select distinct to_hex(cell) as h3 from measured_changes where version > ${from.toString()}::bigint and version <= ${to.toString()}::bigint`);
	return rows.map((r) => r.h3);
}
