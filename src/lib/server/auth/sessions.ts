import { sql } from 'drizzle-orm';
import type { Role, SessionUser } from '../../auth/roles';
import type { Database } from '../db/index';
import { hashToken, newToken } from './tokens';

/** How long sessions live. */
export interface SessionPolicy {
	idleMinutes: number;
	absoluteHours: number;
}

// Refreshing last_seen_at on every request would be a write per request; once a minute is enough.
const TOUCH_AFTER_MS = 60_000;

/** Starts a session; returns the cookie token (never stored) and when it ends at the latest. */
export async function createSession(db: Database, accountId: number, policy: SessionPolicy, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
	const token = newToken();
	const expiresAt = new Date(now.getTime() + policy.absoluteHours * 3600_000);
	await db.orm.execute(sql`
		insert into sessions (token_hash, account_id, created_at, last_seen_at, expires_at)
		values (${hashToken(token)}, ${accountId}, ${now.toISOString()}, ${now.toISOString()}, ${expiresAt.toISOString()})`);
	return { token, expiresAt };
}

/**
 * The user behind a session token, or null when the token is unknown, idle too long, past its
 * absolute expiry, or its account is disabled. An ended session is deleted.
 */
export async function resolveSession(db: Database, token: string, policy: SessionPolicy, now = new Date()): Promise<SessionUser | null> {
	const tokenHash = hashToken(token);
	const [row] = await db.rows<{
		last_seen_at: Date | string;
		expires_at: Date | string;
		id: number;
		email: string;
		display_name: string;
		role: Role;
		operator_code: string | null;
		commune_code: string | null;
		demo: boolean;
		disabled_at: Date | string | null;
	}>(sql`
		select s.last_seen_at, s.expires_at, a.id, a.email, a.display_name, a.role, a.operator_code, a.commune_code, a.demo, a.disabled_at
		from sessions s join accounts a on a.id = s.account_id
		where s.token_hash = ${tokenHash}`);
	if (!row) return null;
	const lastSeen = new Date(row.last_seen_at).getTime();
	const ended = now.getTime() >= new Date(row.expires_at).getTime() || now.getTime() - lastSeen >= policy.idleMinutes * 60_000;
	if (ended || row.disabled_at !== null) {
		await deleteSession(db, token);
		return null;
	}
	if (now.getTime() - lastSeen > TOUCH_AFTER_MS) {
		await db.orm.execute(sql`update sessions set last_seen_at = ${now.toISOString()} where token_hash = ${tokenHash}`);
	}
	return { id: row.id, email: row.email, displayName: row.display_name, role: row.role, operatorCode: row.operator_code, communeCode: row.commune_code, demo: row.demo };
}

/** Ends one session (logout). */
export async function deleteSession(db: Database, token: string): Promise<void> {
	await db.orm.execute(sql`delete from sessions where token_hash = ${hashToken(token)}`);
}

/** Ends every session of an account (disable, password reset). */
export async function deleteAccountSessions(db: Database, accountId: number): Promise<void> {
	await db.orm.execute(sql`delete from sessions where account_id = ${accountId}`);
}

/** The session lifetimes a configuration sets. */
export function sessionPolicyOf(config: { sessionIdleMinutes: number; sessionAbsoluteHours: number }): SessionPolicy {
	return { idleMinutes: config.sessionIdleMinutes, absoluteHours: config.sessionAbsoluteHours };
}
