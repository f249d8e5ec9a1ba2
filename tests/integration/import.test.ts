import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { describeSummary } from '../../src/lib/server/import/pipeline';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { insertCommunes } from '../../src/lib/server/communes';
import type { Database } from '../../src/lib/server/db/index';
import { importIssues, listImports, undoImport } from '../../src/lib/server/import/history';
import type { ImportKindName } from '../../src/lib/server/import/kinds';
import { runImport } from '../../src/lib/server/import/pipeline';
import { openTestDatabase, resetDatabase } from '../helpers/db';
import { makeCommune, square } from '../helpers/factories';

let db: Database;
let dir: string;
const FIXTURES = path.resolve('tests/fixtures/import');
const actor = { accountId: null, label: 'cli:test' };
const options = { mapping: {}, decimalComma: false, mcc: 452, boundarySet: '2025' as const };

beforeAll(async () => {
	db = await openTestDatabase();
	dir = await mkdtemp(path.join(os.tmpdir(), 'phu-song-import-'));
});
afterAll(async () => {
	await db?.close();
	await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
	await resetDatabase(db);
	await insertCommunes(db, [
		makeCommune({ code: '01273', name: 'Thục Phán', population: 41157, households: 12105, householdsSynthetic: true, geometry: square([106.19, 22.67], 0.05) }),
		makeCommune({ code: '01501', name: 'Đàm Thuỷ', population: 12281, households: null, geometry: square([106.65, 22.84], 0.05) })
	]);
});

/**
 * Encodes text as Windows-1258 does it: base letters precomposed where the code page has them
 * (â, ơ, ư, đ…), tone marks as separate combining characters, which is what real files hold.
 */
function toWindows1258(text: string): Buffer {
	const tones = /[\u0300\u0301\u0303\u0309\u0323]/g;
	const split = [...text].map((ch) => {
		const nfd = ch.normalize('NFD');
		return nfd.replace(tones, '').normalize('NFC') + (nfd.match(tones) ?? []).join('');
	});
	return iconv.encode(split.join(''), 'windows-1258');
}

/** Writes a test file; strings are UTF-8, buffers are written as given. */
async function file(name: string, content: string | Buffer): Promise<string> {
	const p = path.join(dir, name);
	await writeFile(p, content);
	return p;
}

const run = (kind: ImportKindName, filePath: string, extra: Partial<Parameters<typeof runImport>[1]> = {}) =>
	runImport(db, { kind, filePath, options, skipInvalid: false, actor, ...extra });

async function counts() {
	const [row] = await db.rows<{ reports: number; towers: number; fiber: number; hh: string }>(sql`
		select (select count(*) from signal_reports)::int as reports, (select count(*) from towers)::int as towers,
			(select count(*) from fiber_coverage)::int as fiber,
			(select string_agg(code || ':' || coalesce(population::text, '-') || '/' || coalesce(households::text, '-'), ',' order by code) from communes) as hh`);
	return row;
}

const GENERIC = 'lat,lon,rsrp,operator,technology,timestamp\n22.6671,106.2580,-95,Viettel,LTE,2026-10-01T07:00:00+07:00\n22.6680,106.2590,-101,VinaPhone,LTE,2026-10-01 07:01:00\n';

