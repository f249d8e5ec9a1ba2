import { readConfig } from './config';
import { getDatabase } from './db/index';
import { seedDemoProvince } from './demo-seed';
import { checkHealth } from './health';

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
	const health = await checkHealth(db);
	if (db.kind === 'pglite' && health.counts.communes === 0 && process.env.PHU_SONG_NO_DEMO !== '1') {
		log('Empty embedded database: loading the demo province (real boundaries, SYNTHETIC towers and reports)…');
		await seedDemoProvince(db, DEFAULT_DEMO_PROVINCE, { dataRoot: config.dataRoot, log });
	}
	const where = db.kind === 'pglite' ? `embedded PGlite + PostGIS at ${config.dataDir}` : 'PostGIS server (DATABASE_URL)';
	log(`Phủ Sóng database ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${where}`);
	log(`Open http://localhost:${process.env.PORT || 3000}/ in a browser.`);
}
