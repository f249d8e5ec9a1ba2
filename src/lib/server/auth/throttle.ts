import { sql } from 'drizzle-orm';
import type { Database } from '../db/index';

/**
 * Failed-login throttling with delays that grow (OWASP Authentication Cheat Sheet, "Account
 * lockout": prefer progressive delays to hard lockouts, which let anyone lock a victim out).
 *
 * - `pair` — one account from one client address: a few free tries, then the wait doubles per
 *   failure. A stranger guessing an admin's password from elsewhere slows only themselves.
 * - `address` — one client address over all accounts, counting each account once (its first
 *   failure from there in the window): catches spraying many accounts from one place; its
 *   threshold is high and its longest wait short, so people behind one NAT are at most slowed,
 *   never locked out for long.
 *
 * Counters live in the database, so a restart does not reset them; a window without failures
 * forgets them.
 */
export const THROTTLE = {
	pair: { freeFailures: 3, firstDelayS: 2, maxDelayS: 15 * 60, windowMinutes: 30 },
	address: { freeFailures: 20, firstDelayS: 1, maxDelayS: 5 * 60, windowMinutes: 15 }
} as const;

export type ThrottleScope = keyof typeof THROTTLE;

/** The wait in seconds after the `failures`-th failure in a scope: 0 while free, then doubling to the cap. */
export function throttleDelaySeconds(scope: ThrottleScope, failures: number): number {
	const { freeFailures, firstDelayS, maxDelayS } = THROTTLE[scope];
	if (failures <= freeFailures) return 0;
	return Math.min(maxDelayS, firstDelayS * 2 ** Math.min(30, failures - freeFailures - 1));
}

/** The key of a scope: account + address for `pair`, the address alone for `address`. */
export function throttleKey(scope: 'pair', email: string, address: string): string;
export function throttleKey(scope: 'address', address: string): string;
export function throttleKey(scope: ThrottleScope, first: string, second?: string): string {
	return scope === 'pair' ? `pair:${first.toLowerCase()}|${second}` : `address:${first.toLowerCase()}`;
}

/** Seconds until the last of `keys` is unlocked, or 0 when none is waiting. */
export async function lockedForSeconds(db: Database, keys: string[], now = new Date()): Promise<number> {
	const [row] = await db.rows<{ until: Date | string | null }>(sql`
		select max(locked_until) as until from login_throttle
		where key in ${sql`(${sql.join(keys.map((k) => sql`${k}`), sql`, `)})`} and locked_until > ${now.toISOString()}`);
	return row?.until ? Math.ceil((new Date(row.until).getTime() - now.getTime()) / 1000) : 0;
}

/**
 * Counts one failure under `key` and sets the wait that count earns. Returns the failures in
 * the window and the wait imposed (0 while free).
 */
export async function recordFailure(db: Database, scope: ThrottleScope, key: string, now = new Date()): Promise<{ failures: number; delayS: number }> {
	const windowStart = new Date(now.getTime() - THROTTLE[scope].windowMinutes * 60_000).toISOString();
	const [row] = await db.rows<{ failures: number }>(sql`
		insert into login_throttle as t (key, failures, window_started_at, locked_until)
		values (${key}, 1, ${now.toISOString()}, null)
		on conflict (key) do update set
			-- The window restarts when the last failure is older than it.
			failures = case when t.window_started_at < ${windowStart} then 1 else t.failures + 1 end,
			window_started_at = ${now.toISOString()}::timestamptz
		returning failures`);
	const delayS = throttleDelaySeconds(scope, row.failures);
	if (delayS > 0) {
		await db.orm.execute(sql`update login_throttle set locked_until = ${new Date(now.getTime() + delayS * 1000).toISOString()} where key = ${key}`);
	}
	return { failures: row.failures, delayS };
}

/** Forgets the failures under `key` (after a successful sign-in, or an admin's reset). */
export async function clearFailures(db: Database, key: string): Promise<void> {
	await db.orm.execute(sql`delete from login_throttle where key = ${key}`);
}

/** Forgets every pair counter of an account (an admin's reset or a new password). */
export async function clearAccountFailures(db: Database, email: string): Promise<void> {
	await db.orm.execute(sql`delete from login_throttle where key like ${`pair:${email.toLowerCase().replace(/[\\%_]/g, '\\$&')}|%`}`);
}