describe(`import measurements (${process.env.TEST_DB})`, () => {
	it('reads a G-NetTrack Pro export by its header: kbps, "-", local timestamps, network modes', async () => {
		const summary = await run('measurements', path.join(FIXTURES, 'gnettrack-caobang.csv'));
		expect(summary).toMatchObject({ status: 'committed', preset: 'G-NetTrack Pro', rowsRead: 6, inserted: 6, invalid: 0, encoding: 'utf-8', delimiter: ',' });
		const rows = await db.rows<{ technology: string; rsrp_dbm: number | null; rssi_dbm: number | null; download_mbps: number | null; observed_at: Date | string; operator_code: string; reporter_key: string; source_kind: string }>(
			sql`select technology, rsrp_dbm, rssi_dbm, download_mbps, observed_at, operator_code, reporter_key, source_kind from signal_reports order by observed_at`
		);
		expect(rows.map((r) => r.technology)).toEqual(['4G', '4G', '4G', '2G', '5G', '3G']);
		expect(rows[0]).toMatchObject({ rsrp_dbm: -87, download_mbps: 24.5, operator_code: 'viettel', source_kind: 'drive_test' });
		expect(rows[2].download_mbps).toBeNull();
		expect(rows[3]).toMatchObject({ rsrp_dbm: null, rssi_dbm: -79 });
		expect(rows[5].operator_code).toBe('vnpt');
		// 07:22:43 in Vietnam is 00:22:43 UTC.
		expect(new Date(rows[0].observed_at).toISOString()).toBe('2026-10-01T00:22:43.000Z');
		// One file is one reporter.
		expect(new Set(rows.map((r) => r.reporter_key)).size).toBe(1);
	});

	it('adds nothing when the same file comes again, and says so', async () => {
		await run('measurements', await file('a.csv', GENERIC));
		const again = await run('measurements', await file('b.csv', GENERIC));
		expect(again).toMatchObject({ status: 'committed', inserted: 0, duplicate: 2 });
		expect((await counts()).reports).toBe(2);
	});

	it('recognises header names in any case and takes --map overrides', async () => {
		const text = 'LATITUDE;Longitude;Signal;Carrier;NetworkMode;When\n22.6671;106.2580;-95;Viettel;LTE;2026-10-01 07:00\n';
		const summary = await run('measurements', await file('semi.csv', text), { options: { ...options, mapping: { rsrpDbm: 'Signal', observedAt: 'When' } } });
		expect(summary).toMatchObject({ status: 'committed', inserted: 1, delimiter: ';' });
	});

	it.each([
		['UTF-8 with BOM', () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(GENERIC)])],
		['UTF-16 LE with BOM', () => Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(GENERIC, 'utf-16le')])],
		['tab-delimited', () => Buffer.from(GENERIC.replaceAll(',', '\t'))]
	])('reads %s', async (_name, bytes) => {
		expect(await run('measurements', await file('enc.csv', bytes()))).toMatchObject({ status: 'committed', inserted: 2 });
	});

	it('decodes Windows-1258 Vietnamese text to NFC, not garbled', async () => {
		const text = 'commune_code,population,households,ghi_chu\n01501,12500,3300,Xã Đàm Thuỷ vùng biên giới\n';
		const bytes = toWindows1258(text);
		expect(bytes.includes(0x3f)).toBe(false); // no character was lost to "?"
		const summary = await run('households', await file('cp1258.csv', bytes));
		expect(summary).toMatchObject({ status: 'committed', encoding: 'windows-1258', updated: 1 });
		// An invalid row echoes the text back: it must come out as proper NFC Vietnamese.
		const bad = await run('households', await file('cp1258-bad.csv', toWindows1258('commune_code,population,households\nĐàm Thuỷ,1,1\n')));
		expect(bad.issues[0]).toMatchObject({ value: 'Đàm Thuỷ'.normalize('NFC'), reason: 'no commune with this code (load its boundaries first)' });
	});

	it('reads a file in the encoding the caller names: UTF-16 without a BOM, refused when detected', async () => {
		const p = await file('utf16-named.csv', iconv.encode(GENERIC, 'utf-16le'));
		const summary = await run('measurements', p, { options: { ...options, encoding: 'utf-16le' } });
		expect(summary).toMatchObject({ status: 'committed', encoding: 'utf-16le', inserted: 2 });
		// With a BOM and the encoding named, the BOM is still not part of the first column's name.
		const withBom = await file('utf8-bom-named.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(GENERIC.replace('-95', '-96'))]));
		expect(await run('measurements', withBom, { options: { ...options, encoding: 'utf-8' } })).toMatchObject({ status: 'committed', inserted: 1 });
	});

	it.each([
		['empty.csv', '', /the file is empty/],
		['header-only.csv', 'lat,lon,rsrp,operator,technology,timestamp\n', /header but no data rows/],
		['no-delimiter.csv', 'just one column\n1\n', /found no delimiter/],
		['missing-columns.csv', 'lat,rsrp,operator,timestamp\n22.6,-90,Viettel,2026-10-01 07:00\n', /the header lacks longitude/],
		['truncated.csv', `${GENERIC}22.6690,106.2600,-99,"Viett`, /line 4: a quoted field is never closed/],
		['long-line.csv', `lat,lon,rsrp,operator,technology,timestamp\n22.6,106.2,-90,Viettel,LTE,${'x'.repeat(100_000)}\n`, /line 2: a record longer than 65,536/],
		['utf16-no-bom.csv', iconv.encode(GENERIC, 'utf-16le'), /UTF-16 without a byte-order mark/]
	])('refuses %s with a clear message and writes nothing', async (name, content, message) => {
		const summary = await run('measurements', await file(name, content as string));
		expect(summary.status).toBe('rejected');
		expect(summary.fileError).toMatch(message);
		expect((await counts()).reports).toBe(0);
		const [recorded] = await listImports(db);
		expect(recorded).toMatchObject({ status: 'rejected', fileName: name });
	});

	it.each([
		['swapped coordinates', '106.2580,22.6671,-95,Viettel,LTE,2026-10-01 07:00', 'lat', /latitude and longitude look swapped/],
		['RSRP out of range', '22.6671,106.2580,-20,Viettel,LTE,2026-10-01 07:00', 'rsrp', /outside -140…-44 dBm/],
		['an unknown operator', '22.6671,106.2580,-95,Nokia Net,LTE,2026-10-01 07:00', 'operator', /unknown operator/],
		['an unparseable date', '22.6671,106.2580,-95,Viettel,LTE,yesterday', 'timestamp', /is not a date and time/],
		['a decimal comma', '22.6671,106.2580,"-95,5",Viettel,LTE,2026-10-01 07:00', 'rsrp', /decimal comma/],
		['a position outside Vietnam', '52.52,13.40,-95,Viettel,LTE,2026-10-01 07:00', 'lat', /outside Vietnam/]
	])('rejects the whole file for %s, naming row, line and column', async (_case, badRow, column, reason) => {
		const text = `${GENERIC}${badRow}\n`;
		const summary = await run('measurements', await file('bad.csv', text));
		expect(summary).toMatchObject({ status: 'rejected', rowsRead: 3, invalid: 1, inserted: 0 });
		expect(summary.issues[0]).toMatchObject({ row: 3, line: 4, column });
		expect(summary.issues[0].reason).toMatch(reason);
		expect((await counts()).reports).toBe(0);
	});

	it('refuses a row with extra or missing columns', async () => {
		const summary = await run('measurements', await file('cols.csv', `${GENERIC}22.6,106.2,-90,Viettel,LTE,2026-10-01 07:00,extra\n22.6,106.2\n`));
		expect(summary.issues.map((i) => [i.row, i.reason])).toEqual([
			[3, 'has 7 columns; the header has 6'],
			[4, 'has 2 columns; the header has 6']
		]);
	});

	it('reads a declared decimal comma', async () => {
		const text = 'lat;lon;rsrp;operator;technology;timestamp\n22,6671;106,2580;-95,5;Viettel;LTE;2026-10-01 07:00\n';
		const summary = await run('measurements', await file('comma.csv', text), { options: { ...options, decimalComma: true } });
		expect(summary).toMatchObject({ status: 'committed', inserted: 1 });
		const [row] = await db.rows<{ rsrp_dbm: number }>(sql`select rsrp_dbm from signal_reports`);
		expect(row.rsrp_dbm).toBe(-95.5);
	});

	it('quarantines bad rows with --skip-invalid and commits the rest; undo removes exactly its rows', async () => {
		await run('measurements', await file('first.csv', GENERIC));
		const text = `lat,lon,rsrp,operator,technology,timestamp\n22.7000,106.3000,-99,MobiFone,LTE,2026-10-02 08:00\n106.3,22.7,-99,MobiFone,LTE,2026-10-02 08:01\n22.7010,106.3010,-150,MobiFone,LTE,2026-10-02 08:02\n`;
		const summary = await run('measurements', await file('mixed.csv', text), { skipInvalid: true });
		expect(summary).toMatchObject({ status: 'committed', inserted: 1, invalid: 2 });
		const quarantine = await importIssues(db, summary.importId);
		expect(quarantine.map((i) => [i.row, i.column])).toEqual([
			[2, 'lat'],
			[3, 'rsrp']
		]);
		expect((await counts()).reports).toBe(3);
		expect(await undoImport(db, summary.importId, actor)).toEqual({ removed: 1, restored: 0, followUp: { recomputed: [] } });
		expect((await counts()).reports).toBe(2);
		await expect(undoImport(db, summary.importId, actor)).rejects.toThrow(/is undone; only a committed import/);
	});

	it('records who imported what, with the content hash, in the import list and the audit log', async () => {
		const summary = await run('measurements', await file('audit.csv', GENERIC));
		const [recorded] = await listImports(db);
		expect(recorded).toMatchObject({ id: summary.importId, kind: 'measurements', fileName: 'audit.csv', actorLabel: 'cli:test', rowsRead: 2, rowsInserted: 2 });
		expect(recorded.contentHash).toMatch(/^[0-9a-f]{64}$/);
		const [audit] = await db.rows<{ action: string; actor_label: string }>(sql`select action, actor_label from audit_log where action = 'import.measurements'`);
		expect(audit).toEqual({ action: 'import.measurements', actor_label: 'cli:test' });
	});
});

