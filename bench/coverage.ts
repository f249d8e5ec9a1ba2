/**
 * bench/coverage — the measured-coverage layer (issue 10) on a province of 1,000,000 synthetic
 * reports, on the embedded database and on a PostGIS server, each beside baselines measured in
 * the same run:
 *   - full rebuild, beside a raw GROUP BY of the reports' precomputed res-9 cells and an
 *     INSERT … SELECT of those aggregate rows into an indexed table (goal: ≤ 1.5× that insert;
 *     ≤ 3 s on PostGIS);
 *   - incremental update of 1,000 new reports, p50/p95 (goal ≤ 100 ms PostGIS, ≤ 250 ms embedded),
 *     beside the rebuild it replaces;
 *   - GET /api/coverage/cells for the province at res 7 (public), 50 connections × 30 s with
 *     autocannon, with and without If-None-Match, beside recomputing the view from the reports per
 *     request (goal p95 ≤ 50 ms PostGIS, ≤ 100 ms embedded); payload bytes per view; peak RSS.
 *
 * The reports: the demo province's 30,000 synthetic reports (src/lib/server/demo-seed.ts), copied
 * 33 times with shifted days (over 330 days), ±5 dB of noise and each device reporting as eight
 * (about 30,000 reporters of ~33 reports each). SYNTHETIC, seeded (setseed), Cao Bằng's real communes.
 *
 *   npm run bench:coverage -- [--reports N] [--duration S] [--connections N] [--database-url postgres://…] [--skip-embedded]
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import { inTransaction, openDatabase, type Database } from '../src/lib/server/db/index';
import { seedDemoProvince } from '../src/lib/server/demo-seed';
import { communesExtent } from '../src/lib/server/communes';
import { rebuildMeasured, updateMeasured } from '../src/lib/server/measured';
import { reportsWithKeys } from '../src/lib/server/measured-reports';
import { h3ParentSql, signalClassSql } from '../src/lib/server/signal-sql';
import { spawnApp, waitForHealth, type AppProcess } from '../tests/helpers/app-process';
import { freshPostgisDatabase, growReports, timed, withPeakRss } from './lib/province';
import { percentile, printTable } from './lib/stats';

const { values } = parseArgs({
	options: {
		reports: { type: 'string', default: '1000000' },
		duration: { type: 'string', default: '30' },
		connections: { type: 'string', default: '50' },
		'database-url': { type: 'string' },
		'skip-embedded': { type: 'boolean', default: false }
	}
});
const target = Number(values.reports);
const duration = Number(values.duration);
const connections = Number(values.connections);
const serverUrl = values['database-url'] ?? process.env.TEST_DATABASE_URL;
const migrationsDir = path.resolve('drizzle');
type Column = Record<string, string>;

/** The baselines: the cheapest aggregate of the same reports, and writing its rows into an indexed table. */
async function baselines(db: Database): Promise<{ groupByMs: number; insertMs: number; rows: number }> {
	const groups = sql`select h3_res9 as cell, coalesce(operator_code, '*') as op, coalesce(technology, '*') as tech, count(*)::int as n
		from signal_reports where observed_at >= (select window_start from measured_state) group by 1, 2, 3`;
	const [groupByMs, rows] = await timed(() => db.rows<{ n: number }>(sql`select count(*)::int as n from (${groups}) g`));
	await db.orm.execute(sql`drop table if exists bench_aggregate`);
	await db.orm.execute(sql`create table bench_aggregate (cell bigint, op text, tech text, n int, primary key (cell, op, tech))`);
	const [insertMs] = await timed(() => db.orm.execute(sql`insert into bench_aggregate ${groups}`));
	await db.orm.execute(sql`drop table bench_aggregate`);
	return { groupByMs, insertMs, rows: rows[0].n };
}

class Rollback extends Error {}

/** Where the new reports of one timed run come from. */
type Arrivals = 'scattered' | 'clustered' | 'single';

/**
 * New reports, applied and rolled back, the update alone timed: `scattered` — 1,000 copies of
 * random reports province-wide (the issue's case: every coarse cell touched; drawn by `random()`,
 * not a page sample, which is one place since reports are partitioned by place); `clustered` — 1,000
 * from one res-7 area, as a drive-test import along a route; `single` — one resident's report.
 */
