import { refreshAnalysis, RETIRE_INTERVAL_MS, runRetirement } from './analysis';
import { runIfDue, type ScheduledJob } from './scheduled';
import { readConfig } from './config';
import { getDatabase } from './db/index';
import { DEMO_ACCOUNTS, ensureDemoAccounts, hasDemoAccounts } from './demo-accounts';
import { seedDemoProvince } from './demo-seed';
import { hasAnyAccount } from './accounts';
import { checkHealth } from './health';
import { readDemoProvinces } from './meta';

/** The province `npm start` loads into an empty embedded database. */
export const DEFAULT_DEMO_PROVINCE = '04';

/**
 * Opens and migrates the database before the first request. An empty EMBEDDED database gets
 * the demo province; a DATABASE_URL database never gets demo data unless the CLI is asked.
 */
export async function startApp(log: (line: string) => void = console.log): Promise<void> {
	const config = readConfig();
	const started = Date.now();
	const db = await getDatabase();
	// Before the demo seed: on a new database this is instant and the seed then keeps the layer current.
	const refreshing = Date.now();
	for (const done of await refreshAnalysis(db)) log(`Analysis: ${done} (${((Date.now() - refreshing) / 1000).toFixed(1)} s).`);
	const health = await checkHealth(db);
	if (db.kind === 'pglite' && health.counts.communes === 0 && process.env.PHU_SONG_NO_DEMO !== '1') {
		log('Empty embedded database: loading the demo province (real boundaries, SYNTHETIC towers and reports)…');
		await seedDemoProvince(db, DEFAULT_DEMO_PROVINCE, { dataRoot: config.dataRoot, log });
	}
	// A demo database without any account (new, or made before accounts existed) gets the demo ones.
	// A demo database keeps every demo account (one added since it was made, too).
	if (db.kind === 'pglite' && Object.keys(await readDemoProvinces(db)).length > 0 && (!(await hasAnyAccount(db)) || (await hasDemoAccounts(db)))) {
		await ensureDemoAccounts(db);
	}
	if (db.kind === 'pglite' && (await hasDemoAccounts(db))) {
		log('DEMO-ONLY accounts (public passwords; this embedded demo database only):');
		for (const a of DEMO_ACCOUNTS) log(`  ${a.role.padEnd(8)} ${a.email.padEnd(26)} ${a.password}${a.operatorCode ? `  (${a.operatorCode})` : ''}${a.communeCode ? `  (commune ${a.communeCode})` : ''}`);
	}
	scheduleRetirement(log);
	const where = db.kind === 'pglite' ? `embedded PGlite + PostGIS at ${config.dataDir}` : 'PostGIS server (DATABASE_URL)';
	log(`Phủ Sóng database ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${where}`);
	log(`Open http://localhost:${process.env.PORT || 3000}/ in a browser.`);
}

/** The retention job: due every RETIRE_INTERVAL_MS, once across all app servers (scheduled.ts). */
export const RETIREMENT_JOB: ScheduledJob = { name: 'retirement', everyMs: RETIRE_INTERVAL_MS, leaseMs: 60 * 60_000 };

/** Asks every 10 minutes whether the retention job is due; the server that claims it runs it. */
function scheduleRetirement(log: (line: string) => void): void {
	const run = async () => {
		try {
			const outcome = await runIfDue(await getDatabase(), RETIREMENT_JOB, async () => runRetirement(await getDatabase()));
			if (outcome.ran && outcome.result > 0) log(`Retired ${outcome.result} reports older than the measured window.`);
		} catch (err) {
			log(`Retiring old reports failed (will retry): ${(err as Error).message}`);
		}
	};
	void run();
	setInterval(run, 10 * 60_000).unref();
}
