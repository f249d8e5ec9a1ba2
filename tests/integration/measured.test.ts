import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { cellToParent, latLngToCell } from 'h3-js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dayOf, summariseReports, type MeasuredReport } from '../../src/lib/coverage/measured';
import { decimalToCell } from '../../src/lib/grid/h3';
import { inTransaction, type Database } from '../../src/lib/server/db/index';
import { undoImport } from '../../src/lib/server/import/history';
import { runImport } from '../../src/lib/server/import/pipeline';
import { measuredCellsInBbox } from '../../src/lib/server/coverage-cells';
import { ancestorsOfProvince, ensureMeasuredCurrent, measuredFingerprint, rebuildMeasured, retireOldReports, updateMeasured } from '../../src/lib/server/measured';
import { reportsOfImport } from '../../src/lib/server/measured-reports';
import { insertCommunes } from '../../src/lib/server/communes';
import { insertReports, type ReportInput } from '../../src/lib/server/reports';
import { ancestorNumberOf, regionNumberOf, regionOfAncestor, res9RangesOfAncestors } from '../../src/lib/grid/regions';
import { changeSetting } from '../../src/lib/server/analysis';
import { DEFAULT_SETTINGS } from '../../src/lib/settings/definitions';
import { openTestDatabase, resetDatabase } from '../helpers/db';

let db: Database;
let dir: string;
const actor = { accountId: null, label: 'cli:test' };
beforeAll(async () => {
	db = await openTestDatabase();
	dir = await mkdtemp(path.join(os.tmpdir(), 'phu-song-measured-'));
});
afterAll(async () => {
	await db?.close();
	await rm(dir, { recursive: true, force: true });
});
beforeEach(() => resetDatabase(db));

const HEADER = 'timestamp,lat,lon,operator,technology,rsrp,rssi,dl_mbps';
const day = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();
/** A drive-test-like file: rows near Đàm Thuỷ, several operators and technologies. */
function csv(rows: [number, number, string, string, number | '', number | '', number | ''][], ageDays = 1): string {
	return [HEADER, ...rows.map(([lat, lon, op, tech, rsrp, rssi, dl], i) => [day(ageDays + i * 0.1), lat, lon, op, tech, rsrp, rssi, dl].join(','))].join('\n');
}
async function importFile(name: string, text: string) {
	const file = path.join(dir, name);
	await writeFile(file, text);
	const summary = await runImport(db, { kind: 'measurements', filePath: file, skipInvalid: false, actor, options: { mcc: 452, decimalComma: false, mapping: {}, boundarySet: '2025' } });
	expect(summary.status).toBe('committed');
	return summary;
}

const A: [number, number, string, string, number | '', number | '', number | ''][] = [
	[22.8501, 106.6502, 'Viettel', 'LTE', -101, '', 12.4],
	[22.8503, 106.6511, 'Viettel', 'LTE', -118, '', 1.2],
	[22.8512, 106.6533, 'VinaPhone', 'LTE', -96, '', 30],
	[22.8522, 106.6544, 'Viettel', 'GSM', '', -87, ''],
	[22.8610, 106.6702, 'MobiFone', 'NR', -88, '', 210]
];
const B: [number, number, string, string, number | '', number | '', number | ''][] = [
	[22.8502, 106.6503, 'Viettel', 'LTE', -109, '', 3],
	[22.8611, 106.6701, 'MobiFone', 'NR', -92, '', 150],
	[22.9000, 106.7000, 'Viettel', 'LTE', -75, '', 55]
];

/** A resident's report near Đàm Thuỷ (Viettel 4G, -100 dBm, today), with `over` changed. */
const residentReport = (over: Partial<ReportInput> = {}): ReportInput => ({
	sourceKind: 'resident', operatorCode: 'viettel', technology: '4G', rsrpDbm: -100, rssiDbm: null, signalBars: null, noService: false,
	downloadMbps: null, uploadMbps: null, latencyMs: null, observedAt: day(0.1), accuracyM: 20, reporterKey: 'device-1',
	position: [106.6502, 22.8501], synthetic: true, ...over
});

/**
 * Runs `first` in a transaction held open after it has done its work, starts `second` then, lets
 * `first` finish ~300 ms later (`afterHold`, still in its transaction) and waits for both.
 */