async function incremental(db: Database, runs: number, arrivals: Arrivals): Promise<{ times: number[]; floor: number[]; keys: number[] }> {
	const times: number[] = [];
	const floor: number[] = [];
	const keys: number[] = [];
	for (let i = 0; i < runs + 2; i++) {
		await inTransaction(db, async (tx) => {
			const picked =
				arrivals === 'scattered'
					? sql`select * from signal_reports order by random() limit 1000`
					: arrivals === 'clustered'
						? sql`select * from signal_reports where ${h3ParentSql(sql`h3_res9`, 7)} = (select ${h3ParentSql(sql`h3_res9`, 7)} from signal_reports order by id limit 1 offset ${(i * 7919) % 30_000}) limit 1000`
						: sql`select * from signal_reports order by id limit 1 offset ${(i * 7919) % 30_000}`;
			const rows = await tx.rows<{ id: string; h3: string }>(sql`
				insert into signal_reports (source_kind, operator_code, technology, rsrp_dbm, rssi_dbm, signal_bars, no_service, download_mbps, upload_mbps,
					observed_at, h3_res9, reporter_key, synthetic, geom, dedupe_key)
				select source_kind, operator_code, technology, rsrp_dbm, rssi_dbm, signal_bars, no_service, download_mbps, upload_mbps,
					now() - interval '1 hour', h3_res9, 'bench-' || ${i}::text || '-' || (row_number() over ()) % 300, true, geom, gen_random_uuid()
				from (${picked}) p
				returning id::text as id, h3_res9::text as h3`);
			const [ms] = await timed(() => updateMeasured(tx, reportsWithKeys(rows), 1));
			// The floor: the keys this update wrote (this transaction's row versions), written again
			// unchanged — what PostgreSQL alone takes to rewrite that many rows, before any computing.
			const written = await tx.rows<{ region: number; res: number; cell: string; op: string; tech: string }>(sql`
				select region, res, cell::text as cell, operator_code as op, technology as tech from measured_cells
				where xmin::text::bigint = txid_current() % 4294967296`);
			const [floorMs] = await timed(() =>
				tx.orm.execute(sql`
					update measured_cells m set reports = m.reports
					from json_to_recordset(${JSON.stringify(written)}::json) as k(region smallint, res smallint, cell text, op text, tech text)
					where m.region = k.region and m.res = k.res and m.cell = k.cell::bigint and m.operator_code = k.op and m.technology = k.tech`)
			);
			if (i >= 2) times.push(ms), floor.push(floorMs), keys.push(written.length); // two warm-ups
			throw new Rollback();
		}).catch((err) => {
			if (!(err instanceof Rollback)) throw err;
		});
	}
	return { times: times.sort((a, b) => a - b), floor: floor.sort((a, b) => a - b), keys };
}

/** The same view recomputed from the reports, as a per-request answer would have to. */
async function recomputeView(db: Database): Promise<number[]> {
	const times: number[] = [];
	for (let i = 0; i < 5; i++) {
		const [ms] = await timed(() =>
			db.rows(sql`
				select c.cell, count(*) as reports, count(distinct c.reporter_key) as reporters,
					percentile_disc(0.5) within group (order by c.rsrp_dbm) as median_dbm, count(*) filter (where c.cls = 'dead') as dead
				from (select ${h3ParentSql(sql`r.h3_res9`, 7)} as cell, r.reporter_key, r.rsrp_dbm, ${signalClassSql()} as cls from signal_reports r) c
				group by c.cell having count(distinct c.reporter_key) >= 3`)
		);
		times.push(ms);
	}
	return times.sort((a, b) => a - b);
}

async function load(url: string, headers: Record<string, string>) {
	const times: number[] = [];
	const result = await new Promise<autocannon.Result>((resolve, reject) => {
		const instance = autocannon({ url, connections, duration, headers, timeout: 10 }, (err, r) => (err ? reject(err) : resolve(r)));
		instance.on('response', (_c, _s, _b, ms) => times.push(ms));
	});
	times.sort((a, b) => a - b);
	const bad = result.non2xx - ('if-none-match' in headers ? result['3xx'] : 0) + result.errors + result.timeouts;
	return `${percentile(times, 50).toFixed(0)}/${percentile(times, 95).toFixed(0)}/${percentile(times, 99).toFixed(0)} (${result.requests.average.toFixed(0)} req/s${bad ? `, ${bad} failed` : ''})`;
}

