import { sql } from 'drizzle-orm';
import type { Database } from './db/index';

/** Who made a change: an account, the CLI (on behalf of an email), or the system itself. */
export interface Actor {
	accountId: number | null;
	label: string;
}

export const SYSTEM_ACTOR: Actor = { accountId: null, label: 'system' };

/** The actor for a CLI run: `--as <email>` when given, else the operating-system user. */
export function cliActor(asEmail: string | undefined, osUser: string): Actor {
	return { accountId: null, label: `cli:${asEmail?.trim().toLowerCase() || osUser}` };
}

export interface AuditEntry {
	id: number;
	at: string;
	actorLabel: string;
	action: string;
	target: string | null;
	details: Record<string, unknown> | null;
}

/** Records one change. Callers never put passwords or tokens in `details`. */
export async function recordAudit(
	db: Database,
	actor: Actor,
	action: string,
	target: string | null = null,
	details: Record<string, unknown> | null = null
): Promise<void> {
	await db.orm.execute(sql`
		insert into audit_log (actor_account_id, actor_label, action, target, details)
		values (${actor.accountId}, ${actor.label}, ${action}, ${target}, ${details === null ? null : JSON.stringify(details)}::jsonb)`);
}

/** The most recent audit entries, newest first, optionally before an id (for paging). */
export async function listAudit(db: Database, { limit = 100, beforeId }: { limit?: number; beforeId?: number } = {}): Promise<AuditEntry[]> {
	const rows = await db.rows<{ id: string | number; at: Date | string; actor_label: string; action: string; target: string | null; details: Record<string, unknown> | null }>(sql`
		select id, at, actor_label, action, target, details from audit_log
		where ${beforeId === undefined ? sql`true` : sql`id < ${beforeId}`}
		order by id desc limit ${limit}`);
	return rows.map((r) => ({
		id: Number(r.id),
		at: new Date(r.at).toISOString(),
		actorLabel: r.actor_label,
		action: r.action,
		target: r.target,
		details: r.details
	}));
}
