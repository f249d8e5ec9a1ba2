import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import type { Database } from '../../src/lib/server/db/index';
import { checkHealth } from '../../src/lib/server/health';
import { openTestDatabase, resetDatabase } from '../helpers/db';
import { hgt } from '../helpers/rasters';

let db: Database;
beforeAll(async () => {
	db = await openTestDatabase();
	await resetDatabase(db);
});
afterAll(() => db?.close());

/** Runs the CLI on the test database, collecting what it prints. */
async function cli(...argv: string[]) {
	return cliWithPassword('', ...argv);
}

async function cliWithPassword(password: string, ...argv: string[]) {
	const lines: string[] = [];
	const code = await runCli(argv, {
		log: (l) => lines.push(l),
		warn: (l) => lines.push(l),
		open: async () => ({ ...db, close: async () => {} }),
		readPassword: async () => password
	});
	return { code, out: lines.join('\n') };
}

describe(`cli (${process.env.TEST_DB})`, () => {
	it('lists its commands with --help', async () => {
		const { code, out } = await cli('--help');
		expect(code).toBe(0);
		expect(out).toMatch(/seed --province 04\|75/);
		expect(out).toMatch(/user create --email/);
		expect(out).toMatch(/health/);
	});

	it('refuses an unknown command or option with exit code 2', async () => {
		expect((await cli('frobnicate')).code).toBe(2);
		const bad = await cli('seed', '--provence', '04');
		expect(bad.code).toBe(2);
		expect(bad.out).toMatch(/provence/);
	});

	it('names the valid provinces when given another', async () => {
		const { code, out } = await cli('seed', '--province', '01');
		expect(code).toBe(2);
		expect(out).toContain('04 (Cao Bằng), 75 (Đồng Nai)');
	});

	it('seeds Đồng Nai, then says it is already there', async () => {
		const first = await cli('seed', '--province', '75');
		expect(first.code).toBe(0);
		expect(first.out).toMatch(/SYNTHETIC/);
		const health = await checkHealth(db);
		expect(health.counts.communes).toBe(95);
		expect(health.counts.reports).toBe(60_000);
		const second = await cli('seed', '--province', '75');
		expect(second.out).toMatch(/already seeded/);
		expect((await checkHealth(db)).counts).toEqual(health.counts);
		// The seed predicted and calibrated: the report names each operator's groups.
		const calibration = await cli('coverage', 'calibration');
		expect(calibration.code).toBe(0);
		expect(calibration.out).toMatch(/^viettel\s+4G\s+rural\s+\d+\s+\d+/m);
		expect(calibration.out).toMatch(/RMSE under about 7 dB/);
	}, 240_000);

	it('creates an account with a password read apart from the arguments, and audits it with --as', async () => {
		const { code, out } = await cliWithPassword('a-long-enough-secret', 'user', 'create', '--email', 'First.Admin@Example.vn', '--role', 'admin', '--as', 'ops@example.vn');
		expect(code).toBe(0);
		expect(out).toContain('first.admin@example.vn');
		expect(out).not.toContain('a-long-enough-secret');
		const [account] = await db.rows<{ role: string; password_hash: string }>(sql`select role, password_hash from accounts where email = 'first.admin@example.vn'`);
		expect(account.role).toBe('admin');
		expect(account.password_hash).toMatch(/^\$argon2id\$/);
		const [audit] = await db.rows<{ actor_label: string; action: string; details: unknown }>(sql`select actor_label, action, details from audit_log where action = 'account.create'`);
		expect(audit.actor_label).toBe('cli:ops@example.vn');
		expect(JSON.stringify(audit.details)).not.toContain('a-long-enough-secret');
	});

	it.each([
		[['--email', 'x@example.vn', '--role', 'boss'], 'a-long-enough-secret', /--email and --role/],
		[['--email', 'y@example.vn', '--role', 'planner'], 'short', /password must be at least 10 characters/],
		[['--email', 'z@example.vn', '--role', 'operator'], 'a-long-enough-secret', /operator liaison needs an operator/],
		[['--email', 'first.admin@example.vn', '--role', 'planner'], 'a-long-enough-secret', /already exists/]
	])('refuses user create %j with a message', async (args, password, message) => {
		const { code, out } = await cliWithPassword(password, 'user', 'create', ...args);
		expect(code).toBe(2);
		expect(out).toMatch(message);
	});

	it('audits a seed run', async () => {
		const [row] = await db.rows<{ actor_label: string; target: string }>(sql`select actor_label, target from audit_log where action = 'demo.seed'`);
		expect(row.target).toBe('75');
		expect(row.actor_label).toMatch(/^cli:/);
	});

	it('imports a file, lists it, undoes it, and exits non-zero on a rejected file', async () => {
		const imported = await cli('import', 'measurements', 'tests/fixtures/import/gnettrack-caobang.csv', '--as', 'planner@example.vn');
		expect(imported.code).toBe(0);
		expect(imported.out).toMatch(/Imported measurements from gnettrack-caobang.csv \(import #\d+, utf-8, delimiter ,, G-NetTrack Pro\)/);
		expect(imported.out).toMatch(/rows read 6 · inserted 6/);
		const id = Number(/import #(\d+)/.exec(imported.out)![1]);
		const again = await cli('import', 'measurements', 'tests/fixtures/import/gnettrack-caobang.csv');
		expect(again.out).toMatch(/Nothing new: every row was already imported/);
		const list = await cli('import', 'list');
		expect(list.out).toMatch(new RegExp(`#${id} committed +measurements +gnettrack-caobang.csv — 6 rows, \\+6 new.*cli:planner@example.vn`));
		const undo = await cli('import', 'undo', String(id));
		expect(undo.out).toBe(`Undid import #${id}: removed 6 rows, restored 0.`);
		const rejected = await cli('import', 'towers', 'tests/fixtures/import/gnettrack-caobang.csv');
		expect(rejected.code).toBe(1);
		expect(rejected.out).toMatch(/REJECTED towers/);
		expect(rejected.out).toMatch(/the header lacks siteId/);
	});

	it('imports GeoJSON boundaries, guessing the set', async () => {
		const { code, out } = await cli('import', 'boundaries', 'tests/fixtures/import/cao_bang_04_pre2025_districts.geojson');
		expect(code).toBe(0);
		expect(out).toMatch(/Imported boundaries from cao_bang_04_pre2025_districts.geojson .*GeoJSON, pre2025 units/);
		expect(out).toMatch(/features read 11 · inserted 11/);
		expect((await cli('import', 'boundaries', 'x.geojson', '--level', 'hamlet')).out).toMatch(/--level must be one of/);
	});

	it('imports an SRTM tile as a DEM, and refuses a bad --srid', async () => {
		const dir = await mkdtemp(path.join(os.tmpdir(), 'phu-song-cli-'));
		const file = path.join(dir, 'N22E105.hgt');
		await writeFile(file, hgt((c, r) => 100 + c + r));
		try {
			const { code, out } = await cli('import', 'dem', file);
			expect(code).toBe(0);
			expect(out).toMatch(/Imported dem from N22E105\.hgt \(import #\d+, SRTM \.hgt, 1201 × 1201 px, WGS 84\)/);
			expect(out).toMatch(/pixels read 1442401 · inserted 25/);
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
		expect((await cli('import', 'boundaries', 'x.zip', '--srid', 'utm')).out).toMatch(/--srid must be an EPSG code/);
	});

	it('explains import usage mistakes', async () => {
		expect((await cli('import', 'rainfall', 'x.csv')).code).toBe(2);
		expect((await cli('import', 'measurements', 'x.csv', '--map', 'nonsense')).out).toMatch(/--map must be field=column/);
		expect((await cli('import', 'undo', '999')).out).toMatch(/no import with id 999/);
	});

	it('predicts coverage with progress, and refuses an unknown technology naming the allowed ones', async () => {
		const bad = await cli('coverage', 'predict', '--technology', '6G');
		expect(bad.code).toBe(2);
		expect(bad.out).toMatch(/--technology must be one of 2G, 3G, 4G, 5G, got "6G"/);
		// Independent of what earlier tests seeded (towers, a DEM elsewhere): a short range, one tower.
		await cli('settings', 'set', 'propagation.range_km', '2');
		await db.orm.execute(sql`delete from towers`);
		const none = await cli('coverage', 'predict');
		expect(none.code).toBe(0);
		expect(none.out).toMatch(/No towers: nothing predicted/);
		await db.orm.execute(sql`insert into towers (operator_code, site_code, technologies, antenna_height_m, source, synthetic, geom)
			values ('viettel', 'T1', array['4G'], 30, 'test', true, ST_SetSRID(ST_MakePoint(106.25, 22.66), 4326))`);
		const run = await cli('coverage', 'predict', '--operator', 'Viettel');
		expect(run.code).toBe(0);
		expect(run.out).toMatch(/\[#{24}\] 1\/1 sites/);
		expect(run.out).toMatch(/viettel 4G: 1 sites, \d+ cells/);
		// An earlier test loaded a DEM (of another place): either way the run says which it used.
		expect(run.out).toMatch(/Predicted in [\d.]+ s, (with terrain from the DEM|on flat ground \(no DEM loaded\))\./);
		// Back to the default: later tests find no stored setting.
		await cli('settings', 'set', 'propagation.range_km', '20');
	});

	it('prints health as JSON', async () => {
		const { code, out } = await cli('health');
		expect(code).toBe(0);
		expect(JSON.parse(out)).toMatchObject({ status: 'ok', database: process.env.TEST_DB });
	});

	it('lists and changes settings, refuses bad values naming the key, and audits changes', async () => {
		const listed = await cli('settings', 'list');
		expect(listed.code).toBe(0);
		expect(listed.out).toMatch(/signal\.rsrp\.fair_dbm\s+-105 dBm\s+\(default\)/);
		const set = await cli('settings', 'set', 'signal.rsrp.fair_dbm', '-108', '--as', 'admin@so-khcn.gov.vn');
		expect(set).toEqual({ code: 0, out: 'signal.rsrp.fair_dbm = -108' });
		expect((await cli('settings', 'list')).out).toMatch(/signal\.rsrp\.fair_dbm\s+-108 dBm\s+\(default -105; set by cli:admin@so-khcn\.gov\.vn\)/);
		const bad = await cli('settings', 'set', 'signal.rsrp.fair_dbm', '-80');
		expect(bad.code).toBe(2);
		expect(bad.out).toMatch(/floors must descend/);
		expect((await cli('settings', 'set', 'no.such', '1')).out).toMatch(/no\.such: is not a setting/);
		const [audit] = await db.rows<{ target: string; details: { from: number; to: number } }>(sql`select target, details from audit_log where action = 'settings.set' order by id desc limit 1`);
		expect(audit).toEqual({ target: 'signal.rsrp.fair_dbm', details: { from: -105, to: -108 } });
		// Back to the default removes the stored value.
		expect((await cli('settings', 'set', 'signal.rsrp.fair_dbm', '-105')).code).toBe(0);
		expect((await db.rows<{ n: number }>(sql`select count(*)::int as n from settings`))[0].n).toBe(0);
	});
});
