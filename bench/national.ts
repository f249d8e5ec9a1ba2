/**
 * bench/national — Phủ Sóng at national scale (issue 20) on the PostGIS server: a SYNTHETIC nation
 * of 34 provinces and 3,321 communes (square communes of ~100 km², provinces in two columns along
 * Vietnam's length), 60,000 sites and 20,000,000 reports clustered around 12 villages a commune,
 * then:
 *
 * - load time: communes, sites, and the reports (a million made in Node with their H3 cells,
 *   the rest copies of them in SQL over other days and reporters);
 * - full coverage rebuild: the measured layer from every report, and predictions for every site
 *   (no terrain loaded);
 * - one province's incremental update: a 20,000-row drive test of one province imported through
 *   the import pipeline (rows, measured cells and the layers resting on them, in its transaction);
 *   and its recomputation: the measured keys below its resolution-6 cells, from their reports,
 *   in their partitions only (drizzle/0022);
 * - the public map API through nginx (deploy/nginx/phu-song.conf) at 200 concurrent connections
 *   (autocannon) with 1 and then 2 app servers, p50/p95/p99 and requests/s, with the CPU seconds
 *   each process used meanwhile (on 2 cores the ratio shows overheads, not scaling); baseline in
 *   the same run: one app server alone, without nginx;
 * - the database's size, and the peak memory of each process.
 *
 *   npm run build && npm run bench:national -- [--reports 20000000] [--sites 60000] [--duration 20]
 *     [--connections 200] [--database-url postgres://…]
 *
 * Goal (issue 20): it runs within an hour on this machine.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import type { MultiPolygon } from 'geojson';
import { SYSTEM_ACTOR } from '../src/lib/server/audit';
import { insertCommunes, type CommuneInput } from '../src/lib/server/communes';
import { inTransaction, openDatabase, type Database } from '../src/lib/server/db/index';
import { insertJsonChunks } from '../src/lib/server/db/bulk';
import { runAnyImport } from '../src/lib/server/import/any';
import { ancestorsOfProvince, rebuildMeasured } from '../src/lib/server/measured';
import { predictCoverage } from '../src/lib/server/predicted';
import { insertTowers, type TowerInput } from '../src/lib/server/towers';
import { cellOfPosition, cellToDecimal } from '../src/lib/grid/h3';
import { createRandom } from '../src/lib/random/prng';
import { spawnApp, waitForHealth, type AppProcess } from '../tests/helpers/app-process';
import { childPids, cpuSeconds, peakRssMb, startNginx, treeCpuSeconds } from '../scripts/lib/deployment';
import { freshPostgisDatabase, timed, withPeakRss } from './lib/province';
import { percentile, printTable } from './lib/stats';

const { values } = parseArgs({
	options: {
		reports: { type: 'string', default: '20000000' },
		sites: { type: 'string', default: '60000' },
		provinces: { type: 'string', default: '34' },
		communes: { type: 'string', default: '3321' },
		duration: { type: 'string', default: '20' },
		connections: { type: 'string', default: '200' },
		'database-url': { type: 'string' }
	}
});
const REPORTS = Number(values.reports);
const SITES = Number(values.sites);
const PROVINCES = Number(values.provinces);
const COMMUNES = Number(values.communes);
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
const serverUrl = values['database-url'] ?? process.env.TEST_DATABASE_URL;
if (!serverUrl) throw new Error('bench/national needs a PostGIS server: --database-url or TEST_DATABASE_URL');
const BASE_REPORTS = Math.min(REPORTS, 1_000_000);
/** A commune: a square of this many degrees (~10 km: ~100 km², Vietnam's 331,000 km² / 3,321). */
const COMMUNE_DEG = 0.09;
const OPERATORS = ['viettel', 'vnpt', 'mobifone'];
const started = Date.now();
const log = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(5)} s] ${line}`);

/** Where province `p`'s commune `i` lies: provinces in two columns from the south up, ten communes a row. */
function communeOrigin(p: number, i: number): [number, number] {
	const rowsPerProvince = Math.ceil(COMMUNES / PROVINCES / 10);
	const lon0 = 104.6 + (p % 2) * (10 * COMMUNE_DEG + 0.05);
	const lat0 = 8.7 + Math.floor(p / 2) * (rowsPerProvince * COMMUNE_DEG + 0.05);
	return [lon0 + (i % 10) * COMMUNE_DEG, lat0 + Math.floor(i / 10) * COMMUNE_DEG];
}

interface SyntheticCommune {
	code: string;
	province: number;
	origin: [number, number];
	/** Where its reports cluster. */
	villages: [number, number][];
}

/** Villages per commune, and how far around one its reports fall (~0.4 km): a few res-9 cells each. */
const VILLAGES_PER_COMMUNE = 12;
const VILLAGE_SPREAD_DEG = 0.004;

function syntheticNation(): { communes: SyntheticCommune[]; inputs: CommuneInput[] } {
	const communes: SyntheticCommune[] = [];
	const random = createRandom(3321);
	for (let p = 0; p < PROVINCES; p++) {
		const count = Math.floor(COMMUNES / PROVINCES) + (p < COMMUNES % PROVINCES ? 1 : 0);
		for (let i = 0; i < count; i++) {
			const origin = communeOrigin(p, i);
			const villages = Array.from({ length: VILLAGES_PER_COMMUNE }, (): [number, number] => [origin[0] + random.uniform(0.01, COMMUNE_DEG - 0.01), origin[1] + random.uniform(0.01, COMMUNE_DEG - 0.01)]);
			communes.push({ code: `S${String(p + 1).padStart(2, '0')}${String(i + 1).padStart(3, '0')}`, province: p, origin, villages });
		}
	}
	const inputs = communes.map((c): CommuneInput => {
		const [x, y] = c.origin;
		const ring: [number, number][] = [[x, y], [x + COMMUNE_DEG, y], [x + COMMUNE_DEG, y + COMMUNE_DEG], [x, y + COMMUNE_DEG], [x, y]];
		return {
			code: c.code,
			boundarySet: '2025',
			name: `Xã Tổng Hợp ${c.code} (SYNTHETIC)`,
			kind: 'Xã',
			provinceCode: `S${String(c.province + 1).padStart(2, '0')}`,
			provinceName: `Tỉnh Tổng Hợp ${c.province + 1} (SYNTHETIC)`,
			districtCode: null,
			population: 9000,
			households: 2400,
			householdsSynthetic: true,
			areaKm2: 100,
			source: 'bench/national SYNTHETIC',
			geometry: { type: 'MultiPolygon', coordinates: [[ring]] } as MultiPolygon
		};
	});
	return { communes, inputs };
}

/** The base reports, made here with their H3 cells, inserted raw (the rebuild is timed apart). */
async function insertBaseReports(db: Database, communes: SyntheticCommune[]): Promise<void> {
	const random = createRandom(20_2026);
	const now = Date.now();
	const CHUNK = 50_000;
	for (let start = 0; start < BASE_REPORTS; start += CHUNK) {
		const rows = [];
		for (let k = start; k < Math.min(BASE_REPORTS, start + CHUNK); k++) {
			const c = communes[k % communes.length];
			// People report where they live and travel: around a commune's villages, not evenly.
			const [vx, vy] = c.villages[Math.floor(k / communes.length) % c.villages.length];
			const lng = vx + random.uniform(-VILLAGE_SPREAD_DEG, VILLAGE_SPREAD_DEG);
			const lat = vy + random.uniform(-VILLAGE_SPREAD_DEG, VILLAGE_SPREAD_DEG);
			const dead = random.uniform(0, 1) < 0.05;
			rows.push({
				op: OPERATORS[k % 3],
				rsrp: dead ? null : Math.round(random.uniform(-128, -70)),
				dead,
				at: new Date(now - random.uniform(0, 300) * 86_400_000).toISOString(),
				h3: cellToDecimal(cellOfPosition([lng, lat])),
				who: `nation-${c.code}-${k % 40}`,
				lng,
				lat
			});
		}
		await insertJsonChunks(
			db,
			rows,
			(json) => sql`
			insert into signal_reports (source_kind, operator_code, technology, rsrp_dbm, no_service, observed_at, h3_res9, reporter_key, synthetic, dedupe_key, geom)
			select 'app', r.op, '4G', r.rsrp, r.dead, r.at, r.h3::bigint, r.who, true, gen_random_uuid(), ST_SetSRID(ST_MakePoint(r.lng, r.lat), 4326)
			from json_to_recordset(${json}) as r(op text, rsrp real, dead boolean, at timestamptz, h3 text, who text, lng float8, lat float8)`,
			CHUNK
		);
	}
}

/** Grows the reports to REPORTS by copies in SQL: other days (within 330) and other reporters. */
async function growToTarget(db: Database): Promise<void> {
	const copies = Math.ceil(REPORTS / BASE_REPORTS) - 1;
	for (let g = 1; g <= copies; g++) {
		const take = Math.min(BASE_REPORTS, REPORTS - g * BASE_REPORTS);
		if (take <= 0) break;
		await db.orm.execute(sql`
			insert into signal_reports (source_kind, operator_code, technology, rsrp_dbm, no_service, observed_at, h3_res9, reporter_key, synthetic, dedupe_key, geom)
			select source_kind, operator_code, technology, case when rsrp_dbm is null then null else greatest(-140, least(-44, rsrp_dbm + ((id * 7 + ${g}) % 11) - 5)) end,
				no_service, observed_at - ((${g} * 13) % 330) * interval '1 day', h3_res9, reporter_key || '-' || ${g}, true, gen_random_uuid(), geom
			from signal_reports where id <= ${take}`);
		if (g % 5 === 0) log(`  reports: ${((g + 1) * BASE_REPORTS).toLocaleString('en')}`);
	}
	await db.orm.execute(sql`analyze signal_reports`);
}

function syntheticSites(communes: SyntheticCommune[]): TowerInput[] {
	const random = createRandom(60_2026);
	return Array.from({ length: SITES }, (_, k) => {
		const c = communes[k % communes.length];
		return {
			operatorCode: OPERATORS[k % 3],
			siteCode: `NAT-${k + 1}`,
			technologies: ['4G'],
			antennaHeightM: 30,
			source: 'bench/national SYNTHETIC',
			synthetic: true,
			position: [c.origin[0] + random.uniform(0, COMMUNE_DEG), c.origin[1] + random.uniform(0, COMMUNE_DEG)] as [number, number]
		};
	});
}

/** A drive test over province `p`'s communes: `count` rows of the measurements CSV format. SYNTHETIC. */
async function writeProvinceDriveTest(file: string, p: number, count: number): Promise<void> {
	const random = createRandom(7_2026);
	const [w, s] = communeOrigin(p, 0);
	const lines = ['timestamp,lat,lon,operator,technology,rsrp'];
	const t0 = Date.now() - 86_400_000;
	for (let i = 0; i < count; i++) {
		const lat = s + random.uniform(0, Math.ceil(COMMUNES / PROVINCES / 10) * COMMUNE_DEG);
		const lon = w + random.uniform(0, 10 * COMMUNE_DEG);
		lines.push(`${new Date(t0 + i * 1000).toISOString()},${lat.toFixed(6)},${lon.toFixed(6)},${['Viettel', 'VinaPhone', 'MobiFone'][i % 3]},LTE,${Math.round(random.uniform(-125, -70))}`);
	}
	await writeFile(file, `${lines.join('\n')}\n`);
}

interface LoadResult {
	reqPerS: number;
	p50: number;
	p95: number;
	p99: number;
	non2xx: number;
	errors: number;
	/** CPU seconds each process used during the load. */
	cpu: Record<string, number>;
}

/** The public map's requests over the provinces: communes, measured cells, towers. */
function mapRequests(): { path: string }[] {
	const paths: { path: string }[] = [];
	for (let p = 0; p < PROVINCES; p++) {
		const [w, s] = communeOrigin(p, 0);
		const bbox = `${w.toFixed(3)},${s.toFixed(3)},${(w + 10 * COMMUNE_DEG).toFixed(3)},${(s + Math.ceil(COMMUNES / PROVINCES / 10) * COMMUNE_DEG).toFixed(3)}`;
		paths.push({ path: `/api/communes?bbox=${bbox}&zoom=9` }, { path: `/api/coverage/cells?bbox=${bbox}&res=7` }, { path: `/api/towers?bbox=${bbox}` });
	}
	return paths;
}

async function load(baseUrl: string, processes: Record<string, number>): Promise<LoadResult> {
	const before = Object.fromEntries(await Promise.all(Object.entries(processes).map(async ([name, pid]) => [name, await cpuSeconds(pid)] as const)));
	const times: number[] = [];
	const result = await new Promise<autocannon.Result>((resolve, reject) => {
		const instance = autocannon({ url: baseUrl, connections: CONNECTIONS, duration: DURATION, requests: mapRequests(), timeout: 30 }, (err, r) => (err ? reject(err) : resolve(r)));
		instance.on('response', (_client, _status, _bytes, ms) => times.push(ms));
	});
	times.sort((a, b) => a - b);
	const cpu: Record<string, number> = {};
	for (const [name, pid] of Object.entries(processes)) cpu[name] = (await cpuSeconds(pid)) - before[name];
	return { reqPerS: result.requests.average, p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99), non2xx: result.non2xx, errors: result.errors, cpu };
}

/** The PostgreSQL server's CPU seconds so far: its postmaster (the oldest `postgres`) and every backend, ended or not. */
async function postgresCpu(): Promise<number> {
	const { stdout } = await promisify(execFile)('pgrep', ['-o', '-x', 'postgres']).catch(() => ({ stdout: '' }));
	return stdout.trim() ? treeCpuSeconds(Number(stdout.trim())) : NaN;
}

const fmtLoad = (r: LoadResult) => `${r.p50.toFixed(0)} / ${r.p95.toFixed(0)} / ${r.p99.toFixed(0)} ms · ${r.reqPerS.toFixed(0)} req/s${r.non2xx + r.errors > 0 ? ` · ${r.non2xx} non-2xx, ${r.errors} errors` : ''}`;
const fmtCpu = (r: LoadResult) =>
	Object.entries(r.cpu)
		.map(([name, s]) => `${name} ${s.toFixed(1)} s`)
		.join(', ');

async function main(): Promise<void> {
	const rows: [string, string][] = [];
	const url = await freshPostgisDatabase(serverUrl!, 'phu_song_bench_national');
	const db = await openDatabase({ databaseUrl: url, dataDir: '', migrationsDir: path.resolve('drizzle') });
	const { communes, inputs } = syntheticNation();
	try {
		const [loadMs] = await timed(async () => {
			await insertCommunes(db, inputs);
			await insertTowers(db, syntheticSites(communes));
			await insertBaseReports(db, communes);
			await growToTarget(db);
		});
		const [{ n }] = await db.rows<{ n: number }>(sql`select count(*)::int as n from signal_reports`);
		log(`loaded ${n.toLocaleString('en')} reports, ${SITES.toLocaleString('en')} sites, ${COMMUNES.toLocaleString('en')} communes`);
		rows.push([`load: ${PROVINCES} provinces, ${COMMUNES.toLocaleString('en')} communes, ${SITES.toLocaleString('en')} sites, ${n.toLocaleString('en')} reports (s)`, (loadMs / 1000).toFixed(0)]);

		const [measuredMb, [measuredMs]] = await withPeakRss(() => timed(() => inTransaction(db, (tx) => rebuildMeasured(tx))));
		log(`measured rebuilt in ${(measuredMs / 1000).toFixed(0)} s`);
		const [predictedMb, [predictedMs]] = await withPeakRss(() => timed(() => inTransaction(db, (tx) => predictCoverage(tx, {}))));
		log(`predicted in ${(predictedMs / 1000).toFixed(0)} s`);
		rows.push(['full rebuild: measured from every report (s; peak MB of this process)', `${(measuredMs / 1000).toFixed(0)} (${measuredMb.toFixed(0)} MB)`]);
		rows.push(['full rebuild: predictions for every site, no terrain (s; peak MB)', `${(predictedMs / 1000).toFixed(0)} (${predictedMb.toFixed(0)} MB)`]);

		const dir = await mkdtemp(path.join(os.tmpdir(), 'phu-song-national-'));
		try {
			const csv = path.join(dir, 'one-province.csv');
			await writeProvinceDriveTest(csv, 0, 20_000);
			const [importMs, summary] = await timed(() => runAnyImport(db, 'measurements', { filePath: csv, options: { mapping: {}, skipInvalid: true }, actor: SYSTEM_ACTOR }));
			rows.push([`one province's update: a ${summary.inserted.toLocaleString('en')}-row drive test imported, layers updated (s)`, (importMs / 1000).toFixed(1)]);
			log(`incremental import in ${(importMs / 1000).toFixed(1)} s`);
			// A province's recomputation: only the keys below its resolution-6 cells, in their partitions.
			const ancestors = await ancestorsOfProvince(db, 'S01');
			const [provinceMs] = await timed(() => inTransaction(db, (tx) => rebuildMeasured(tx, { ancestors })));
			rows.push([`one province's recomputation: measured keys of its ${ancestors.length} res-6 cells from their reports (s)`, (provinceMs / 1000).toFixed(1)]);
			log(`province recomputed in ${(provinceMs / 1000).toFixed(1)} s`);
			const partitions = await db.rows<{ name: string; mb: number }>(sql`
				select c.relname as name, pg_total_relation_size(c.oid) / 1048576.0 as mb from pg_inherits i join pg_class c on c.oid = i.inhrelid
				where i.inhparent = 'signal_reports'::regclass order by 2 desc`);
			const used = partitions.filter((p) => Number(p.mb) > 1);
			rows.push([`report partitions holding data, of ${partitions.length}; largest (MB)`, `${used.length}; ${used.slice(0, 3).map((p) => `${p.name.replace('signal_reports_', '')} ${Number(p.mb).toFixed(0)}`).join(', ')}`]);

			// A bulk load ends with VACUUM ANALYZE (visibility maps, statistics); left to autovacuum it
			// runs during the load test below and takes a core from it.
			const [vacuumMs] = await timed(() => db.orm.execute(sql`vacuum (analyze)`));
			rows.push(['maintenance after the bulk work: VACUUM (ANALYZE) of the database (s)', (vacuumMs / 1000).toFixed(0)]);
			log(`vacuumed in ${(vacuumMs / 1000).toFixed(0)} s`);
			const [size] = await db.rows<{ mb: number }>(sql`select pg_database_size(current_database()) / 1048576.0 as mb`);
			rows.push(['database size (MB)', Number(size.mb).toFixed(0)]);

			// The public map API at CONNECTIONS connections.
			const cleanup: (() => Promise<unknown>)[] = [];
			try {
				const apps: AppProcess[] = [];
				const startApp = async () => {
					const app = await spawnApp({ DATABASE_URL: url, ADDRESS_HEADER: 'X-Real-IP' });
					cleanup.push(async () => app.process.kill('SIGKILL'));
					await waitForHealth(app, 600_000);
					apps.push(app);
					return app;
				};
				const first = await startApp();
				// Warm the app's caches once (every request of the set), untimed.
				for (const r of mapRequests()) await (await fetch(`${first.baseUrl}${r.path}`)).arrayBuffer();
				const pgBefore = await postgresCpu();
				const alone = await load(first.baseUrl, { app1: first.process.pid! });
				const pgAlone = (await postgresCpu()) - pgBefore;
				rows.push([`baseline: one app server alone, ${CONNECTIONS} connections, p50 / p95 / p99`, fmtLoad(alone)]);
				rows.push(['  CPU used meanwhile', `${fmtCpu(alone)}, postgres ${pgAlone.toFixed(1)} s`]);

				for (const count of [1, 2]) {
					if (apps.length < count) {
						const app = await startApp();
						for (const r of mapRequests()) await (await fetch(`${app.baseUrl}${r.path}`)).arrayBuffer();
					}
					const nginxDir = path.join(dir, `nginx-${count}`);
					await mkdir(nginxDir, { recursive: true });
					const nginx = await startNginx(nginxDir, apps.slice(0, count), cleanup);
					const workers = await childPids(nginx.process.pid!);
					const processes: Record<string, number> = Object.fromEntries(apps.slice(0, count).map((a, i) => [`app${i + 1}`, a.process.pid!]));
					// nginx's children: its workers, and the cache manager and loader.
					workers.forEach((pid, i) => (processes[`nginx-${i + 1}`] = pid));
					const pg0 = await postgresCpu();
					const through = await load(nginx.baseUrl, processes);
					const pgUsed = (await postgresCpu()) - pg0;
					rows.push([`through nginx, ${count} app server${count > 1 ? 's' : ''}, ${CONNECTIONS} connections, p50 / p95 / p99`, fmtLoad(through)]);
					rows.push(['  CPU used meanwhile', `${fmtCpu(through)}, postgres ${pgUsed.toFixed(1)} s`]);
					log(`through nginx with ${count} app server(s): p95 ${through.p95.toFixed(0)} ms`);
					nginx.process.kill('SIGTERM');
				}
				const peaks = await Promise.all(apps.map((a) => peakRssMb(a.process.pid!)));
				rows.push(['peak memory (MB): app servers; this process (load, rebuilds)', `${peaks.map((m) => m.toFixed(0)).join(', ')}; ${(process.resourceUsage().maxRSS / 1024).toFixed(0)}`]);
			} finally {
				for (const step of cleanup.reverse()) await step().catch(() => {});
			}
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
	} finally {
		await db.close();
	}
	rows.push(['whole run (min; goal ≤ 60)', ((Date.now() - started) / 60_000).toFixed(1)]);
	printTable(`bench/national — SYNTHETIC nation, PostGIS server, ${os.cpus().length} cores, Node ${process.version}`, ['figure'], rows.map(([label, value]) => [label, [value]]));
}

main().then(
	() => process.exit(0),
	(err) => {
		console.error(err);
		process.exit(1);
	}
);