async function rssMb(pid: number): Promise<number> {
	return Number(/VmHWM:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

const bboxOf = async (db: Database) => (await communesExtent(db, '2025'))!.map((v) => v.toFixed(4)).join(',');

async function serve(app: AppProcess, bbox: string, column: Column): Promise<void> {
	for (const res of [6, 7, 8]) {
		const response = await fetch(`${app.baseUrl}/api/coverage/cells?bbox=${bbox}&res=${res}`);
		const body = Buffer.from(await response.arrayBuffer());
		column[`payload res ${res}: cells, kB (gzip kB)`] = `${JSON.parse(body.toString()).cells.length}, ${(body.length / 1024).toFixed(0)} (${(gzipSync(body).length / 1024).toFixed(0)})`;
	}
	const url = `${app.baseUrl}/api/coverage/cells?bbox=${bbox}&res=7`;
	const etag = (await fetch(url)).headers.get('etag') ?? '';
	column[`API res 7, ${connections} conn: p50/p95/p99 ms`] = await load(url, { 'accept-encoding': 'gzip' });
	column[`API res 7, If-None-Match: p50/p95/p99 ms`] = await load(url, { 'accept-encoding': 'gzip', 'if-none-match': etag });
	column['API server peak RSS (MB)'] = (await rssMb(app.process.pid!)).toFixed(0);
}

async function measure(db: Database, column: Column): Promise<void> {
	const [growMs, reports] = await timed(() => growReports(db, target));
	column['reports (synthetic)'] = reports.toLocaleString('en');
	column['generating them (s, not measured work)'] = (growMs / 1000).toFixed(1);
	const base = await baselines(db);
	column['baseline GROUP BY res-9 cells (ms)'] = `${base.groupByMs.toFixed(0)} (${base.rows.toLocaleString('en')} rows)`;
	column['baseline INSERT … SELECT, indexed (ms)'] = base.insertMs.toFixed(0);
	const [peak, [rebuildMs]] = await withPeakRss(() => timed(() => inTransaction(db, (tx) => rebuildMeasured(tx))));
	column['full rebuild (ms)'] = rebuildMs.toFixed(0);
	column['rebuild ÷ INSERT baseline (goal ≤ 1.5)'] = (rebuildMs / base.insertMs).toFixed(1);
	column['rebuild peak RSS (MB)'] = peak.toFixed(0);
	const [{ keys, bytes }] = await db.rows<{ keys: number; bytes: string }>(sql`select count(*)::int as keys, sum(octet_length(state))::text as bytes from measured_cells`);
	column['keys stored, state MB'] = `${keys.toLocaleString('en')}, ${(Number(bytes) / 2 ** 20).toFixed(0)}`;
	for (const [arrivals, label, short] of [
		['scattered', 'incremental 1,000 reports, scattered p50/p95 (ms)', 'scattered'],
		['clustered', 'incremental 1,000 reports, one area p50/p95 (ms)', 'one area'],
		['single', 'incremental 1 report p50/p95 (ms)', 'one report']
	] as const) {
		const inc = await incremental(db, 20, arrivals);
		column[label] = `${percentile(inc.times, 50).toFixed(0)}/${percentile(inc.times, 95).toFixed(0)}`;
		const keys = Math.round(inc.keys.reduce((a, b) => a + b, 0) / inc.keys.length);
		column[`  ${short}: keys written; floor, the same rows rewritten unchanged p50/p95 (ms)`] =
			`${keys.toLocaleString('en')}; ${percentile(inc.floor, 50).toFixed(0)}/${percentile(inc.floor, 95).toFixed(0)}`;
	}
	const per = await recomputeView(db);
	column['baseline: recompute res-7 view per request p50 (ms)'] = percentile(per, 50).toFixed(0);
}

async function benchPostgis(url: string): Promise<Column> {
	const benchUrl = await freshPostgisDatabase(url, 'phu_song_bench_coverage');
	const db = await openDatabase({ databaseUrl: benchUrl, dataDir: '', migrationsDir });
	const column: Column = {};
	try {
		await seedDemoProvince(db, '04', { dataRoot: path.resolve('data'), log: () => {} });
		await measure(db, column);
		const app = await spawnApp({ DATABASE_URL: benchUrl });
		await waitForHealth(app);
		await serve(app, await bboxOf(db), column);
		app.process.kill('SIGTERM');
		await app.exited;
	} finally {
		await db.close();
	}
	return column;
}

async function benchEmbedded(): Promise<Column> {
	const dataDir = await mkdtemp(path.join(os.tmpdir(), 'phu-song-bench-coverage-'));
	const column: Column = {};
	try {
		const db = await openDatabase({ databaseUrl: undefined, dataDir, migrationsDir });
		await seedDemoProvince(db, '04', { dataRoot: path.resolve('data'), log: () => {} });
		await measure(db, column);
		const bbox = await bboxOf(db);
		await db.close();
		const app = await spawnApp({ PHU_SONG_DATA_DIR: dataDir });
		await waitForHealth(app, 600_000);
		await serve(app, bbox, column);
		app.process.kill('SIGTERM');
		await app.exited;
	} finally {
		await rm(dataDir, { recursive: true, force: true });
	}
	return column;
}

const columns: [string, Column][] = [];
if (!values['skip-embedded']) columns.push(['embedded PGlite', await benchEmbedded()]);
if (serverUrl) columns.push(['PostGIS server', await benchPostgis(serverUrl)]);
else console.log('No PostGIS server given (--database-url or TEST_DATABASE_URL): the PostGIS column is left out.');
const labels = [...new Set(columns.flatMap(([, c]) => Object.keys(c)))];
printTable(
	`bench/coverage — ${target.toLocaleString('en')} synthetic reports, ${os.cpus().length} cores, Node ${process.version}; goals: rebuild ≤ 1.5× INSERT and ≤ 3 s PostGIS; incremental 1,000 p95 ≤ 100 ms PostGIS / 250 ms embedded; API p95 ≤ 50 / 100 ms`,
	columns.map(([name]) => name),
	labels.map((label) => [label, columns.map(([, c]) => c[label] ?? '—')])
);
