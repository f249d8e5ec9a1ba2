/**
 * bench/auth — what accounts cost: sign-in latency (argon2id included) and the latency a session
 * adds to every request, on the embedded database and on a PostGIS server, side by side.
 *
 *   npm run bench:auth -- [--scale N] [--database-url postgres://…]
 *
 * Baselines, same run: argon2id verification alone (the floor of a sign-in) and a `select 1`
 * round trip (the floor of any per-request query).
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { createAccount } from '../src/lib/server/accounts';
import { SYSTEM_ACTOR } from '../src/lib/server/audit';
import { login } from '../src/lib/server/auth/login';
import { hashPassword, verifyPassword } from '../src/lib/server/auth/passwords';
import { createSession, resolveSession } from '../src/lib/server/auth/sessions';
import { openDatabase, type Database } from '../src/lib/server/db/index';
import { printTable, timeRuns } from './lib/stats';

const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' }, 'database-url': { type: 'string' } } });
const scale = Math.max(1, Number(values.scale));
const databaseUrl = values['database-url'] ?? process.env.TEST_DATABASE_URL;
const migrationsDir = path.resolve('drizzle');
const policy = { idleMinutes: 240, absoluteHours: 72 };
const PASSWORD = 'bench-password-123';

async function measure(db: Database): Promise<Record<string, number>> {
	const email = `bench-${Date.now()}@example.vn`;
	const accountId = await createAccount(db, SYSTEM_ACTOR, { email, displayName: 'Bench', role: 'planner', password: PASSWORD });
	const logins = await timeRuns(50 * scale, () => login(db, { email, password: PASSWORD, clientAddress: '127.0.0.1' }, policy));
	const storedHash = await hashPassword(PASSWORD);
	const argon = await timeRuns(50 * scale, () => verifyPassword(storedHash, PASSWORD));
	const { token } = await createSession(db, accountId, policy);
	const resolve = await timeRuns(1000 * scale, () => resolveSession(db, token, policy));
	const roundTrip = await timeRuns(1000 * scale, () => db.rows(sql`select 1`));
	// Leave the database as found: the bench account, its sessions and audit rows go.
	await db.orm.execute(sql`delete from audit_log where target = ${email}`);
	await db.orm.execute(sql`delete from accounts where id = ${accountId}`);
	await db.orm.execute(sql`delete from login_throttle where key like ${'%' + email}`);
	return {
		loginP50: logins.p50,
		loginP95: logins.p95,
		argonP50: argon.p50,
		argonP95: argon.p95,
		resolveP50: resolve.p50,
		resolveP95: resolve.p95,
		selectP50: roundTrip.p50,
		selectP95: roundTrip.p95,
		rssMb: process.memoryUsage().rss / 2 ** 20
	};
}

const columns: { name: string; figures: Record<string, number> }[] = [];
const embedded = await openDatabase({ databaseUrl: undefined, dataDir: 'memory://', migrationsDir });
columns.push({ name: 'embedded PGlite', figures: await measure(embedded) });
await embedded.close();
if (databaseUrl) {
	const server = await openDatabase({ databaseUrl, dataDir: '', migrationsDir });
	columns.push({ name: 'PostGIS server', figures: await measure(server) });
	await server.close();
} else {
	console.log('No PostGIS server given (--database-url or TEST_DATABASE_URL): the PostGIS column is left out.');
}

const rows: [string, string][] = [
	['sign-in p50 (ms)', 'loginP50'],
	['sign-in p95 (ms)', 'loginP95'],
	['baseline: argon2id verify alone p50 (ms)', 'argonP50'],
	['baseline: argon2id verify alone p95 (ms)', 'argonP95'],
	['session resolve per request p50 (ms)', 'resolveP50'],
	['session resolve per request p95 (ms)', 'resolveP95'],
	['baseline: select 1 round trip p50 (ms)', 'selectP50'],
	['baseline: select 1 round trip p95 (ms)', 'selectP95'],
	['process RSS after (MB)', 'rssMb']
];
printTable(
	`bench/auth — scale ${scale} (${50 * scale} sign-ins, ${1000 * scale} session resolves), ${os.cpus().length} cores, Node ${process.version}`,
	columns.map((c) => c.name),
	rows.map(([label, key]) => [label, columns.map((c) => c.figures[key].toFixed(key === 'rssMb' ? 0 : 3))])
);