async function whileHeldOpen(first: (tx: Database) => Promise<unknown>, second: () => Promise<unknown>, afterHold?: (tx: Database) => Promise<unknown>): Promise<void> {
	let release!: () => void;
	const held = new Promise<void>((resolve) => (release = resolve));
	let done!: () => void;
	const worked = new Promise<void>((resolve) => (done = resolve));
	const holder = inTransaction(db, async (tx) => {
		await first(tx);
		done();
		await held;
		await afterHold?.(tx);
	});
	await worked;
	const other = second();
	await new Promise((resolve) => setTimeout(resolve, 300));
	release();
	await Promise.all([holder, other]);
}

/** The incremental layer as it stands equals a rebuild from the reports. */
async function expectEqualToRebuild(): Promise<void> {
	const incremental = await measuredFingerprint(db);
	await rebuildMeasured(db);
	expect(await measuredFingerprint(db)).toEqual(incremental);
}

describe(`measured coverage (${process.env.TEST_DB})`, () => {
	it('appears with an import, returns exactly to the previous state on undo, and equals a rebuild at each step', async () => {
		const empty = await measuredFingerprint(db);
		const first = await importFile('a.csv', csv(A));
		const afterA = await measuredFingerprint(db);
		const cells = await db.rows<{ n: number }>(sql`select count(*)::int as n from measured_cells`);
		expect(cells[0].n).toBeGreaterThan(0);
		await rebuildMeasured(db);
		expect(await measuredFingerprint(db)).toEqual(afterA);

		const second = await importFile('b.csv', csv(B, 3));
		const afterAB = await measuredFingerprint(db);
		await rebuildMeasured(db);
		expect(await measuredFingerprint(db)).toEqual(afterAB);

		// Region by region, a report a batch: the same table (the files span several res-6 regions).
		const [{ regions }] = await db.rows<{ regions: number }>(sql`select count(distinct h3_res9 >> 27)::int as regions from signal_reports`);
		expect(regions).toBeGreaterThan(1);
		await rebuildMeasured(db, { batchReports: 1, readReports: 1 });
		expect(await measuredFingerprint(db)).toEqual(afterAB);

		await undoImport(db, second.importId, actor);
		expect(await measuredFingerprint(db)).toEqual(afterA);
		await undoImport(db, first.importId, actor);
		expect(await measuredFingerprint(db)).toEqual(empty);
	});

	it('counts reports as the intake inserts them (from what the insert returns) exactly as a rebuild reads them', async () => {
		await importFile('a.csv', csv(A));
		const report = (over: Partial<ReportInput>) => residentReport({ signalBars: 2, observedAt: day(0.2), ...over });
		// Values stored as real round as the database rounds them; a reporter seen before and new ones;
		// no reporter; a no-service report without a technology (dead for each); one outside the window.
		await insertReports(db, [
			report({ rsrpDbm: -97.50000001 }),
			report({ rsrpDbm: -100.5, reporterKey: 'device-2', downloadMbps: 2.4999999 }),
			report({ reporterKey: null, signalBars: 4, rsrpDbm: null }),
			report({ technology: null, noService: true, rsrpDbm: null, signalBars: 0, operatorCode: 'mobifone', position: [106.6611, 22.8610] }),
			report({ observedAt: day(400), reporterKey: 'device-old' })
		]);
		await insertReports(db, [report({ reporterKey: 'device-2', sourceKind: 'app', technology: '3G', rsrpDbm: null, rssiDbm: -88.5 })]);
		await expectEqualToRebuild();
		const [{ reporters }] = await db.rows<{ reporters: number }>(sql`select reporters from measured_cells where res = 6 and operator_code = 'viettel' and technology = '*'`);
		expect(reporters).toBe(3); // the import file, device-1, device-2 (the old report is outside the window)
	});

	it('loses nothing when two writers change the same cells at once (the retirement job and a resident\'s report)', async () => {
		await insertReports(db, [residentReport({ reporterKey: 'device-old', observedAt: day(360) }), residentReport({ reporterKey: 'device-0', observedAt: day(1) })]);
		// The retirement (ten days on, so the 360-day-old report leaves the window) has read and
		// written its keys and holds its transaction open; a new report comes then. Had the report's
		// transaction read the keys before the retirement committed, it would write back states that
		// still hold the retired report.
		await whileHeldOpen(
			async (tx) => expect(await retireOldReports(tx, new Date(Date.now() + 10 * 86_400_000))).toBe(1),
			() => inTransaction(db, (tx) => insertReports(tx, [residentReport()]))
		);
		const [{ reports, reporters }] = await db.rows<{ reports: number; reporters: number }>(sql`
			select reports, reporters from measured_cells where res = 6 and operator_code = 'viettel' and technology = '4G'`);
		expect({ reports, reporters }).toEqual({ reports: 2, reporters: 2 });
		await expectEqualToRebuild();
	});

	it('removes reports (an undo) while a report comes in, without a deadlock and without losing either', async () => {
		const summary = await importFile('a.csv', csv(A));
		// As an undo does: the contributions go first, then (held open a while) the rows. A report
		// inserted in between takes the reports' row at its insert and then waits for the layer's
		// lock; the removal then waits for the reports' row — unless it took that row first.
		await whileHeldOpen(
			(tx) => updateMeasured(tx, reportsOfImport(summary.importId), -1),
			() => inTransaction(db, (tx) => insertReports(tx, [residentReport()])),
			(tx) => tx.orm.execute(sql`delete from signal_reports where import_id = ${summary.importId}`)
		);
		const [{ reports }] = await db.rows<{ reports: number }>(sql`select sum(reports)::int as reports from measured_cells where res = 6 and operator_code = '*'`);
		expect(reports).toBe(1);
		await expectEqualToRebuild();
	});

	it('recomputes a province\'s cells alone, and PostgreSQL reads and writes only their partitions', async () => {
		await importFile('north.csv', csv(A));
		await importFile('south.csv', csv([[10.8001, 106.7002, 'Viettel', 'LTE', -90, '', 20], [10.8102, 106.7101, 'MobiFone', 'NR', -95, '', 100]]));
		const whole = await measuredFingerprint(db);
		const ring: [number, number][] = [[106.64, 22.84], [106.68, 22.84], [106.68, 22.87], [106.64, 22.87], [106.64, 22.84]];
		await insertCommunes(db, [{ code: 'T01', boundarySet: '2025', name: 'Xã Thử', kind: 'Xã', provinceCode: 'T', provinceName: 'Tỉnh Thử', districtCode: null, population: 1000, households: 250, householdsSynthetic: true, areaKm2: 13, source: 'test', geometry: { type: 'MultiPolygon', coordinates: [[ring]] } }]);
		const ancestors = await ancestorsOfProvince(db, 'T');
		const north = regionNumberOf(BigInt(`0x${latLngToCell(22.85, 106.65, 9)}`));
		expect(new Set(ancestors.map(regionOfAncestor))).toEqual(new Set([north]));

		// Spoil every key: the province's recomputation restores the keys below its ancestors and
		// leaves every other key (the south, and the north beyond the province's reach) as it is.
		await db.orm.execute(sql`update measured_cells set reports = reports + 1000`);
		await rebuildMeasured(db, { ancestors });
		const keys = await db.rows<{ cell: string; spoiled: boolean }>(sql`select cell::text, reports >= 1000 as spoiled from measured_cells`);
		const inProvince = new Set(ancestors);
		expect(keys.some((k) => !inProvince.has(ancestorNumberOf(BigInt(k.cell))))).toBe(true);
		for (const k of keys) expect(k.spoiled).toBe(!inProvince.has(ancestorNumberOf(BigInt(k.cell))));
		await rebuildMeasured(db);
		expect(await measuredFingerprint(db)).toEqual(whole);

		// The statements a recomputation runs, as PostgreSQL plans them: the region's partitions only.
		const partitionsIn = async (statement: ReturnType<typeof sql>) =>
			new Set((await db.rows<Record<string, string>>(sql`explain ${statement}`)).flatMap((r) => [...Object.values(r)[0].matchAll(/\b(signal_reports|measured_cells)_(?:[0-9a-f]{15}|elsewhere)\b/g)].map((m) => m[0])));
		const region = cellToParent(latLngToCell(22.85, 106.65, 9), 2);
		const [{ lo, hi }] = res9RangesOfAncestors(ancestors.slice(0, 1));
		expect(await partitionsIn(sql`select * from signal_reports where h3_res9 >= ${lo.toString()}::bigint and h3_res9 < ${hi.toString()}::bigint`)).toEqual(new Set([`signal_reports_${region}`]));
		expect(await partitionsIn(sql`delete from measured_cells where region = any(${`{${north}}`}::smallint[])`)).toEqual(new Set([`measured_cells_${region}`]));
	});

	it('stores exactly what the pure rules give for the reports, at every resolution and (operator, technology)', async () => {
		await importFile('a.csv', csv(A));
		await importFile('b.csv', csv(B, 3));
		const reports = await db.rows<{ h3: string; source_kind: 'drive_test'; operator_code: string; technology: '4G'; rsrp_dbm: number | null; rssi_dbm: number | null; signal_bars: number | null; no_service: boolean; download_mbps: number | null; upload_mbps: number | null; observed_at: string | Date; reporter: number | null }>(sql`
			select to_hex(h3_res9) as h3, source_kind, operator_code, technology, rsrp_dbm, rssi_dbm, signal_bars, no_service, download_mbps, upload_mbps, observed_at, ri.id as reporter
			from signal_reports c left join reporter_ids ri on ri.reporter = coalesce(c.reporter_key, 'import:' || c.import_id::text)`);
		const pure = summariseReports(
			reports.map((r): MeasuredReport => ({
				h3Res9: r.h3, sourceKind: r.source_kind, operatorCode: r.operator_code, technology: r.technology, rsrpDbm: r.rsrp_dbm, rssiDbm: r.rssi_dbm,
				signalBars: r.signal_bars, noService: r.no_service, downloadMbps: r.download_mbps, uploadMbps: r.upload_mbps, day: dayOf(new Date(r.observed_at).toISOString()), reporter: r.reporter
			})),
			DEFAULT_SETTINGS
		);
		const rows = await db.rows<{ res: 6 | 7 | 8 | 9; cell: string; operator_code: string; technology: string; reports: number; reporters: number; median_dbm: number | null; p10_dbm: number | null; median_download_mbps: number | null; days: number; class: string | null; good: number; fair: number; poor: number; dead: number }>(sql`
			select res, cell::text as cell, operator_code, technology, reports, reporters, median_dbm, p10_dbm, median_download_mbps, days, class, good, fair, poor, dead from measured_cells`);
		expect(rows.length).toBe([...pure.values()].reduce((n, cells) => n + [...cells.values()].reduce((m, dims) => m + dims.size, 0), 0));
		for (const row of rows) {
			const p = pure.get(row.res)!.get(decimalToCell(row.cell))!.get(`${row.operator_code}|${row.technology}`)!;
			expect({ reports: row.reports, reporters: row.reporters, median: row.median_dbm, p10: row.p10_dbm, dl: row.median_download_mbps, days: row.days, class: row.class, counts: [row.good, row.fair, row.poor, row.dead] }).toEqual({
				reports: p.reports, reporters: p.reporters, median: p.medianDbm, p10: p.p10Dbm, dl: p.medianDownloadMbps, days: p.days, class: p.class, counts: p.classCounts
			});
		}
		// A parent cell aggregates its children: the res-8 cell of the first rows holds both files' Viettel 4G rows there.
		const parent = cellToParent(latLngToCell(22.8501, 106.6502, 9), 8);
		const [viettel] = await db.rows<{ reports: number; reporters: number }>(sql`
			select reports, reporters from measured_cells where res = 8 and cell = ${BigInt(`0x${parent}`).toString()}::bigint and operator_code = 'viettel' and technology = '4G'`);
		expect(viettel).toEqual({ reports: 3, reporters: 2 });
	});

	it('rebuilds with a threshold change in the same transaction, and not for a setting it does not rest on', async () => {
		await importFile('a.csv', csv(A));
		await ensureMeasuredCurrent(db);
		const classOf = async () =>
			(await db.rows<{ class: string }>(sql`select class from measured_cells where res = 6 and operator_code = 'viettel' and technology = '4G'`))[0].class;
		expect(await classOf()).toBe('dead'); // median −118 dBm, below −115
		const before = await measuredFingerprint(db);
		await changeSetting(db, actor, 'propagation.4G.tx_dbm', '16');
		expect(await measuredFingerprint(db)).toEqual(before);
		expect(await ensureMeasuredCurrent(db)).toBe(false);
		await changeSetting(db, actor, 'signal.rsrp.poor_dbm', '-125');
		expect(await classOf()).toBe('poor');
		expect(await ensureMeasuredCurrent(db)).toBe(false);
	});

	it('gives any technology and any operator the best class below them', async () => {
		await importFile('a.csv', csv(A));
		const cell = BigInt(`0x${latLngToCell(22.8512, 106.6533, 6)}`).toString();
		const rows = await db.rows<{ operator_code: string; technology: string; class: string }>(sql`
			select operator_code, technology, class from measured_cells where res = 6 and cell = ${cell}::bigint order by operator_code, technology`);
		const byKey = Object.fromEntries(rows.map((r) => [`${r.operator_code}/${r.technology}`, r.class]));
		// Viettel 4G: −101 and −118 dBm, equal weights: the lower median, −118, is below −115: dead.
		expect(byKey['viettel/4G']).toBe('dead');
		// Viettel 2G: RSSI −87 dBm is poor (−95 ≤ x < −85); the best of its technologies is poor.
		expect(byKey['viettel/2G']).toBe('poor');
		expect(byKey['viettel/*']).toBe('poor');
		const order = ['good', 'fair', 'poor', 'dead'];
		const operators = rows.filter((r) => r.operator_code !== '*' && r.technology === '*').map((r) => r.class);
		expect(byKey['*/*']).toBe(order[Math.min(...operators.map((c) => order.indexOf(c)))]);
		expect(operators.length).toBeGreaterThan(1);
	});
});

