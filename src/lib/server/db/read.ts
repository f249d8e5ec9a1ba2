import { sql } from 'drizzle-orm';
import type { Database } from './index';

/**
 * Where a read goes when the server has read replicas (DATABASE_READ_URL; issue 20).
 *
 * Replicas are PostgreSQL streaming replicas: they replay the primary's write-ahead log a little
 * behind it. A read that must see a write already made — the caller's own report, say — carries
 * the primary's WAL position after that write (an LSN, from {@link primaryLsn}); a replica serves
 * it only once it has replayed that far (`pg_last_wal_replay_lsn()`), otherwise the primary does.
 * A replica that is unreachable is passed over until its pool recovers. Every query of one
 * request goes to the one handle chosen, so a request's data and the data versions its caches
 * and ETags rest on always come from the same database.
 */

/** An LSN ("16/B374D848": two hex halves of a 64-bit WAL position) as a number to compare. */
export function parseLsn(lsn: string): bigint {
	const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(lsn.trim());
	if (!match) throw new Error(`not an LSN: "${lsn.slice(0, 40)}"`);
	return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

/** Whether `text` is an LSN (a cookie's value is the client's to change). */
export const isLsn = (text: string | undefined | null): text is string => !!text && /^[0-9A-Fa-f]{1,8}\/[0-9A-Fa-f]{1,8}$/.test(text);

/** How long a replica's replayed position is reused before asking again. */
const REPLAY_TTL_MS = 100;
const replayed = new WeakMap<Database, { at: number; lsn: Promise<bigint | null> }>();

/** How far a replica has replayed (null: not a replica, or it did not answer). */
function replayLsn(replica: Database): Promise<bigint | null> {
	const known = replayed.get(replica);
	if (known && Date.now() - known.at < REPLAY_TTL_MS) return known.lsn;
	const lsn = replica
		.rows<{ lsn: string | null }>(sql`select pg_last_wal_replay_lsn()::text as lsn`)
		.then(([row]) => (row?.lsn ? parseLsn(row.lsn) : null))
		.catch((err) => (replica.server?.observe(err), null));
	replayed.set(replica, { at: Date.now(), lsn });
	return lsn;
}

let turn = 0;

/**
 * The handle a read-only request uses: a replica in turn that is up and, given `minLsn`, has
 * replayed at least that far; otherwise the primary `db` itself.
 */
export async function readDatabase(db: Database, minLsn: string | null = null): Promise<Database> {
	const replicas = db.replicas ?? [];
	if (replicas.length === 0) return db;
	const wanted = minLsn !== null && isLsn(minLsn) ? parseLsn(minLsn) : null;
	const start = turn++ % replicas.length;
	for (let i = 0; i < replicas.length; i++) {
		const replica = replicas[(start + i) % replicas.length];
		if (replica.server?.unavailableSince() != null && !(await replica.server.probe())) continue;
		if (wanted === null) return replica;
		const at = await replayLsn(replica);
		if (at !== null && at >= wanted) return replica;
	}
	return db;
}

/** The primary's current WAL position: any later read from a replica at or past it sees what was committed before. */
export async function primaryLsn(db: Database): Promise<string> {
	const [row] = await db.rows<{ lsn: string }>(sql`select pg_current_wal_lsn()::text as lsn`);
	return row.lsn;
}
