import { sql } from 'drizzle-orm';
import type { Role } from '../auth/roles';
import { createAccount } from './accounts';
import { SYSTEM_ACTOR } from './audit';
import type { Database } from './db/index';

/**
 * One account per role for the embedded demo database only. Their passwords are public (printed
 * by `npm start` and in the README), which is why they never go into a DATABASE_URL database.
 */
export const DEMO_ACCOUNTS: readonly { email: string; displayName: string; role: Role; operatorCode: string | null; communeCode?: string; password: string }[] = [
	{ email: 'admin@demo.phusong.vn', displayName: 'Demo Admin', role: 'admin', operatorCode: null, password: 'demo-admin-2026' },
	{ email: 'planner@demo.phusong.vn', displayName: 'Demo Planner', role: 'planner', operatorCode: null, password: 'demo-planner-2026' },
	{ email: 'viettel@demo.phusong.vn', displayName: 'Demo Viettel liaison', role: 'operator', operatorCode: 'viettel', password: 'demo-viettel-2026' },
	{ email: 'vnpt@demo.phusong.vn', displayName: 'Demo VNPT liaison', role: 'operator', operatorCode: 'vnpt', password: 'demo-vnpt-2026' },
	// Đàm Thuỷ (Cao Bằng), the demo's border commune with a dead zone.
	{ email: 'damthuy@demo.phusong.vn', displayName: 'Demo Đàm Thuỷ commune officer', role: 'commune', operatorCode: null, communeCode: '01501', password: 'demo-commune-2026' }
];

/** Creates the demo accounts that are missing. */
export async function ensureDemoAccounts(db: Database): Promise<void> {
	if (db.kind !== 'pglite') throw new Error('demo accounts are only for the embedded demo database');
	for (const account of DEMO_ACCOUNTS) {
		const [existing] = await db.rows<{ id: number }>(sql`select id from accounts where email = ${account.email}`);
		if (existing) continue;
		// A commune officer only where the demo province holds that commune.
		if (account.communeCode && (await db.rows(sql`select 1 from communes where code = ${account.communeCode} limit 1`)).length === 0) continue;
		await createAccount(db, SYSTEM_ACTOR, { ...account, demo: true });
	}
}

/** Whether this database has demo accounts (the login page then says where to find them). */
export async function hasDemoAccounts(db: Database): Promise<boolean> {
	const [row] = await db.rows<{ n: number }>(sql`select count(*)::int as n from accounts where demo`);
	return row.n > 0;
}