describe(`import towers (${process.env.TEST_DB})`, () => {
	it('skips and counts other countries in the real OpenCelliD sample', async () => {
		const summary = await run('towers', path.join(FIXTURES, 'ocid_diff_2022-09-10_sample.csv'));
		expect(summary).toMatchObject({ status: 'committed', preset: 'OpenCelliD', rowsRead: 198, skipped: 198, inserted: 0 });
		// And says why, naming the countries' codes, where the CLI prints it.
		const mccs = Object.keys(summary.skippedReasons).map((r) => Number(r.slice(4)));
		expect(mccs.length).toBeGreaterThan(1);
		expect(mccs).not.toContain(452);
		const said = describeSummary(summary).join('\n');
		expect(said).toMatch(/Nothing was written: 198 rows skipped: MCC [\d, …]+ are not Vietnam \(452\)\./);
	});

	it('groups Vietnamese cells at one location into one site per operator', async () => {
		const summary = await run('towers', path.join(FIXTURES, 'ocid-vietnam.csv'));
		expect(summary).toMatchObject({ status: 'committed', rowsRead: 7, skipped: 1, inserted: 3 });
		const sites = await db.rows<{ operator_code: string; technologies: string[]; cells: number }>(
			sql`select operator_code, technologies, jsonb_array_length(cells)::int as cells from towers order by operator_code, cells desc`
		);
		expect(sites).toEqual([
			{ operator_code: 'mobifone', technologies: ['4G'], cells: 1 },
			{ operator_code: 'viettel', technologies: ['2G', '4G', '5G'], cells: 4 },
			{ operator_code: 'vnpt', technologies: ['3G'], cells: 1 }
		]);
		expect((await run('towers', path.join(FIXTURES, 'ocid-vietnam.csv'))).inserted).toBe(0);
	});

	it('names an unknown Vietnamese MNC', async () => {
		const text = 'radio,mcc,net,area,cell,unit,lon,lat,range,samples,changeable,created,updated,averageSignal\nLTE,452,9,1,2,3,106.25,22.66,1000,5,1,1650000000,1662768000,0\n';
		const summary = await run('towers', await file('mnc.csv', text));
		expect(summary.status).toBe('rejected');
		expect(summary.issues[0]).toMatchObject({ row: 1, line: 2, column: 'net', value: '9' });
		expect(summary.issues[0].reason).toMatch(/unknown MNC 9 for MCC 452/);
	});

	it('reads an operator site list', async () => {
		const text = 'site_id,operator,lat,lon,height_m,technologies\nCB-001,Viettel,22.6661,106.2572,42,2G;4G\nCB-002,MobiFone,22.84,106.65,30,4G|5G\n';
		const summary = await run('towers', await file('sites.csv', text));
		expect(summary).toMatchObject({ status: 'committed', preset: 'operator site list', inserted: 2 });
		const [site] = await db.rows<{ technologies: string[]; antenna_height_m: number; source: string }>(sql`select technologies, antenna_height_m, source from towers where site_code = 'CB-001'`);
		expect(site).toEqual({ technologies: ['2G', '4G'], antenna_height_m: 42, source: 'operator' });
	});
});