describe(`measured cells served (${process.env.TEST_DB})`, () => {
	const BBOX: [number, number, number, number] = [105, 22, 107.5, 23.5];
	const liaison = { id: 1, email: 'l@x.vn', displayName: 'L', role: 'operator' as const, operatorCode: 'viettel', communeCode: null, demo: false };
	const planner = { ...liaison, role: 'planner' as const, operatorCode: null };

	it('never serves the public a cell with fewer than k reporters, at any resolution; planners and the own liaison see it', async () => {
		// Two files = two reporters at the same place: below k = 3 for the public.
		await importFile('a.csv', csv(A));
		await importFile('b.csv', csv(B, 3));
		for (const res of [6, 7, 8, 9]) {
			const pub = await measuredCellsInBbox(db, BBOX, { res, operator: null, technology: null, caller: null, publicMinReporters: 3 });
			expect(pub.cells).toEqual([]);
			const mine = await measuredCellsInBbox(db, BBOX, { res, operator: 'viettel', technology: null, caller: liaison, publicMinReporters: 3 });
			expect(mine.cells.length).toBeGreaterThan(0);
			const theirs = await measuredCellsInBbox(db, BBOX, { res, operator: 'vnpt', technology: null, caller: liaison, publicMinReporters: 3 });
			expect(theirs.cells).toEqual([]);
		}
		await importFile('c.csv', csv(A.map((r) => [...r]) as typeof A, 5).replace(/\.8501,/, '.85011,'));
		const all = await measuredCellsInBbox(db, BBOX, { res: 6, operator: null, technology: null, caller: planner, publicMinReporters: 3 });
		const pub = await measuredCellsInBbox(db, BBOX, { res: 6, operator: null, technology: null, caller: null, publicMinReporters: 3 });
		expect(pub.cells.length).toBeGreaterThan(0);
		expect(pub.reporters.every((n) => n >= 3)).toBe(true);
		expect(pub.cells.every((c) => all.cells.includes(c))).toBe(true);
		// Columnar: every field an array of the same length, confidence within [0, 1].
		for (const field of ['class', 'confidence', 'reports', 'reporters', 'medianDbm', 'firstObserved'] as const) expect(pub[field]).toHaveLength(pub.cells.length);
		expect(pub.confidence.every((c) => c >= 0 && c <= 1)).toBe(true);
	});

	it('never changes a cell\'s figures as a bbox edge moves across it in small steps', async () => {
		await importFile('a.csv', csv(A));
		await importFile('b.csv', csv(B, 3));
		const cell = latLngToCell(22.8501, 106.6502, 8);
		const figures = (p: Awaited<ReturnType<typeof measuredCellsInBbox>>) => {
			const i = p.cells.indexOf(cell);
			return i < 0 ? null : JSON.stringify(Object.entries(p).filter(([, v]) => Array.isArray(v)).map(([k, v]) => [k, (v as unknown[])[i]]));
		};
		const seen = new Set<string>();
		let absent = 0;
		// The west edge sweeps 106.60 → 106.70 in 0.002° steps (~200 m), over the cell's ~1 km.
		for (let west = 106.6; west <= 106.7; west += 0.002) {
			const view = await measuredCellsInBbox(db, [west, 22.5, 107, 23], { res: 8, operator: null, technology: null, caller: planner, publicMinReporters: 3 });
			const f = figures(view);
			if (f === null) absent++;
			else seen.add(f);
		}
		expect(seen.size).toBe(1);
		expect(absent).toBeGreaterThan(0);
	});
});
