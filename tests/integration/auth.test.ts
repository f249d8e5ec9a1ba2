import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AccountError, createAccount, disableAccount, enableAccount, inviteAccount, resetAccount, setPasswordWithToken } from '../../src/lib/server/accounts';
import { SYSTEM_ACTOR } from '../../src/lib/server/audit';
import { login } from '../../src/lib/server/auth/login';
import { deleteSession, resolveSession } from '../../src/lib/server/auth/sessions';
import { THROTTLE, throttleDelaySeconds } from '../../src/lib/server/auth/throttle';
import type { Database } from '../../src/lib/server/db/index';
import { insertCommunes } from '../../src/lib/server/communes';
import { makeCommune } from '../helpers/factories';
import { openTestDatabase, resetDatabase } from '../helpers/db';

let db: Database;
const policy = { idleMinutes: 30, absoluteHours: 8 };
const PASSWORD = 'correct horse battery';
const t0 = new Date('2026-11-24T08:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const signIn = (email: string, password = PASSWORD, clientAddress = '203.0.113.5', now = t0) =>
	login(db, { email, password, clientAddress }, policy, now);

beforeAll(async () => {
	db = await openTestDatabase();
});
beforeEach(async () => {
	await resetDatabase(db);
	await createAccount(db, SYSTEM_ACTOR, { email: 'Planner@Example.vn', displayName: 'P', role: 'planner', password: PASSWORD });
});
afterAll(() => db?.close());

describe(`accounts and sign-in (${process.env.TEST_DB})`, () => {
	it('signs in with the right password, whatever the email case, and resolves the session', async () => {
		const result = await signIn('  PLANNER@example.vn ');
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		const user = await resolveSession(db, result.token, policy, at(1));
		expect(user).toMatchObject({ email: 'planner@example.vn', role: 'planner', operatorCode: null });
		expect(JSON.stringify(user)).not.toMatch(/argon2|hash/i);
	});

	it.each([
		['a wrong password', 'planner@example.vn', 'wrong password!!'],
		['an unknown email', 'nobody@example.vn', PASSWORD]
	])('refuses %s with the same answer', async (_case, email, password) => {
		expect(await signIn(email, password)).toEqual({ ok: false, reason: 'invalid' });
	});

	it('makes one account from one address wait longer after each failure past the free ones, then lets the right password in', async () => {
		const { freeFailures } = THROTTLE.pair;
		let minute = 0;
		for (let i = 0; i < freeFailures; i++) expect(await signIn('planner@example.vn', 'nope-nope-nope', '203.0.113.5', at(minute++))).toEqual({ ok: false, reason: 'invalid' });
		// The next failures each earn a wait that doubles: 2 s, 4 s, 8 s…
		const waits: number[] = [];
		let now = at(minute);
		for (let i = 0; i < 3; i++) {
			expect(await signIn('planner@example.vn', 'nope-nope-nope', '203.0.113.5', now)).toEqual({ ok: false, reason: 'invalid' });
			const refused = await signIn('planner@example.vn', PASSWORD, '203.0.113.5', now);
			expect(refused).toMatchObject({ ok: false, reason: 'throttled' });
			const wait = refused.ok === false && refused.reason === 'throttled' ? refused.retryAfterS : 0;
			waits.push(wait);
			now = new Date(now.getTime() + wait * 1000);
		}
		expect(waits).toEqual([2, 4, 8].map((s) => throttleDelaySeconds('pair', freeFailures + 1) * (s / 2)));
		// Once the wait has passed, the right password signs in and the counter is forgotten.
		expect((await signIn('planner@example.vn', PASSWORD, '203.0.113.5', now)).ok).toBe(true);
		const audited = await db.rows<{ n: number }>(sql`select count(*)::int as n from audit_log where action = 'auth.throttled'`);
		expect(audited[0].n).toBe(3);
	});

	it('does not let a stranger lock the owner out: failures elsewhere leave the owner\'s address alone', async () => {
		// The stranger guesses on, waiting out each delay, until the wait exceeds a minute (well
		// before the address-wide threshold, so this is the account+address counter at work).
		let now = t0;
		let wait = 0;
		let failures = 0;
		while (wait <= 60 && failures < THROTTLE.address.freeFailures) {
			const r = await signIn('planner@example.vn', 'nope-nope-nope', '198.51.100.99', now);
			if (r.ok === false && r.reason === 'throttled') {
				wait = r.retryAfterS;
				if (wait <= 60) now = new Date(now.getTime() + wait * 1000);
			} else failures++;
		}
		expect(failures).toBeLessThan(THROTTLE.address.freeFailures);
		expect(await signIn('planner@example.vn', PASSWORD, '198.51.100.99', now)).toMatchObject({ ok: false, reason: 'throttled' });
		expect(wait).toBeGreaterThan(60);
		expect((await signIn('planner@example.vn', PASSWORD, '203.0.113.5', now)).ok).toBe(true);
	});

	it('forgets earlier failures after a successful sign-in', async () => {
		for (let i = 0; i < THROTTLE.pair.freeFailures; i++) await signIn('planner@example.vn', 'nope-nope-nope');
		expect((await signIn('planner@example.vn')).ok).toBe(true);
		for (let i = 0; i < THROTTLE.pair.freeFailures; i++) await signIn('planner@example.vn', 'nope-nope-nope');
		expect((await signIn('planner@example.vn')).ok).toBe(true);
	});

	it('slows one client address spraying many accounts, with a short cap, and no other address', async () => {
		for (let i = 0; i < THROTTLE.address.freeFailures + 1; i++) await signIn(`user${i}@example.vn`, 'nope-nope-nope', '192.0.2.66');
		expect(await signIn('planner@example.vn', PASSWORD, '192.0.2.66')).toMatchObject({ ok: false, reason: 'throttled' });
		expect((await signIn('planner@example.vn', PASSWORD, '192.0.2.67')).ok).toBe(true);
		// However many failures, one address never waits longer than the cap.
		let now = t0;
		let throttled = 0;
		for (let i = 0; i < 15; i++) {
			const r = await signIn(`other${i}@example.vn`, 'nope-nope-nope', '192.0.2.66', now);
			if (r.ok === false && r.reason === 'throttled') {
				expect(r.retryAfterS).toBeLessThanOrEqual(THROTTLE.address.maxDelayS);
				now = new Date(now.getTime() + r.retryAfterS * 1000);
				throttled++;
			}
		}
		expect(throttled).toBeGreaterThan(0);
		expect(await signIn('planner@example.vn', PASSWORD, '192.0.2.66', new Date(now.getTime() + (THROTTLE.address.maxDelayS + 1) * 1000))).toMatchObject({ ok: true });
	});

	it('lets one person mistyping behind a NAT slow only themselves', async () => {
		await createAccount(db, SYSTEM_ACTOR, { email: 'neighbour@example.vn', displayName: 'N', role: 'planner', password: PASSWORD });
		let now = t0;
		for (let i = 0; i < 40; i++) {
			const r = await signIn('planner@example.vn', 'nope-nope-nope', '192.0.2.70', now);
			if (r.ok === false && r.reason === 'throttled') now = new Date(now.getTime() + r.retryAfterS * 1000);
		}
		expect((await signIn('neighbour@example.vn', PASSWORD, '192.0.2.70', now)).ok).toBe(true);
	});

	it('ends a session when idle too long, at its absolute expiry, and at logout', async () => {
		const a = await signIn('planner@example.vn');
		if (!a.ok) throw new Error('sign-in failed');
		expect(await resolveSession(db, a.token, policy, at(29))).not.toBeNull();
		expect(await resolveSession(db, a.token, policy, at(29 + 31))).toBeNull();

		const b = await signIn('planner@example.vn', PASSWORD, '203.0.113.5', at(100));
		if (!b.ok) throw new Error('sign-in failed');
		// Active every 20 minutes, still ends 8 hours after sign-in.
		for (let m = 120; m < 100 + 8 * 60; m += 20) expect(await resolveSession(db, b.token, policy, at(m))).not.toBeNull();
		expect(await resolveSession(db, b.token, policy, at(100 + 8 * 60))).toBeNull();

		const c = await signIn('planner@example.vn');
		if (!c.ok) throw new Error('sign-in failed');
		await deleteSession(db, c.token);
		expect(await resolveSession(db, c.token, policy, at(1))).toBeNull();
	});

	it('gives every sign-in a new session token and stores only its hash', async () => {
		const a = await signIn('planner@example.vn');
		const b = await signIn('planner@example.vn');
		if (!a.ok || !b.ok) throw new Error('sign-in failed');
		expect(a.token).not.toBe(b.token);
		const rows = await db.rows<{ token_hash: string }>(sql`select token_hash from sessions`);
		expect(rows.map((r) => r.token_hash)).not.toContain(a.token);
		expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(true);
	});

	it('refuses a disabled account and ends its sessions; enabling lets it back in', async () => {
		const session = await signIn('planner@example.vn');
		if (!session.ok) throw new Error('sign-in failed');
		const [{ id }] = await db.rows<{ id: number }>(sql`select id from accounts where email = 'planner@example.vn'`);
		await disableAccount(db, SYSTEM_ACTOR, id);
		expect(await resolveSession(db, session.token, policy, at(1))).toBeNull();
		expect(await signIn('planner@example.vn')).toEqual({ ok: false, reason: 'invalid' });
		await enableAccount(db, SYSTEM_ACTOR, id);
		expect((await signIn('planner@example.vn')).ok).toBe(true);
	});

	it('invites with a one-time link and resets a password the same way', async () => {
		const token = await inviteAccount(db, SYSTEM_ACTOR, { email: 'liaison@viettel.example', displayName: 'L', role: 'operator', operatorCode: 'viettel' });
		expect(await signIn('liaison@viettel.example', '')).toEqual({ ok: false, reason: 'invalid' });
		await setPasswordWithToken(db, token, 'a brand new password');
		await expect(setPasswordWithToken(db, token, 'another new password')).rejects.toThrow(/invalid or has expired/);
		const ok = await signIn('liaison@viettel.example', 'a brand new password');
		expect(ok.ok).toBe(true);

		const [{ id }] = await db.rows<{ id: number }>(sql`select id from accounts where email = 'liaison@viettel.example'`);
		const resetToken = await resetAccount(db, SYSTEM_ACTOR, id);
		if (!ok.ok) return;
		expect(await resolveSession(db, ok.token, policy, at(1))).toBeNull();
		expect((await signIn('liaison@viettel.example', 'a brand new password')).ok).toBe(false);
		await setPasswordWithToken(db, resetToken, 'the third password');
		expect((await signIn('liaison@viettel.example', 'the third password')).ok).toBe(true);
	});

	it.each([
		[{ email: 'not-an-email', role: 'planner' }, /email: "not-an-email" is not an email address/],
		[{ email: 'o@x.vn', role: 'operator' }, /operatorCode: an operator liaison needs an operator/],
		[{ email: 'o@x.vn', role: 'planner', operatorCode: 'viettel' }, /operatorCode: only operator liaisons/],
		[{ email: 'o@x.vn', role: 'operator', operatorCode: 'nokia' }, /operatorCode: unknown operator "nokia"/],
		[{ email: 'planner@example.vn', role: 'planner' }, /already exists/],
		[{ email: 'c@x.vn', role: 'commune' }, /communeCode: a commune officer needs a commune/],
		[{ email: 'c@x.vn', role: 'planner', communeCode: '01501' }, /communeCode: only commune officers have a commune/],
		[{ email: 'c@x.vn', role: 'commune', communeCode: '99999' }, /communeCode: no commune with code "99999" is loaded/]
	] as const)('refuses account %j', async (input, message) => {
		await expect(createAccount(db, SYSTEM_ACTOR, { displayName: 'X', password: PASSWORD, ...input })).rejects.toThrow(AccountError);
		await expect(createAccount(db, SYSTEM_ACTOR, { displayName: 'X', password: PASSWORD, ...input })).rejects.toThrow(message);
	});

	it('a commune officer belongs to a loaded commune, and the session says which', async () => {
		await insertCommunes(db, [makeCommune({ code: '01501', name: 'Đàm Thuỷ' })]);
		await createAccount(db, SYSTEM_ACTOR, { email: 'officer@damthuy.example', displayName: 'O', role: 'commune', communeCode: '01501', password: PASSWORD });
		const result = await signIn('officer@damthuy.example');
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(await resolveSession(db, result.token, policy, at(1))).toMatchObject({ role: 'commune', communeCode: '01501', operatorCode: null });
		await db.orm.execute(sql`delete from accounts where email = 'officer@damthuy.example'`);
		await db.orm.execute(sql`truncate communes cascade`);
	});

	it('audits sign-ins and account changes without passwords or tokens', async () => {
		const token = await inviteAccount(db, SYSTEM_ACTOR, { email: 'new@example.vn', displayName: 'N', role: 'planner' });
		await setPasswordWithToken(db, token, 'the new password x');
		const session = await signIn('new@example.vn', 'the new password x');
		await signIn('new@example.vn', 'a wrong password');
		const rows = await db.rows<{ action: string; text: string }>(sql`select action, (coalesce(target, '') || ' ' || coalesce(details::text, '')) as text from audit_log order by id`);
		expect(rows.map((r) => r.action)).toEqual(['account.create', 'account.create', 'account.set_password', 'auth.login', 'auth.login_failed']);
		const all = rows.map((r) => r.text).join('\n');
		for (const secret of [PASSWORD, 'the new password x', 'a wrong password', token, session.ok ? session.token : 'x']) expect(all).not.toContain(secret);
	});
});
