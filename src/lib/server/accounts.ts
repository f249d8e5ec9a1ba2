import { sql } from 'drizzle-orm';
import { ROLES, type Role } from '../auth/roles';
import { recordAudit, type Actor } from './audit';
import { hashPassword, passwordProblem } from './auth/passwords';
import { deleteAccountSessions } from './auth/sessions';
import { clearAccountFailures } from './auth/throttle';
import { hashToken, newToken } from './auth/tokens';
import type { Database } from './db/index';

/** An account as admins see it: never the password hash. */
export interface AccountSummary {
	id: number;
	email: string;
	displayName: string;
	role: Role;
	operatorCode: string | null;
	communeCode: string | null;
	disabled: boolean;
	hasPassword: boolean;
	demo: boolean;
	createdAt: string;
	lastLoginAt: string | null;
}

export interface NewAccount {
	email: string;
	displayName: string;
	role: Role;
	operatorCode?: string | null;
	/** A commune officer's commune (2025 code). */
	communeCode?: string | null;
	password?: string;
	demo?: boolean;
}

/** A refused account change, with a message fit to show. */
export class AccountError extends Error {
	constructor(
		readonly field: string,
		message: string
	) {
		super(`${field}: ${message}`);
		this.name = 'AccountError';
	}
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** An invitation or reset link stays valid this long. */
const TOKEN_HOURS = 72;

function validate(input: NewAccount): void {
	if (!EMAIL.test(input.email.trim())) throw new AccountError('email', `"${input.email}" is not an email address`);
	if (input.displayName.trim() === '') throw new AccountError('displayName', 'must not be empty');
	if (!ROLES.includes(input.role)) throw new AccountError('role', `must be one of ${ROLES.join(', ')}, got "${input.role}"`);
	if (input.role === 'operator' && !input.operatorCode) throw new AccountError('operatorCode', 'an operator liaison needs an operator');
	if (input.role !== 'operator' && input.operatorCode) throw new AccountError('operatorCode', 'only operator liaisons have an operator');
	if (input.role === 'commune' && !input.communeCode) throw new AccountError('communeCode', 'a commune officer needs a commune');
	if (input.role !== 'commune' && input.communeCode) throw new AccountError('communeCode', 'only commune officers have a commune');
	if (input.password !== undefined) {
		const problem = passwordProblem(input.password);
		if (problem) throw new AccountError('password', problem);
	}
}

/** Creates an account, with a password (CLI, demo) or without one (to be invited). */
export async function createAccount(db: Database, actor: Actor, input: NewAccount): Promise<number> {
	validate(input);
	const email = input.email.trim().toLowerCase();
	const [existing] = await db.rows<{ id: number }>(sql`select id from accounts where email = ${email}`);
	if (existing) throw new AccountError('email', `an account for ${email} already exists`);
	if (input.operatorCode) {
		const [op] = await db.rows<{ code: string }>(sql`select code from operators where code = ${input.operatorCode}`);
		if (!op) throw new AccountError('operatorCode', `unknown operator "${input.operatorCode}"`);
	}
	if (input.communeCode) {
		const [commune] = await db.rows<{ code: string }>(sql`select code from communes where code = ${input.communeCode} limit 1`);
		if (!commune) throw new AccountError('communeCode', `no commune with code "${input.communeCode}" is loaded`);
	}
	const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
	const [row] = await db.rows<{ id: number }>(sql`
		insert into accounts (email, display_name, role, operator_code, commune_code, password_hash, demo)
		values (${email}, ${input.displayName.trim()}, ${input.role}, ${input.operatorCode ?? null}, ${input.communeCode ?? null}, ${passwordHash}, ${input.demo ?? false})
		returning id`);
	await recordAudit(db, actor, 'account.create', email, { role: input.role, operatorCode: input.operatorCode ?? null, communeCode: input.communeCode ?? null, withPassword: passwordHash !== null });
	return row.id;
}

async function issuePasswordToken(db: Database, accountId: number, purpose: 'invite' | 'reset', now: Date): Promise<string> {
	const token = newToken();
	await db.orm.execute(sql`delete from password_tokens where account_id = ${accountId}`);
	await db.orm.execute(sql`
		insert into password_tokens (token_hash, account_id, purpose, expires_at)
		values (${hashToken(token)}, ${accountId}, ${purpose}, ${new Date(now.getTime() + TOKEN_HOURS * 3600_000).toISOString()})`);
	return token;
}

/** Creates an account without a password and returns the one-time token of its invitation link. */
export async function inviteAccount(db: Database, actor: Actor, input: Omit<NewAccount, 'password'>, now = new Date()): Promise<string> {
	const id = await createAccount(db, actor, input);
	return issuePasswordToken(db, id, 'invite', now);
}

async function accountEmail(db: Database, accountId: number): Promise<string> {
	const [row] = await db.rows<{ email: string }>(sql`select email from accounts where id = ${accountId}`);
	if (!row) throw new AccountError('account', `no account with id ${accountId}`);
	return row.email;
}

/** Disables an account and ends its sessions; it can no longer sign in. */
export async function disableAccount(db: Database, actor: Actor, accountId: number): Promise<void> {
	if (actor.accountId === accountId) throw new AccountError('account', 'you cannot disable your own account');
	const email = await accountEmail(db, accountId);
	await db.orm.execute(sql`update accounts set disabled_at = now() where id = ${accountId} and disabled_at is null`);
	await deleteAccountSessions(db, accountId);
	await recordAudit(db, actor, 'account.disable', email);
}

/** Enables a disabled account again. */
export async function enableAccount(db: Database, actor: Actor, accountId: number): Promise<void> {
	const email = await accountEmail(db, accountId);
	await db.orm.execute(sql`update accounts set disabled_at = null where id = ${accountId}`);
	await clearAccountFailures(db, email);
	await recordAudit(db, actor, 'account.enable', email);
}

/**
 * Resets an account: removes its password, ends its sessions and clears its throttle, and returns
 * the one-time token of a link to set a new password.
 */
export async function resetAccount(db: Database, actor: Actor, accountId: number, now = new Date()): Promise<string> {
	const email = await accountEmail(db, accountId);
	await db.orm.execute(sql`update accounts set password_hash = null where id = ${accountId}`);
	await deleteAccountSessions(db, accountId);
	await clearAccountFailures(db, email);
	const token = await issuePasswordToken(db, accountId, 'reset', now);
	await recordAudit(db, actor, 'account.reset', email);
	return token;
}

/** The account a still-valid one-time token belongs to, or null. */
export async function accountForPasswordToken(db: Database, token: string, now = new Date()): Promise<{ id: number; email: string } | null> {
	const [row] = await db.rows<{ id: number; email: string }>(sql`
		select a.id, a.email from password_tokens t join accounts a on a.id = t.account_id
		where t.token_hash = ${hashToken(token)} and t.expires_at > ${now.toISOString()} and a.disabled_at is null`);
	return row ?? null;
}

/** Sets a password from a one-time link; the token is used up. */
export async function setPasswordWithToken(db: Database, token: string, password: string, now = new Date()): Promise<string> {
	const account = await accountForPasswordToken(db, token, now);
	if (!account) throw new AccountError('token', 'this link is invalid or has expired; ask an administrator for a new one');
	const problem = passwordProblem(password);
	if (problem) throw new AccountError('password', problem);
	await db.orm.execute(sql`update accounts set password_hash = ${await hashPassword(password)} where id = ${account.id}`);
	await db.orm.execute(sql`delete from password_tokens where account_id = ${account.id}`);
	await deleteAccountSessions(db, account.id);
	await recordAudit(db, { accountId: account.id, label: account.email }, 'account.set_password', account.email);
	return account.email;
}

/** Every account, for the admin page. */
export async function listAccounts(db: Database): Promise<AccountSummary[]> {
	const rows = await db.rows<{ id: number; email: string; display_name: string; role: Role; operator_code: string | null; commune_code: string | null; disabled_at: unknown; has_password: boolean; demo: boolean; created_at: Date | string; last_login_at: Date | string | null }>(sql`
		select id, email, display_name, role, operator_code, commune_code, disabled_at, password_hash is not null as has_password, demo, created_at, last_login_at
		from accounts order by role, email`);
	return rows.map((r) => ({
		id: r.id,
		email: r.email,
		displayName: r.display_name,
		role: r.role,
		operatorCode: r.operator_code,
		communeCode: r.commune_code,
		disabled: r.disabled_at !== null,
		hasPassword: r.has_password,
		demo: r.demo,
		createdAt: new Date(r.created_at).toISOString(),
		lastLoginAt: r.last_login_at ? new Date(r.last_login_at).toISOString() : null
	}));
}

/** Whether any account exists (the first one is made with the CLI, or the demo ones at start). */
export async function hasAnyAccount(db: Database): Promise<boolean> {
	const [row] = await db.rows<{ n: number }>(sql`select count(*)::int as n from accounts`);
	return row.n > 0;
}
