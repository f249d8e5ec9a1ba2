import { sql } from 'drizzle-orm';
import { recordAudit } from '../audit';
import type { Database } from '../db/index';
import { verifyPassword } from './passwords';
import { createSession, type SessionPolicy } from './sessions';
import { clearFailures, lockedForSeconds, recordFailure, throttleKey } from './throttle';

export type LoginResult =
	| { ok: true; token: string; expiresAt: Date; accountId: number }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'throttled'; retryAfterS: number };

/**
 * Signs in with email and password. A wrong email, a wrong password, a disabled account and an
 * account without a password all answer `invalid`, in about the same time, so the answer tells
 * nothing about which accounts exist.
 */
export async function login(
	db: Database,
	{ email, password, clientAddress }: { email: string; password: string; clientAddress: string },
	policy: SessionPolicy,
	now = new Date()
): Promise<LoginResult> {
	const normalised = email.trim().toLowerCase();
	const pairKey = throttleKey('pair', normalised, clientAddress);
	const addressKey = throttleKey('address', clientAddress);
	// A refusal while waiting is not a failure: it neither lengthens the wait nor reaches the password check.
	const retryAfterS = await lockedForSeconds(db, [pairKey, addressKey], now);
	if (retryAfterS > 0) return { ok: false, reason: 'throttled', retryAfterS };

	const [account] = await db.rows<{ id: number; password_hash: string | null; disabled_at: Date | null }>(sql`
		select id, password_hash, disabled_at from accounts where email = ${normalised}`);
	const passwordOk = await verifyPassword(account?.password_hash ?? null, password);
	if (!account || !passwordOk || account.disabled_at !== null) {
		const pair = await recordFailure(db, 'pair', pairKey, now);
		// The address counts accounts, not attempts: only an account's first failure from this
		// address in the window adds to it. Spraying many accounts is caught; one person mistyping
		// behind a NAT is the pair counter's business and never slows their neighbours.
		const address = pair.failures === 1 ? await recordFailure(db, 'address', addressKey, now) : { failures: 0, delayS: 0 };
		await recordAudit(db, { accountId: null, label: normalised }, 'auth.login_failed', normalised, {
			address: clientAddress,
			disabled: account?.disabled_at != null
		});
		const delayS = Math.max(pair.delayS, address.delayS);
		if (delayS > 0) {
			await recordAudit(db, { accountId: null, label: normalised }, 'auth.throttled', normalised, {
				address: clientAddress,
				scope: pair.delayS >= address.delayS ? 'account+address' : 'address',
				failures: pair.delayS >= address.delayS ? pair.failures : address.failures,
				waitSeconds: delayS
			});
		}
		return { ok: false, reason: 'invalid' };
	}
	await clearFailures(db, pairKey);
	const session = await createSession(db, account.id, policy, now);
	await db.orm.execute(sql`update accounts set last_login_at = ${now.toISOString()} where id = ${account.id}`);
	await recordAudit(db, { accountId: account.id, label: normalised }, 'auth.login', normalised, { address: clientAddress });
	return { ok: true, ...session, accountId: account.id };
}
