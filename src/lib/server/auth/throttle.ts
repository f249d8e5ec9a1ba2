import { sql } from 'drizzle-orm';
import type { Database } from '../db/index';

/**
 * Failed-login throttling. Per account it slows guessing one password; per client address it
 * slows spraying many accounts from one place. Counters live in the database, so a restart does
 * not reset them. Limits follow OWASP's Authentication Cheat Sheet (lockout after a handful of
 * failures, for a limited time).
 */
export const THROTTLE = {
	account: { maxFailures: 5, windowMinutes: 15, lockMinutes: 15 },
	address: { maxFailures: 30, windowMinutes: 15, lockMinutes: 15 }
} as const;

type Scope = keyof typeof THROTTLE;

export const throttleKey = (scope: Scope, value: string) => `${scope}:${value.toLowerCase()}`;

/** Seconds until the first of `keys` is unlocked, or 0 when none is locked. */
export async function lockedForSeconds(db: Database, keys: string[], now = new Date()): Promise<number> {
	const [row] = await db.rows<{ until: Date | string | null }>(sql`
		select max(locked_until) as until from login_throttle
		where key in ${sql`(${sql.join(keys.map((k) => sql`${k}`), sql`, `)})`} and locked_until > ${now.toISOString()}`);
	return row?.until ? Math.ceil((new Date(row.until).getTime() - now.getTime()) / 1000) : 0;
}

/** Counts one failure under `key`; locks it once the scope's limit is reached within its window. */
export async function recordFailure(db: Database, scope: Scope, key: string, now = new Date()): Promise<void> {
	const { maxFailures, windowMinutes, lockMinutes } = THROTTLE[scope];
	const windowStart = new Date(now.getTime() - windowMinutes * 60_000).toISOString();
	const lockUntil = new Date(now.getTime() + lockMinutes * 60_000).toISOString();
	await db.orm.execute(sql`
		insert into login_throttle as t (key, failures, window_started_at, locked_until)
		values (${key}, 1, ${now.toISOString()}, ${maxFailures <= 1 ? lockUntil : null})
		on conflict (key) do update set
			failures = case when t.window_started_at < ${windowStart} then 1 else t.failures + 1 end,
			window_started_at = case when t.window_started_at < ${windowStart} then ${now.toISOString()}::timestamptz else t.window_started_at end,
			locked_until = case
				when (case when t.window_started_at < ${windowStart} then 1 else t.failures + 1 end) >= ${maxFailures} then ${lockUntil}::timestamptz
				else t.locked_until end`);
}

/** Forgets the failures under `key` (after a successful sign-in, or an admin's reset). */
export async function clearFailures(db: Database, key: string): Promise<void> {
	await db.orm.execute(sql`delete from login_throttle where key = ${key}`);
}
