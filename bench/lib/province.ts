/** What the database benchmarks share: a fresh PostGIS database, a grown report set, timing and peak memory. */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { Database } from '../../src/lib/server/db/index';

/** Milliseconds `work` took, and its value. */
export async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
	const t = performance.now();
	const value = await work();
	return [performance.now() - t, value];
}

/** Peak RSS (MB) of this process while `work` runs (sampled every 20 ms), and its value. */
export async function withPeakRss<T>(work: () => Promise<T>): Promise<[number, T]> {
	let peak = process.memoryUsage().rss;
	const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
	try {
		const value = await work();
		return [Math.max(peak, process.memoryUsage().rss) / 2 ** 20, value];
	} finally {
		clearInterval(timer);
	}
}

/** Drops and creates database `name` with PostGIS on the server at `url`; returns its URL. */
export async function freshPostgisDatabase(url: string, name: string): Promise<string> {
	const admin = new pg.Client({ connectionString: url });
	await admin.connect();
	// WITH (FORCE): an autovacuum worker still on the last run's tables would block a plain DROP.
	await admin.query(`drop database if exists ${name} with (force)`);
	await admin.query(`create database ${name}`);
	await admin.end();
	const benchUrl = Object.assign(new URL(url), { pathname: `/${name}` }).toString();
	const ext = new pg.Client({ connectionString: benchUrl });
	await ext.connect();
	await ext.query('create extension postgis');
	await ext.end();
	return benchUrl;
}

/**
 * Grows the seeded demo's reports to `target` by seeded copies: shifted days (over 330 days),
 * ±5 dB of noise and each device reporting as eight. SYNTHETIC. The measured layer is not updated
 * (the caller rebuilds it, and times that or not). Returns the report count.
 */
export async function growReports(db: Database, target: number): Promise<number> {
	const [{ n }] = await db.rows<{ n: number }>(sql`select count(*)::int as n from signal_reports`);
	const copies = Math.max(0, Math.ceil(target / n) - 1);
	await db.orm.execute(sql`select setseed(0.2026)`);
	await db.orm.execute(sql`
		insert into signal_reports (source_kind, operator_code, technology, rsrp_dbm, rssi_dbm, signal_bars, no_service, download_mbps, upload_mbps,
			observed_at, h3_res9, reporter_key, synthetic, geom, dedupe_key)
		select s.source_kind, s.operator_code, s.technology,
			case when s.rsrp_dbm is null then null else greatest(-140, least(-44, s.rsrp_dbm + random() * 10 - 5)) end,
			case when s.rssi_dbm is null then null else s.rssi_dbm + random() * 10 - 5 end,
			s.signal_bars, s.no_service, s.download_mbps, s.upload_mbps,
			s.observed_at - ((g * 10) % 330) * interval '1 day', s.h3_res9,
			case when s.reporter_key is null then null else s.reporter_key || '-' || (g % 8) end, true, s.geom, gen_random_uuid()
		from (select * from signal_reports order by id limit ${target}) s cross join generate_series(1, ${copies}) g`);
	await db.orm.execute(sql`delete from signal_reports where id in (select id from signal_reports order by id desc offset ${target})`);
	await db.orm.execute(sql`analyze signal_reports`);
	const [{ m }] = await db.rows<{ m: number }>(sql`select count(*)::int as m from signal_reports`);
	return m;
}

export type Column = Record<string, string>;

/**
 * Runs `measure` on the seeded demo province (Cao Bằng) in a fresh PostGIS database `name` on the
 * server at `serverUrl` (when given) and in a fresh embedded one (unless skipped), each filling its
 * column of figures; returns the columns, the server's first. The benchmarks' common harness.
 */
export async function onDemoDatabases(
	name: string,
	{ serverUrl, skipEmbedded = false }: { serverUrl?: string; skipEmbedded?: boolean },
	measure: (db: Database, column: Column) => Promise<void>
): Promise<[string, Column][]> {
	const { mkdtemp, rm } = await import('node:fs/promises');
	const os = await import('node:os');
	const path = await import('node:path');
	const { openDatabase } = await import('../../src/lib/server/db/index');
	const { seedDemoProvince } = await import('../../src/lib/server/demo-seed');
	const migrationsDir = path.resolve('drizzle');
	const seed = (db: Database) => seedDemoProvince(db, '04', { dataRoot: path.resolve('data'), log: () => {} });
	const columns: [string, Column][] = [];
	if (serverUrl) {
		const db = await openDatabase({ databaseUrl: await freshPostgisDatabase(serverUrl, name), dataDir: '', migrationsDir });
		const column: Column = {};
		try {
			await seed(db);
			await measure(db, column);
		} finally {
			await db.close();
		}
		columns.push(['PostGIS server', column]);
	} else console.log('No PostGIS server given (--database-url or TEST_DATABASE_URL): the PostGIS column is left out.');
	if (!skipEmbedded) {
		const dataDir = await mkdtemp(path.join(os.tmpdir(), `${name.replace(/_/g, '-')}-`));
		const column: Column = {};
		try {
			const db = await openDatabase({ databaseUrl: undefined, dataDir, migrationsDir });
			await seed(db);
			await measure(db, column);
			await db.close();
		} finally {
			await rm(dataDir, { recursive: true, force: true });
		}
		columns.push(['embedded PGlite', column]);
	}
	return columns;
}