describe(`import households and fiber (${process.env.TEST_DB})`, () => {
	it('updates households, marks them real, and undo puts the estimates back', async () => {
		const before = (await counts()).hh;
		const summary = await run('households', await file('hh.csv', 'commune_code,population,households\n01273,41200,11800\n01501,12300,3150\n'));
		expect(summary).toMatchObject({ status: 'committed', updated: 2 });
		expect((await counts()).hh).toBe('01273:41200/11800,01501:12300/3150');
		const again = await run('households', await file('hh2.csv', 'commune_code,population,households\n01273,41200,11800\n'));
		expect(again).toMatchObject({ updated: 0, duplicate: 1 });
		await undoImport(db, again.importId, actor);
		await undoImport(db, summary.importId, actor);
		expect((await counts()).hh).toBe(before);
		const [thucPhan] = await db.rows<{ households_synthetic: boolean }>(sql`select households_synthetic from communes where code = '01273'`);
		expect(thucPhan.households_synthetic).toBe(true);
	});

	it('refuses an unknown commune and households above population', async () => {
		const summary = await run('households', await file('hh-bad.csv', 'commune_code,population,households\n99999,100,20\n01501,100,200\n'));
		expect(summary.issues.map((i) => [i.row, i.column, i.reason])).toEqual([
			[1, 'commune_code', 'no commune with this code (load its boundaries first)'],
			[2, 'households', 'is more than the population (100)']
		]);
	});

	it('imports fiber per commune and per hamlet, refuses counts that do not nest, and undoes an update', async () => {
		const first = await run(
			'fiber',
			await file('fiber.csv', 'unit_code,parent_commune_code,operator,households_total,households_passed,households_connected\n01273,,Viettel,12000,9000,6000\nTP-H01,01273,VNPT,300,120,80\n')
		);
		expect(first).toMatchObject({ status: 'committed', inserted: 2 });
		const update = await run('fiber', await file('fiber2.csv', 'unit_code,operator,households_total,households_passed,households_connected\n01273,Viettel,12000,9500,6400\n'));
		expect(update).toMatchObject({ status: 'committed', inserted: 0, updated: 1 });
		await undoImport(db, update.importId, actor);
		const [row] = await db.rows<{ households_passed: number }>(sql`select households_passed from fiber_coverage where unit_code = '01273'`);
		expect(row.households_passed).toBe(9000);
		const bad = await run('fiber', await file('fiber3.csv', 'unit_code,operator,households_total,households_passed,households_connected\n01501,Viettel,100,120,10\n'));
		expect(bad.issues[0]).toMatchObject({ row: 1, column: 'households_passed', reason: 'is more than households_total (100)' });
	});
});
