/**
 * The several-server deployment (issue 20), on this one machine with real processes: a PostGIS
 * primary and a streaming replica (initdb + pg_basebackup, their own ports and folders), two app
 * servers (`scripts/start.js`, the BUILT app) on the primary with the replica for reads, and
 * Debian's nginx in front of them with deploy/nginx/phu-song.conf. Then, through the load balancer:
 *
 *   1. both app servers answer, and public reads are served from the replica;
 *   2. an import started on one server has its progress followed through the other;
 *   3. a report acknowledged through one server is read back through the other;
 *   4. with the replica's replay paused (lagging), a browser that just wrote reads from the
 *      primary, never older than its own write, while others still read the replica;
 *   5. one app server is killed (SIGKILL) in the middle of a load of reports: every report
 *      acknowledged is in the database, and the other server keeps serving.
 *
 *   npm run build && npm run test:deployment
 *
 * Exits non-zero, naming the check, when one fails. Needs PostgreSQL 15 with PostGIS and nginx
 * (.ci/run installs them); run as root it starts PostgreSQL as the `postgres` user.
 */
import { execFile } from 'node:child_process';
import { appendFile, chmod, chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { createAccount } from '../src/lib/server/accounts';
import { changeSetting } from '../src/lib/server/analysis';
import { SYSTEM_ACTOR } from '../src/lib/server/audit';
import { openDatabase } from '../src/lib/server/db/index';
import { seedDemoProvince } from '../src/lib/server/demo-seed';
import { freePort, spawnApp, waitForHealth } from '../tests/helpers/app-process';
import { startNginx } from './lib/deployment';
import { writeMeasurementsCsv } from '../tests/helpers/measurements-csv';
import { weakSignalReportBody } from '../tests/helpers/report-body';

const run = promisify(execFile);
const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
const asRoot = process.getuid?.() === 0;
const PLANNER = { email: 'planner@deployment.test', password: 'deployment test passphrase 2026' };
const BBOX = [105.27, 22.36, 106.83, 23.11];
const started = Date.now();

function log(line: string): void {
	console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}`);
}

function check(ok: boolean, what: string): void {
	if (!ok) throw new Error(`check failed: ${what}`);
	log(`ok — ${what}`);
}

/** Runs a PostgreSQL program, as `postgres` when we are root (initdb and postgres refuse root). */
async function pgRun(program: string, args: string[]): Promise<string> {
	const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(PG_BIN, program), ...args]] : [path.join(PG_BIN, program), args];
	const { stdout } = await run(cmd, argv, { maxBuffer: 16 * 2 ** 20 });
	return stdout;
}

const cleanup: (() => Promise<unknown>)[] = [];
async function tearDown(): Promise<void> {
	for (const step of cleanup.reverse()) await step().catch(() => {});
}

/** Which app server and database answered (PHU_SONG_SERVED_BY=1). */
const servedBy = (r: Response) => {
	const header = r.headers.get('x-served-by') ?? '';
	const [server, db] = header.split('; db=');
	return { server, db };
};

async function startPostgres(dir: string): Promise<{ primary: number; replica: number }> {
	const [primary, replica] = [await freePort(), await freePort()];
	const primaryDir = path.join(dir, 'primary');
	const replicaDir = path.join(dir, 'replica');
	await pgRun('initdb', ['-D', primaryDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C']);
	await appendFile(
		path.join(primaryDir, 'postgresql.conf'),
		`\nport = ${primary}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '${dir}'\nwal_level = replica\nmax_wal_senders = 4\nhot_standby = on\nshared_buffers = 128MB\n`
	);
	await pgRun('pg_ctl', ['-D', primaryDir, '-l', path.join(dir, 'primary.log'), '-w', 'start']);
	cleanup.push(() => pgRun('pg_ctl', ['-D', primaryDir, '-m', 'immediate', 'stop']));
	const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${primary}/postgres` });
	await admin.connect();
	await admin.query('create database phu_song');
	await admin.end();
	const db = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${primary}/phu_song` });
	await db.connect();
	await db.query('create extension postgis');
	await db.end();
	log(`primary on port ${primary}`);
	// A streaming replica: a base backup that writes its own standby.signal and primary_conninfo (-R).
	await pgRun('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primary), '-U', 'postgres', '-D', replicaDir, '-R', '-X', 'stream', '-c', 'fast']);
	await appendFile(path.join(replicaDir, 'postgresql.conf'), `\nport = ${replica}\n`);
	await pgRun('pg_ctl', ['-D', replicaDir, '-l', path.join(dir, 'replica.log'), '-w', 'start']);
	cleanup.push(() => pgRun('pg_ctl', ['-D', replicaDir, '-m', 'immediate', 'stop']));
	log(`streaming replica on port ${replica}`);
	return { primary, replica };
}

const reportBody = (i: number) => weakSignalReportBody({ deviceKey: `deployment-device-${i}`, lat: 22.66 + (i % 50) * 0.002, lon: 106.25 + Math.floor(i / 50) * 0.002 });

const postReport = (baseUrl: string, body: unknown, headers: Record<string, string> = {}) =>
	fetch(`${baseUrl}/api/reports`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** A public read of the map layer that replicas serve, with a box of its own (its own cache key). */
const publicRead = (baseUrl: string, i: number, headers: Record<string, string> = {}) =>
	fetch(`${baseUrl}/api/reports/cells?bbox=${BBOX[0] + i * 1e-4},${BBOX[1]},${BBOX[2]},${BBOX[3]}&res=7`, { headers });

async function main(): Promise<void> {
	const dir = await mkdtemp(path.join(os.tmpdir(), 'phu-song-deployment-'));
	cleanup.push(() => rm(dir, { recursive: true, force: true }));
	await chmod(dir, 0o755);
	if (asRoot) await chown(dir, Number((await run('id', ['-u', 'postgres'])).stdout), Number((await run('id', ['-g', 'postgres'])).stdout));
	const ports = await startPostgres(dir);
	const primaryUrl = `postgres://postgres@127.0.0.1:${ports.primary}/phu_song`;
	const replicaUrl = `postgres://postgres@127.0.0.1:${ports.replica}/phu_song`;

	// The schema and the demo province, once, on the primary (the replica follows).
	const db = await openDatabase({ databaseUrl: primaryUrl, dataDir: '', migrationsDir: path.resolve('drizzle') });
	cleanup.push(() => db.close());
	await seedDemoProvince(db, '04', { dataRoot: path.resolve('data'), log: () => {} });
	await createAccount(db, SYSTEM_ACTOR, { email: PLANNER.email, displayName: 'Deployment test', role: 'planner', password: PLANNER.password });
	// Everything in this run comes from one address (nginx's clients are all 127.0.0.1).
	await changeSetting(db, SYSTEM_ACTOR, 'reports.rate.address_per_minute', '100000');
	await changeSetting(db, SYSTEM_ACTOR, 'reports.rate.device_per_minute', '10000');
	log('demo province seeded on the primary');

	const env = { DATABASE_URL: primaryUrl, DATABASE_READ_URL: replicaUrl, PHU_SONG_SERVED_BY: '1', ADDRESS_HEADER: 'X-Real-IP', PROTOCOL_HEADER: 'X-Forwarded-Proto' };
	const apps = await Promise.all(['a', 'b'].map((name) => spawnApp({ ...env, PHU_SONG_UPLOAD_DIR: path.join(dir, `uploads-${name}`) })));
	cleanup.push(async () => apps.forEach((a) => a.process.kill('SIGKILL')));
	await Promise.all(apps.map((a) => waitForHealth(a)));
	const names = await Promise.all(apps.map(async (a) => servedBy(await fetch(`${a.baseUrl}/api/health`)).server));
	check(names.every(Boolean) && new Set(names).size === 2, `two app servers answer: ${names.join(', ')}`);
	const lb = await startNginx(dir, apps, cleanup);
	log(`nginx at ${lb.baseUrl} in front of ${apps.map((a) => a.baseUrl).join(', ')}`);

	// 1. Both servers answer through the load balancer; anonymous public reads come from the replica.
	const seen = new Map<string, number>();
	for (let i = 0; i < 20; i++) {
		const r = await publicRead(lb.baseUrl, i);
		if (r.status !== 200) throw new Error(`public read answered ${r.status}`);
		const s = servedBy(r);
		seen.set(`${s.server} ${s.db}`, (seen.get(`${s.server} ${s.db}`) ?? 0) + 1);
		await r.arrayBuffer();
	}
	log(`20 public reads: ${[...seen].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
	check(names.every((n) => [...seen.keys()].some((k) => k.startsWith(n))), 'both app servers served public reads through nginx');
	check([...seen.keys()].every((k) => k.endsWith('replica-0')), 'anonymous public reads were served by the replica');
	// Every route the replicas serve answers there (a write hidden in one would fail on the replica).
	const box = `bbox=${BBOX.join(',')}`;
	const replicaRoutes = [
		`/api/communes?${box}&zoom=9`,
		'/api/communes/search?q=dam',
		'/api/communes/fiber',
		`/api/population/cells?${box}&res=7`,
		`/api/towers?${box}`,
		`/api/coverage/cells?${box}&res=7`,
		`/api/coverage/cells?${box}&res=7&source=predicted`,
		`/api/coverage/cells?${box}&res=7&source=declared`,
		`/api/coverage/cells?${box}&res=7&source=best`,
		`/api/villages?${box}`
	];
	for (const route of replicaRoutes) {
		const r = await fetch(`${lb.baseUrl}${route}`);
		await r.arrayBuffer();
		if (r.status !== 200 || servedBy(r).db !== 'replica-0') throw new Error(`check failed: ${route} answered ${r.status} from ${r.headers.get('x-served-by')}`);
	}
	log(`ok — ${replicaRoutes.length} public routes answered from the replica`);

	// 2. An import started on one server, its progress followed through the other.
	const signIn = await fetch(`${lb.baseUrl}/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: lb.baseUrl, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(PLANNER)
	});
	const cookie = /ps_session=[^;]+/.exec(signIn.headers.get('set-cookie') ?? '')?.[0];
	check(signIn.status === 303 && !!cookie, `signed in as a planner through nginx (HTTP ${signIn.status})`);
	const csv = path.join(dir, 'drive-test.csv');
	await writeMeasurementsCsv(csv, 60_000);
	const uploaded = await fetch(`${lb.baseUrl}/api/imports/uploads?name=drive-test.csv`, {
		method: 'POST',
		headers: { cookie: cookie!, origin: lb.baseUrl, 'content-type': 'application/octet-stream' },
		body: await readFile(csv)
	});
	const { upload } = await uploaded.json();
	const start = await fetch(`${lb.baseUrl}/api/imports/jobs`, {
		method: 'POST',
		headers: { cookie: cookie!, origin: lb.baseUrl, 'content-type': 'application/json' },
		body: JSON.stringify({ uploadId: upload.id, kind: 'measurements' })
	});
	const runner = servedBy(start).server;
	const { job } = await start.json();
	check(start.status === 202, `import job started on ${runner} (uploaded through ${servedBy(uploaded).server})`);
	let follow: Response | null = null;
	for (let i = 0; i < 20 && !follow; i++) {
		const r = await fetch(`${lb.baseUrl}/api/imports/jobs/${job.id}`, { headers: { cookie: cookie! } });
		if (servedBy(r).server !== runner) follow = r;
		else await r.body?.cancel();
	}
	if (!follow) throw new Error('nginx never sent the job’s event stream to the other server');
	const events = (await follow.text()).split('\n\n').filter((b) => b.startsWith('event: '));
	const progress = events.filter((b) => b.startsWith('event: progress')).length;
	const end = JSON.parse(events.at(-1)!.split('\ndata: ')[1]);
	check(progress > 0 && end.status === 'done' && end.summary.inserted === 60_000, `its progress (${progress} events) and end (60,000 rows) followed through ${servedBy(follow).server}`);

	// 3. A report acknowledged through one server, read back through the other.
	const ack = await postReport(lb.baseUrl, reportBody(0));
	const { trackingCode } = await ack.json();
	const other = apps[names.indexOf(servedBy(ack).server) === 0 ? 1 : 0];
	const tracked = await fetch(`${other.baseUrl}/api/reports/track/${trackingCode}`);
	check(ack.status === 201 && tracked.status === 200, `report ${trackingCode} acknowledged by ${servedBy(ack).server}, read back from ${servedBy(tracked).server}`);

	// 4. The replica lags (replay paused): a browser that just wrote reads the primary, others the replica.
	const replica = new pg.Client({ connectionString: replicaUrl });
	await replica.connect();
	cleanup.push(() => replica.end());
	await replica.query('select pg_wal_replay_pause()');
	const write = await postReport(lb.baseUrl, reportBody(1));
	const wrote = /ps_wrote=[^;]+/.exec(write.headers.get('set-cookie') ?? '')?.[0];
	check(write.status === 201 && !!wrote, `a report through nginx set the read-your-writes cookie (${wrote})`);
	const count = async (c: pg.Client) => Number((await c.query('select count(*) from resident_reports')).rows[0].count);
	const primaryCount = Number((await db.server!.pool.query('select count(*) from resident_reports')).rows[0].count);
	check((await count(replica)) < primaryCount, `the paused replica is behind (${await count(replica)} reports there, ${primaryCount} on the primary)`);
	const mine = await publicRead(lb.baseUrl, 100, { cookie: wrote! });
	const theirs = await publicRead(lb.baseUrl, 101);
	check(servedBy(mine).db === 'primary' && servedBy(theirs).db === 'replica-0', 'the writer read from the primary, another browser from the lagging replica');
	await replica.query('select pg_wal_replay_resume()');
	for (let i = 0; (await count(replica)) < primaryCount; i++) {
		if (i > 100) throw new Error('the replica did not catch up within 10 s');
		await new Promise((r) => setTimeout(r, 100));
	}
	await new Promise((r) => setTimeout(r, 150)); // past the app's 100 ms memory of the replica's position
	const caughtUp = await publicRead(lb.baseUrl, 102, { cookie: wrote! });
	check(servedBy(caughtUp).db === 'replica-0', 'once the replica replayed the write, the writer reads from it again');

	// 5. One app server killed in the middle of a load of reports: nothing acknowledged is lost.
	const victim = apps[1];
	const acknowledged: string[] = [];
	let refused = 0;
	let sent = 0;
	const TOTAL = 400;
	const worker = async () => {
		while (sent < TOTAL) {
			const body = reportBody(1000 + sent++);
			const r = await postReport(lb.baseUrl, body).catch(() => null);
			if (r && (r.status === 201 || r.status === 200)) acknowledged.push(body.id);
			else refused++;
			await r?.arrayBuffer().catch(() => {});
			if (sent === TOTAL / 4 && victim.process.exitCode === null) {
				victim.process.kill('SIGKILL');
				log(`killed ${names[1]} (SIGKILL) after ${sent} reports sent`);
			}
		}
	};
	await Promise.all(Array.from({ length: 16 }, worker));
	await victim.exited;
	const stored = Number((await db.server!.pool.query('select count(*) from resident_reports where id = any($1::uuid[])', [acknowledged])).rows[0].count);
	log(`${TOTAL} reports sent: ${acknowledged.length} acknowledged, ${refused} not (retried by nginx or refused)`);
	check(stored === acknowledged.length, `all ${acknowledged.length} acknowledged reports are in the database`);
	let healthy = 0;
	for (let i = 0; i < 20; i++) healthy += (await fetch(`${lb.baseUrl}/api/health`)).status === 200 ? 1 : 0;
	check(healthy === 20, `the other server keeps serving (20 of 20 health checks after the kill)`);

	const access = (await readFile(lb.accessLog, 'utf8')).trim().split('\n');
	const byServer = new Map<string, number>();
	for (const line of access) {
		const who = /served_by="([^";]*)(?:; db=([^"]*))?"/.exec(line);
		if (who?.[1]) byServer.set(`${who[1]} (${who[2]})`, (byServer.get(`${who[1]} (${who[2]})`) ?? 0) + 1);
	}
	log(`nginx access log: ${access.length} requests; by app server and database: ${[...byServer].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
	log('deployment checks passed');
}

main()
	.catch(async (err) => {
		console.error(err instanceof Error ? err.message : err);
		process.exitCode = 1;
	})
	.finally(async () => {
		await tearDown();
		// Pools, timers and child handles must not keep the process alive after the checks.
		process.exit(process.exitCode ?? 0);
	});

