import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellOfPosition, decimalToCell } from '../../src/lib/grid/h3';
import type { Database } from '../../src/lib/server/db/index';
import { DEMO_SOURCE, seedDemoProvince } from '../../src/lib/server/demo-seed';
import { checkHealth } from '../../src/lib/server/health';
import { calibrationReport } from '../../src/lib/server/calibration';
import { DEMO_OPERATOR_OFFSET_DB } from '../../src/lib/demo/signal';
import { openTestDatabase, resetDatabase } from '../helpers/db';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cellToLatLng } from 'h3-js';
import { unzipSync, strFromU8 } from 'fflate';
import { claimedGapCommunes } from '../../src/lib/demo/declared';
import { DEMO_PROVINCES } from '../../src/lib/demo/provinces';
import { fusedCells, lastFusion, type FusedRow } from '../../src/lib/server/fused';
import { disputedRows } from '../../src/lib/server/fused-api';
import { insertReports } from '../../src/lib/server/reports';
import { disputePackage } from '../../src/lib/server/disputes';
import { runAnyImport } from '../../src/lib/server/import/any';
import { undoImport } from '../../src/lib/server/import/history';
import { rebuildMeasured, updateMeasured } from '../../src/lib/server/measured';
import { reportsWithKeys } from '../../src/lib/server/measured-reports';
import { updateDeclaredGrid } from '../../src/lib/server/declared';
import { inTransaction } from '../../src/lib/server/db/index';
import { deadZones, type DeadZone } from '../../src/lib/server/dead-zones';
import { countStatuses, villageStatuses, villagesInBbox } from '../../src/lib/server/villages';
import { staleCells, staleExport } from '../../src/lib/server/stale';
import { communeScorecards } from '../../src/lib/server/scorecards';
import { scorecardColumns, scorecardRow } from '../../src/lib/server/scorecard-export';
import { getResolution } from 'h3-js';
import { parse as parseCsv } from 'csv-parse/sync';
import { communeDetail } from '../../src/lib/server/commune-detail';
import { provinceReport } from '../../src/lib/server/province-report';
import { OPEN_DATASETS, openFile, openTable } from '../../src/lib/server/open-data';
import { measuredCellsInBbox, measuredCellsVersion, storedCells } from '../../src/lib/server/coverage-cells';
import { computeWindow, windowCells } from '../../src/lib/server/measured-window';
import { runImport } from '../../src/lib/server/import/pipeline';
import { readParquet } from '../helpers/parquet';
import { fiberCommunes, populationCellsInBbox } from '../../src/lib/server/explorer-layers';
import { householdLayer } from '../../src/lib/server/households';
import { cellArea } from 'h3-js';

let db: Database;
const dataRoot = 'data';

beforeAll(async () => {
	db = await openTestDatabase();
	await resetDatabase(db);
	await seedDemoProvince(db, '04', { dataRoot });
}, 240_000);
afterAll(() => db?.close());

describe(`demo province Cao Bằng (${process.env.TEST_DB})`, () => {
	it('loads the 56 real 2025 communes with their real population', async () => {
		const [row] = await db.rows<{ n: number; population: number; invalid: number }>(sql`
			select count(*)::int as n, sum(population)::int as population,
				count(*) filter (where not ST_IsValid(geom))::int as invalid
			from communes where boundary_set = '2025' and province_code = '04'`);
		// Population total from the source README (sapnhap.bando.com.vn figures).
		expect(row).toEqual({ n: 56, population: 573_119, invalid: 0 });
	});

	it('marks every generated row synthetic', async () => {
		const [row] = await db.rows<{ towers: number; real_towers: number; reports: number; real_reports: number; fiber_real: number; hh_real: number }>(sql`
			select (select count(*) from towers)::int as towers,
				(select count(*) from towers where not synthetic or source <> ${DEMO_SOURCE})::int as real_towers,
				(select count(*) from signal_reports)::int as reports,
				(select count(*) from signal_reports where not synthetic)::int as real_reports,
				(select count(*) from fiber_coverage where not synthetic)::int as fiber_real,
				(select count(*) from communes where not households_synthetic)::int as hh_real`);
		expect(row.towers).toBeGreaterThan(200);
		expect(row.towers).toBeLessThan(500);
		expect(row.reports).toBe(30_000);
		expect(row).toMatchObject({ real_towers: 0, real_reports: 0, fiber_real: 0, hh_real: 0 });
	});

	it('has towers of the three big operators, inside the province', async () => {
		const rows = await db.rows<{ operator_code: string; n: number; outside: number }>(sql`
			select t.operator_code, count(*)::int as n,
				count(*) filter (where not exists (select 1 from communes c where ST_Intersects(c.geom, t.geom)))::int as outside
			from towers t group by t.operator_code order by t.operator_code`);
		expect(rows.map((r) => r.operator_code)).toEqual(['mobifone', 'viettel', 'vnpt']);
		expect(rows.every((r) => r.outside === 0)).toBe(true);
		const viettel = rows.find((r) => r.operator_code === 'viettel')!;
		expect(viettel.n).toBeGreaterThan(rows.find((r) => r.operator_code === 'mobifone')!.n);
	});

	it('stores each report with the H3 resolution-9 cell of its point', async () => {
		const rows = await db.rows<{ h3: string; lng: number; lat: number }>(sql`
			select h3_res9::text as h3, ST_X(geom) as lng, ST_Y(geom) as lat from signal_reports order by id limit 200`);
		for (const r of rows) expect(decimalToCell(r.h3)).toBe(cellOfPosition([r.lng, r.lat]));
	});

	it('leaves a gap in the border commune Đàm Thuỷ and serves the town of Thục Phán', async () => {
		const rows = await db.rows<{ name: string; dead: number }>(sql`
			select c.name, avg(case when r.no_service or r.rsrp_dbm < -115 or r.signal_bars = 0 then 1.0 else 0.0 end)::float8 as dead
			from signal_reports r join communes c on ST_Intersects(c.geom, r.geom)
			where c.code in ('01501', '01273') group by c.name`);
		const dead = Object.fromEntries(rows.map((r) => [r.name, r.dead]));
		expect(dead['Đàm Thuỷ']).toBeGreaterThan(0.5);
		expect(dead['Thục Phán']).toBeLessThan(0.1);
	});

	it('ships a synthetic DEM, predicts every group with it, and calibration finds the operators\' synthetic offsets', async () => {
		const [state] = await db.rows<{ terrain: boolean; tiles: number; file_name: string }>(sql`
			select p.terrain, (select count(*)::int from dem_tiles) as tiles, (select file_name from imports where kind = 'dem') as file_name from predicted_state p`);
		expect(state).toEqual({ terrain: true, tiles: expect.any(Number), file_name: 'demo-dem-04.synthetic' });
		expect(state.tiles).toBeGreaterThan(10);
		const groups = await db.rows<{ n: number }>(sql`select count(distinct (operator_code, technology))::int as n from predicted_tiles where operator_code <> '*' and technology <> '*'`);
		expect(groups[0].n).toBe(12); // 3 operators × 2G, 3G, 4G, 5G
		const report = await calibrationReport(db);
		for (const op of ['viettel', 'vnpt', 'mobifone']) {
			const row = report.find((r) => r.operator === op && r.technology === '4G' && r.settlement === 'rural')!;
			expect(row.fitted).toBeGreaterThan(50);
			// Measured − model ≈ the synthetic offset (src/lib/demo/signal.ts): the fit finds it, and the error shrinks.
			expect(row.offsetDb).toBeGreaterThan(DEMO_OPERATOR_OFFSET_DB[op] - 3);
			expect(row.offsetDb).toBeLessThan(DEMO_OPERATOR_OFFSET_DB[op] + 3);
			expect(row.after.rmseDb).toBeLessThanOrEqual(row.before.rmseDb + 0.2);
			expect(Math.abs(row.after.meanDb)).toBeLessThan(Math.abs(row.before.meanDb) + 0.5);
		}
	});

	it('keeps fiber counts consistent with households', async () => {
		const [row] = await db.rows<{ bad: number; communes: number }>(sql`
			select count(*) filter (where f.households_total <> c.households)::int as bad, count(distinct f.commune_code)::int as communes
			from fiber_coverage f join communes c on c.code = f.commune_code and c.boundary_set = '2025'`);
		expect(row).toEqual({ bad: 0, communes: 56 });
	});

	it('does not seed the same province twice', async () => {
		const before = await checkHealth(db);
		expect(await seedDemoProvince(db, '04', { dataRoot })).toBeNull();
		expect((await checkHealth(db)).counts).toEqual(before.counts);
		expect(before.demo.map((d) => d.provinceCode)).toEqual(['04']);
	});

	it('names the province codes it knows when given another', async () => {
		await expect(seedDemoProvince(db, '01', { dataRoot })).rejects.toThrow(/province must be one of 04, 75|province must be one of 75, 04/);
	});
});

/** The commune (2025 set) each cell's centre lies in. */
async function communesOf(db: Database, cells: readonly string[]): Promise<Map<string, string>> {
	const points = cells.map((h3) => {
		const [lat, lng] = cellToLatLng(h3);
		return { h3, lng, lat };
	});
	const rows = await db.rows<{ h3: string; code: string }>(sql`
		select p.h3, c.code from json_to_recordset(${JSON.stringify(points)}::json) as p(h3 text, lng float8, lat float8)
		join communes c on c.boundary_set = '2025' and ST_Contains(c.geom, ST_SetSRID(ST_MakePoint(p.lng, p.lat), 4326))`);
	return new Map(rows.map((r) => [r.h3, r.code]));
}

const declaredDisputesIn = async (db: Database, commune: string): Promise<string[]> => {
	const rows = (await disputedRows(db, { res: 9, operator: 'viettel', technology: '4G' })).filter((r) => r.fused.disputes.includes('declared'));
	const where = await communesOf(db, rows.map((r) => r.h3));
	return rows.filter((r) => where.get(r.h3) === commune).map((r) => r.h3);
};

/** A fused layer as plain text, to compare two states. */
/** Up to five cells whose rows differ between two layers: [cell, row in a, row in b]. */
function differingCells(a: readonly FusedRow[], b: readonly FusedRow[]): [string, string | undefined, string | undefined][] {
	const text = (rows: readonly FusedRow[]) => new Map(rows.map((r) => [r.h3, fusedText([r])]));
	const [ta, tb] = [text(a), text(b)];
	return [...new Set([...ta.keys(), ...tb.keys()])]
		.filter((c) => ta.get(c) !== tb.get(c))
		.slice(0, 5)
		.map((c) => [c, ta.get(c), tb.get(c)]);
}
const fusedText = (rows: readonly FusedRow[]) => JSON.stringify(rows.map((r) => [r.h3, r.fused, r.declared, r.declaredShare, r.measured?.reports ?? null, r.predicted?.dbm ?? null]));

describe(`fusion and disputes on the demo province (${process.env.TEST_DB})`, () => {
	const gapCodes = DEMO_PROVINCES['04'].gapCommuneCodes;

	it('puts the demo operators\' synthetic 4G maps on the grid, and disputes appear in the mountain communes they overclaim', async () => {
		const grids = await db.rows<{ operator_code: string; technology: string; cell_count: number }>(sql`select operator_code, technology, cell_count from declared_grid order by operator_code`);
		expect(grids.map((g) => `${g.operator_code} ${g.technology}`)).toEqual(['mobifone 4G', 'viettel 4G', 'vnpt 4G']);
		for (const g of grids) expect(g.cell_count).toBeGreaterThan(5_000);
		const claimed = new Set(claimedGapCommunes('viettel', gapCodes));
		const disputed = (await disputedRows(db, { res: 9, operator: 'viettel', technology: '4G' })).filter((r) => r.fused.disputes.includes('declared'));
		const where = await communesOf(db, disputed.map((r) => r.h3));
		const inClaimed = disputed.filter((r) => claimed.has(where.get(r.h3) ?? '')).length;
		expect(inClaimed).toBeGreaterThanOrEqual(20);
		// Each passed the gates on its own measurements and is inside the map.
		for (const r of disputed) {
			expect(r.declared).toBe(true);
			expect(r.measured!.reporters).toBeGreaterThanOrEqual(3);
			expect(r.measured!.days).toBeGreaterThanOrEqual(2);
			expect(['poor', 'dead']).toContain(r.measured!.class);
		}
	});

	it('fuses measured, parent, predicted and declared evidence, and any operator is the best of them', async () => {
		const rows = await fusedCells(db, { res: 9, operator: 'viettel', technology: '4G', minReporters: 1 });
		const sources = new Set(rows.map((r) => r.fused.source));
		expect([...sources].sort()).toEqual(['declared', 'measured', 'measured-parent', 'predicted']);
		const any = await fusedCells(db, { res: 8, operator: '*', technology: '4G', minReporters: 3 });
		const viettel = new Map((await fusedCells(db, { res: 8, operator: 'viettel', technology: '4G', minReporters: 3 })).map((r) => [r.h3, r]));
		const rank = ['good', 'fair', 'poor', 'dead'];
		for (const r of any.slice(0, 2_000)) {
			const v = viettel.get(r.h3);
			if (v?.fused.class && r.fused.class) expect(rank.indexOf(r.fused.class)).toBeLessThanOrEqual(rank.indexOf(v.fused.class));
			expect(r.fused.disputes).toEqual([]);
		}
	});

	it('a declared map over the whole of Đàm Thuỷ for Viettel 4G adds at least 20 disputed cells there; its undo removes exactly them', async () => {
		const before = await declaredDisputesIn(db, '01501');
		const [commune] = await db.rows<{ g: string }>(sql`select ST_AsGeoJSON(geom) as g from communes where code = '01501' and boundary_set = '2025'`);
		const dir = await mkdtemp(path.join(os.tmpdir(), 'phu-song-fusion-'));
		try {
			const file = path.join(dir, 'viettel-4g-dam-thuy.geojson');
			await writeFile(file, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { operator: 'viettel', technology: '4G' }, geometry: JSON.parse(commune.g) }] }));
			const summary = await runAnyImport(db, 'declared', { filePath: file, options: { mapping: {}, skipInvalid: false }, actor: { accountId: null, label: 'cli:test' } });
			expect(summary).toMatchObject({ status: 'committed', inserted: 1 });
			const after = await declaredDisputesIn(db, '01501');
			expect(after.length - before.length).toBeGreaterThanOrEqual(20);
			expect(after).toEqual(expect.arrayContaining(before));
			await undoImport(db, summary.importId, { accountId: null, label: 'cli:test' });
			expect(await declaredDisputesIn(db, '01501')).toEqual(before);
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
	});

	it('packages an operator\'s disputes as GeoJSON, CSV and a zip with a Vietnamese cover sheet, with aggregates only', async () => {
		const zip = await disputePackage(db, 'viettel', 'zip', new Date('2026-12-01T08:00:00Z'));
		expect(zip.fileName).toBe('phu-song-disputes-viettel-2026-12-01.zip');
		const files = unzipSync(zip.body as Uint8Array);
		expect(Object.keys(files).sort()).toEqual(['cover-sheet.txt', 'disputes.csv', 'disputes.geojson', 'trang-bia.txt']);
		const sheet = strFromU8(files['trang-bia.txt']);
		expect(sheet).toContain('Viettel');
		expect(sheet).toContain('TỔNG HỢP');
		expect(sheet).toMatch(/ít nhất 3 người báo khác nhau/);
		const csv = strFromU8(files['disputes.csv']).trim().split('\r\n');
		const disputed = await disputedRows(db, { res: 9, operator: 'viettel', technology: '4G' });
		expect(csv.filter((l) => l.includes(',4G,')).length).toBe(disputed.length);
		const geo = JSON.parse(strFromU8(files['disputes.geojson']));
		expect(geo.features.length).toBe(csv.length - 1);
		expect(geo.coverSheet.vi).toBe(sheet);
		// No reporter, report or device appears in any file.
		const all = Object.values(files).map((f) => strFromU8(f)).join('\n');
		expect(all).not.toMatch(/demo-resident|demo-drive|reporter_key|import:/);
	});

	it('after new reports, and after their removal, fuses again only the cells they touch, and equals a full fusion', async () => {
		const keys = [
			{ res: 9, operator: 'viettel', technology: '4G', minReporters: 1 },
			// Res 9 under the k rule: a sibling keeps its own (unchanged) measurements from its previous row.
			{ res: 9, operator: 'viettel', technology: '*', minReporters: 3 },
			{ res: 9, operator: '*', technology: '*', minReporters: 1 },
			{ res: 8, operator: 'viettel', technology: '*', minReporters: 3 },
			{ res: 7, operator: '*', technology: '*', minReporters: 3 }
		];
		const expectPatchedEqualsFull = async () => {
			for (const k of keys) {
				const patched = await fusedCells(db, k);
				if (k.operator !== '*') expect(lastFusion).toMatchObject({ how: 'patched' });
				const fullRows = await fusedCells(db, k, undefined, { full: true });
				// The first few cells that differ, readable, before the whole layer's text.
				expect(differingCells(patched, fullRows), JSON.stringify(k)).toEqual([]);
				expect(fusedText(patched)).toBe(fusedText(fullRows));
			}
		};
		for (const k of keys) await fusedCells(db, k);
		// Five residents of one hamlet of Đàm Thuỷ, no signal, over three days at different hours.
		const [centre] = await db.rows<{ lng: number; lat: number }>(sql`select ST_X(ST_PointOnSurface(geom)) as lng, ST_Y(ST_PointOnSurface(geom)) as lat from communes where code = '01501'`);
		const reports = Array.from({ length: 15 }, (_, i) => ({
			sourceKind: 'resident' as const,
			operatorCode: 'viettel',
			technology: null,
			rsrpDbm: null,
			rssiDbm: null,
			signalBars: 0,
			noService: true,
			downloadMbps: null,
			uploadMbps: null,
			latencyMs: null,
			observedAt: new Date(Date.now() - (i % 3) * 86_400_000 - (i % 5) * 3 * 3_600_000).toISOString(),
			accuracyM: 10,
			reporterKey: `fusion-test-${i % 5}`,
			position: [centre.lng + (i % 2) * 0.004, centre.lat] as [number, number],
			synthetic: true
		}));
		await insertReports(db, reports);
		// And 500 copies of reports from all over the province (border cells too: their res-8
		// siblings lie partly outside it, with no prediction).
		const copies = await inTransaction(db, async (tx) => {
			const rows = await tx.rows<{ id: string; h3: string }>(sql`
				insert into signal_reports (source_kind, operator_code, technology, rsrp_dbm, rssi_dbm, signal_bars, no_service, download_mbps, upload_mbps,
					observed_at, h3_res9, reporter_key, synthetic, geom, dedupe_key)
				select source_kind, operator_code, technology, rsrp_dbm, rssi_dbm, signal_bars, no_service, download_mbps, upload_mbps,
					now() - interval '2 hours', h3_res9, 'fusion-test-copy-' || (id % 40), true, geom, gen_random_uuid()
				from signal_reports where id % 60 = 7 limit 500
				returning id::text as id, h3_res9::text as h3`);
			await updateMeasured(tx, reportsWithKeys(rows), 1);
			return rows;
		});
		await expectPatchedEqualsFull();
		// Half the copies removed again (as an undo does): cells lose reporters, some their measurements.
		await inTransaction(db, async (tx) => {
			const half = copies.filter((_, i) => i % 2 === 0);
			await updateMeasured(tx, reportsWithKeys(half), -1);
			await tx.orm.execute(sql`delete from signal_reports where id = any(${`{${half.map((r) => r.id).join(',')}}`}::bigint[])`);
		});
		await expectPatchedEqualsFull();
		const cell = cellOfPosition([centre.lng, centre.lat]);
		const row = (await fusedCells(db, keys[0])).find((r) => r.h3 === cell)!;
		expect(row.fused).toMatchObject({ source: 'measured', class: 'dead' });
	});

	it('equals itself after `coverage rebuild` (measured from every report, declared grid from every polygon)', async () => {
		const keys = [
			{ res: 9, operator: 'viettel', technology: '4G', minReporters: 1 },
			{ res: 8, operator: '*', technology: '*', minReporters: 3 }
		];
		const before = await Promise.all(keys.map(async (k) => fusedText(await fusedCells(db, k))));
		await inTransaction(db, async (tx) => {
			await rebuildMeasured(tx);
			await updateDeclaredGrid(tx, { all: true });
		});
		const after = await Promise.all(keys.map(async (k) => fusedText(await fusedCells(db, k))));
		expect(after).toEqual(before);
	});
});

/** A dead-zone set as plain text (ids, cells and figures), to compare two computations. */
const zonesText = (zones: readonly DeadZone[]) => JSON.stringify(zones.map((z) => [z.id, z.cells, Math.round(z.households * 1000), z.communes, z.openReports, z.openReporters, z.dominantSource, z.poorCells]));

describe(`dead zones, villages and stale cells on the demo province (${process.env.TEST_DB})`, () => {
	it('finds dead zones with households inside, Đàm Thuỷ among them, for no operator and per operator, public ones from res-8 cells', async () => {
		const none = await deadZones(db, { res: 9, operator: null, minReporters: 1 });
		expect(none.zones.length).toBeGreaterThan(20);
		expect(new Set(none.zones.map((z) => z.id)).size).toBe(none.zones.length);
		for (const z of none.zones) {
			expect(z.households).toBeGreaterThan(0);
			expect(z.areaKm2).toBeGreaterThan(0);
			expect(z.geometry.type).toBe('MultiPolygon');
			expect(z.communes.length).toBeGreaterThan(0);
		}
		const damThuy = none.zones.filter((z) => z.communes.some((c) => c.code === '01501' && c.set === '2025'));
		expect(damThuy.length).toBeGreaterThan(0);
		// Residents complain from its hamlets: the zones there hold open reports, decided by measurements.
		expect(damThuy.some((z) => z.openReports > 0 && z.dominantSource === 'measured')).toBe(true);
		// Where no operator serves, each operator alone serves no better.
		const viettel = await deadZones(db, { res: 9, operator: 'viettel', minReporters: 1 });
		const cells = (zs: readonly DeadZone[]) => new Set(zs.flatMap((z) => z.cells));
		const viettelCells = cells(viettel.zones);
		expect([...cells(none.zones)].every((c) => viettelCells.has(c))).toBe(true);
		const publicZones = await deadZones(db, { res: 8, operator: null, minReporters: 3 });
		expect(publicZones.zones.length).toBeGreaterThan(5);
		expect(publicZones.zones.every((z) => z.cells.every((c) => getResolution(c) === 8))).toBe(true);
	});

	it('after new reports grows again only the zones they touch, keeps the other ids, and equals a full recomputation', async () => {
		const key = { res: 9 as const, operator: null, minReporters: 1 };
		const before = await deadZones(db, key);
		const publicBefore = await deadZones(db, { res: 8, operator: null, minReporters: 3 });
		const villagesBefore = await villageStatuses(db, { operator: null, minReporters: 1 });
		const target = before.zones[0];
		// Good 4G signal reported by five residents over days all over the largest zone: it is served now.
		const reports = target.cells.flatMap((h3, j) =>
			Array.from({ length: 6 }, (_, i) => {
				const [lat, lng] = cellToLatLng(h3);
				return {
					sourceKind: 'resident' as const,
					operatorCode: 'viettel',
					technology: '4G' as const,
					rsrpDbm: -80,
					rssiDbm: null,
					signalBars: null,
					noService: false,
					downloadMbps: null,
					uploadMbps: null,
					latencyMs: null,
					observedAt: new Date(Date.now() - (i % 3) * 86_400_000 - j * 60_000).toISOString(),
					accuracyM: 10,
					reporterKey: `zone-test-${i % 5}`,
					position: [lng, lat] as [number, number],
					synthetic: true
				};
			})
		);
		await insertReports(db, reports);
		const after = await deadZones(db, key);
		expect(after.how).toBe('incremental');
		expect(after.zones.some((z) => z.cells.includes(target.cells[0]))).toBe(false);
		expect(after.grown).toBeLessThan(before.zones.length / 2);
		// Zones away from the change keep their ids and cells.
		const far = before.zones.filter((z) => z.id !== target.id).slice(-10);
		for (const z of far) expect(after.zones.find((a) => a.id === z.id)?.cells).toEqual(z.cells);
		const full = await deadZones(db, key, { full: true });
		expect(full.how).toBe('full');
		expect(zonesText(full.zones)).toBe(zonesText(after.zones));
		// The public set and the villages, brought up to date incrementally, equal their full computation.
		const publicAfter = await deadZones(db, { res: 8, operator: null, minReporters: 3 });
		expect(publicAfter.how).toBe('incremental');
		expect(zonesText(publicAfter.zones)).not.toBe(zonesText(publicBefore.zones));
		expect(zonesText(publicAfter.zones)).toBe(zonesText((await deadZones(db, { res: 8, operator: null, minReporters: 3 }, { full: true })).zones));
		const villagesAfter = await villageStatuses(db, { operator: null, minReporters: 1 });
		expect(JSON.stringify(villagesAfter)).not.toBe(JSON.stringify(villagesBefore));
		expect(JSON.stringify(villagesAfter)).toBe(JSON.stringify(await villageStatuses(db, { operator: null, minReporters: 1 }, { full: true })));
		// No-service reports by three residents in a zone far away: it keeps its cells, and its open reports count them.
		const still = after.zones.find((z) => z.id === far[0].id)!;
		const [lat, lng] = cellToLatLng(still.cells[0]);
		await insertReports(
			db,
			[0, 1, 2].map((i) => ({
				sourceKind: 'resident' as const,
				operatorCode: 'viettel',
				technology: '4G' as const,
				rsrpDbm: null,
				rssiDbm: null,
				signalBars: null,
				noService: true,
				downloadMbps: null,
				uploadMbps: null,
				latencyMs: null,
				observedAt: new Date(Date.now() - i * 3_600_000).toISOString(),
				accuracyM: 10,
				reporterKey: `zone-open-${i}`,
				position: [lng, lat] as [number, number],
				synthetic: true
			}))
		);
		const later = await deadZones(db, key);
		expect(later.how).toBe('incremental');
		const stillLater = later.zones.find((z) => z.id === still.id)!;
		expect(stillLater.cells).toEqual(still.cells);
		expect(stillLater.openReports).toBe(still.openReports + 3);
		expect(stillLater.openReporters).toBe(still.openReporters + 3);
		expect(zonesText(later.zones)).toBe(zonesText((await deadZones(db, key, { full: true })).zones));
		// A second process reads the stored set: the same zones and ids.
		const other = await openTestDatabase();
		try {
			if (process.env.TEST_DB === 'postgres') expect(zonesText((await deadZones(other, key)).zones)).toBe(zonesText(later.zones));
		} finally {
			await other.close();
		}
	});

	it('gives villages all three statuses, and compares an imported official register with ours', async () => {
		const villages = await villageStatuses(db, { operator: null, minReporters: 1 });
		const counts = countStatuses(villages);
		expect(counts.trang_song).toBeGreaterThan(0);
		expect(counts.lom_song).toBeGreaterThan(0);
		expect(counts.co_song).toBeGreaterThan(0);
		expect(villages.every((v) => v.synthetic)).toBe(true);
		// The province's register: six villages at the demo ones' places, three of them with our status.
		const sample = [0, 1, 2, 3, 4, 5].map((i) => villages[i * 40]);
		const other = (s: string) => (s === 'co_song' ? 'trang_song' : 'co_song');
		const csv = ['ten_thon,ma_xa,so_ho,co_dien,trang_thai,vi_do,kinh_do', ...sample.map((v, i) => `Register ${i},${v.communeCode},40,có,${i < 3 ? v.evidence.status : other(v.evidence.status)},${v.position[1]},${v.position[0]}`)].join('\n');
		const dir = await mkdtemp(path.join(os.tmpdir(), 'villages-'));
		try {
			const file = path.join(dir, 'register.csv');
			await writeFile(file, csv);
			const actor = { accountId: null, label: 'cli:test' };
			const summary = await runAnyImport(db, 'villages', { filePath: file, options: { mapping: {}, skipInvalid: false }, actor });
			expect(summary).toMatchObject({ status: 'committed', inserted: 6 });
			const [w, s, e, n] = [102, 20, 108, 24];
			const answer = await villagesInBbox(db, [w, s, e, n], { operator: null, minReporters: 1 });
			const register = answer.features.filter((f) => f.properties.name.startsWith('Register '));
			expect(register.map((f) => f.properties.agreesWithOfficial)).toEqual([true, true, true, false, false, false]);
			expect(register.map((f) => f.properties.status)).toEqual(sample.map((v) => v.evidence.status));
			// The demo's synthetic register counts too: every village with an official status is compared.
			expect(answer.comparison.agreements + answer.comparison.disagreements).toBe(answer.features.filter((f) => f.properties.officialStatus !== null).length);
			await undoImport(db, summary.importId!, actor);
			expect((await villageStatuses(db, { operator: null, minReporters: 1 })).length).toBe(villages.length);
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
	});

	it('lists populated cells without recent evidence, most households first, and exports them', async () => {
		const stale = await staleCells(db, { res: 9, bbox: null });
		expect(stale.length).toBeGreaterThan(100);
		for (let i = 1; i < stale.length; i++) expect(stale[i].households).toBeLessThanOrEqual(stale[i - 1].households);
		const measured = await db.rows<{ h3: string }>(sql`select distinct to_hex(h3_res9) as h3 from signal_reports where observed_at > now() - interval '30 days'`);
		const staleSet = new Set(stale.map((c) => c.h3));
		expect(measured.some((r) => staleSet.has(r.h3))).toBe(false);
		const csv = staleExport(stale.slice(0, 3), 'csv').split('\n');
		expect(csv[0]).toBe('h3,lng,lat,households,last_observed,communes');
		expect(csv[1].startsWith(`${stale[0].h3},`)).toBe(true);
		const geojson = JSON.parse(staleExport(stale.slice(0, 3), 'geojson'));
		expect(geojson.features[0].properties).toMatchObject({ rank: 1, h3: stale[0].h3 });
	});
});

describe(`commune scorecards on the demo province (${process.env.TEST_DB})`, () => {
	const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);

	it('scores every commune, ranks by priority, and the province is the sum of its communes', async () => {
		const set = await communeScorecards(db, { set: '2025', operator: '*' }, 3);
		expect(set.scorecards).toHaveLength(56);
		expect(set.operators).toEqual(['mobifone', 'viettel', 'vnpt']);
		expect(set.scorecards.map((s) => s.rank)).toEqual([...set.scorecards.keys()].map((i) => i + 1));
		for (let i = 1; i < set.scorecards.length; i++) expect(set.scorecards[i - 1].score).toBeGreaterThanOrEqual(set.scorecards[i].score);
		const [province] = set.provinces;
		expect(province.code).toBe('04');
		for (const key of ['households', 'unservedHouseholds', 'deadZoneHouseholds', 'villages', 'trangSong', 'openReports', 'fiberHouseholdsPassed'] as const)
			expect(province.counts[key]).toBeCloseTo(sum(set.scorecards.map((s) => s.counts[key])), 6);
		expect(province.counts.villages).toBe(538);
		// Every household is in one commune; any operator covers at least what each operator does.
		expect(province.counts.households).toBeCloseTo(149_929, 0);
		for (const op of set.operators) expect(province.counts.coveredHouseholds['*|*']).toBeGreaterThanOrEqual(province.counts.coveredHouseholds[`${op}|*`]);
		// The dead zones' households, counted by commune, are the public zones' own.
		const zones = await deadZones(db, { res: 8, operator: null, minReporters: 3 });
		expect(province.counts.deadZoneHouseholds).toBeCloseTo(sum(zones.zones.map((z) => z.households)), 3);
		// Rows carry exactly the documented columns.
		const row = scorecardRow(set.scorecards[0], set.operators, 40);
		expect(Object.keys(row).sort()).toEqual(scorecardColumns(set.operators).sort());
		expect(row.commune_code).toBe(set.scorecards[0].code);
	});

	it("an operator's view ranks by that operator's unserved households", async () => {
		const any = await communeScorecards(db, { set: '2025', operator: '*' }, 3);
		const viettel = await communeScorecards(db, { set: '2025', operator: 'viettel' }, 3);
		expect(sum(viettel.scorecards.map((s) => s.counts.unservedHouseholds))).toBeGreaterThan(sum(any.scorecards.map((s) => s.counts.unservedHouseholds)));
		const first = viettel.scorecards[0];
		expect(first.shares.coveredShare).toBeCloseTo(first.operatorShares.viettel!, 6);
		await expect(communeScorecards(db, { set: '2025', operator: 'nobody' }, 3)).rejects.toThrow(/operator/);
	});

	it('pre-2025 figures come through the crosswalk and keep the totals', async () => {
		const now = await communeScorecards(db, { set: '2025', operator: '*' }, 3);
		// A SYNTHETIC crosswalk: each 2025 commune made of one old commune and half of a shared one.
		const codes = now.scorecards.map((s) => s.code).sort();
		const links = codes.flatMap((code, i) => [
			{ old: `9${code.slice(1)}`, code, share: 1 },
			{ old: `8${String(Math.floor(i / 2)).padStart(4, '0')}`, code, share: 0.5 }
		]);
		await db.orm.execute(sql`
			insert into commune_crosswalk (old_code, old_name, old_province_code, new_code, new_name, new_province_code, merge_type, share, share_rule)
			select r.old, 'Xã cũ ' || r.old, '04', r.code, null, '04', 'partial', r.share, 'equal' from json_to_recordset(${JSON.stringify(links)}::json) as r(old text, code text, share float8)`);
		try {
			const old = await communeScorecards(db, { set: 'pre2025', operator: '*' }, 3);
			expect(old.unmapped).toEqual([]);
			expect(old.scorecards.length).toBe(codes.length + Math.ceil(codes.length / 2));
			expect(old.scorecards.every((s) => s.viaCrosswalk && s.province2025 === '04')).toBe(true);
			for (const key of ['households', 'population', 'unservedHouseholds', 'deadZoneHouseholds', 'villages', 'openReports'] as const)
				expect(sum(old.scorecards.map((s) => s.counts[key]))).toBeCloseTo(sum(now.scorecards.map((s) => s.counts[key])), 3);
			expect(sum(old.scorecards.map((s) => s.counts.coveredHouseholds['*|4G']))).toBeCloseTo(sum(now.scorecards.map((s) => s.counts.coveredHouseholds['*|4G'])), 3);
		} finally {
			await db.orm.execute(sql`delete from commune_crosswalk`);
		}
	});
});

describe(`commune page, province report and open data on the demo province (${process.env.TEST_DB})`, () => {
	const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);
	const K = 3;

	it("a commune's detail: its coverage matches its scorecard, and its reports over time add up in buckets of ≥ k reporters", async () => {
		const [{ code }] = await db.rows<{ code: string }>(sql`select code from communes where boundary_set = '2025' and name = 'Đàm Thuỷ'`);
		const d = (await communeDetail(db, { code, set: '2025' }, K))!;
		expect(d.scorecard).toMatchObject({ commune_code: code, name: 'Đàm Thuỷ', province_code: '04' });
		expect(d.communes).toBe(56);
		expect(d.coverage.find((c) => c.operator === '*' && c.technology === '*')!.share).toBeCloseTo(d.scorecard.covered_share!, 3);
		expect(d.coverage.find((c) => c.operator === 'viettel' && c.technology === '*')!.share).toBeCloseTo(d.scorecard.viettel_share!, 3);
		expect(d.province?.commune_code).toBe('04');
		expect(d.outline.geometry.type).toMatch(/Polygon/);
		const [w, s, e, n] = d.bbox;
		expect(w < e && s < n).toBe(true);

		expect(d.reports.length).toBeGreaterThan(3);
		expect(d.reports.every((b) => b.reporters >= K)).toBe(true);
		const [{ reports }] = await db.rows<{ reports: number }>(sql`
			select count(*)::int as reports from signal_reports r join communes c on ST_Intersects(c.geom, r.geom) where c.boundary_set = '2025' and c.code = ${code}`);
		expect(sum(d.reports.map((b) => b.reports))).toBe(reports);
		// With k above everyone who reported there, nothing is shown.
		expect((await communeDetail(db, { code, set: '2025' }, 1_000_000))!.reports).toEqual([]);
		expect(await communeDetail(db, { code: '99999', set: '2025' }, K)).toBeNull();
	});

	it("the province report's KPIs are ratios of its communes' sums, each with its target and source", async () => {
		const r = (await provinceReport(db, '04', K))!;
		expect(r).toMatchObject({ code: '04', name: 'Cao Bằng', synthetic: true });
		expect(r.communes).toHaveLength(56);
		expect(r.communes.map((c) => c.priority_rank)).toEqual([...r.communes.keys()].map((i) => i + 1));
		const kpi = Object.fromEntries(r.kpis.map((k) => [k.key, k]));
		expect(kpi.villages_served).toMatchObject({ numerator: r.province.villages_with_power_served, denominator: r.province.villages_with_power, target: 1 });
		expect(kpi.villages_served.denominator).toBeGreaterThan(0);
		// People covered add up by commune; each row is rounded to whole people (within half a person per commune).
		expect(Math.abs(kpi.population_4g.numerator - r.province.population_4g)).toBeLessThanOrEqual(28);
		expect(Math.abs(kpi.population_5g.numerator - r.province.population_5g)).toBeLessThanOrEqual(28);
		expect(kpi.population_4g.denominator).toBe(sum(r.communes.map((c) => c.population)));
		expect(kpi.fiber_households.numerator).toBe(sum(r.communes.map((c) => c.fiber_households_passed)));
		expect(kpi.speed_4g.denominator + kpi.speed_4g.withoutData!).toBe(56);
		for (const k of r.kpis) {
			expect(k.source).toMatch(/\S/);
			expect(k.status).toBe(k.value === null ? 'unknown' : k.value >= k.target - 5e-4 ? 'met' : 'short');
		}
		expect(r.demo?.provinceCode).toBe('04');
		expect(await provinceReport(db, '99', K)).toBeNull();
	});

	it('the open data read back the same in CSV, GeoJSON and GeoParquet (hyparquet), and match what the API serves', async () => {
		for (const dataset of OPEN_DATASETS) {
			const table = await openTable(db, dataset, K);
			expect(table.rows.length, dataset).toBeGreaterThan(0);
			const geojson = JSON.parse((await openFile(db, dataset, 'geojson', K)).body as string);
			const parquet = await readParquet((await openFile(db, dataset, 'parquet', K)).body as Uint8Array);
			const csv = parseCsv((await openFile(db, dataset, 'csv', K)).body as string, { columns: true, bom: true }) as Record<string, string>[];
			expect(geojson.metadata).toMatchObject({ dataset, licence: { name: 'CC-BY-4.0' }, synthetic: true });
			expect(JSON.parse(parquet.kv.phu_song).vintage).toEqual(geojson.metadata.vintage);
			expect(JSON.parse(parquet.kv.geo)).toMatchObject({ primary_column: 'geometry', columns: { geometry: { encoding: 'WKB' } } });
			expect(geojson.features.map((f: GeoJSON.Feature) => f.properties)).toEqual(table.rows);
			expect(parquet.rows.map(({ geometry: _, ...r }) => r)).toEqual(table.rows);
			expect(parquet.rows.map((r) => r.geometry)).toEqual(table.geometries);
			expect(csv.map((r) => Object.fromEntries(table.columns.map((c) => [c.name, r[c.name]])))).toEqual(table.rows.map((r) => Object.fromEntries(table.columns.map((c) => [c.name, r[c.name] === null ? '' : String(r[c.name])]))));
		}
		const measured = await openTable(db, 'measured-cells', K);
		expect(measured.rows.every((r) => (r.reporters as number) >= K)).toBe(true);
		const api = await measuredCellsInBbox(db, [-180, -90, 180, 90], { res: 8, operator: null, technology: null, caller: null, publicMinReporters: K });
		const anyRows = measured.rows.filter((r) => r.operator === '*' && r.technology === '*');
		expect(anyRows.map((r) => r.h3)).toEqual(api.cells);
		expect(anyRows.map((r) => r.reporters)).toEqual(api.reporters);
		expect(anyRows.map((r) => r.class)).toEqual(api.class);

		const scorecards = await openTable(db, 'scorecards', K);
		const set = await communeScorecards(db, { set: '2025', operator: '*' }, K);
		expect(scorecards.rows.map((r) => [r.commune_code, r.households, r.unserved_households])).toEqual(set.scorecards.map((s) => [s.code, Math.round(s.counts.households), Math.round(s.counts.unservedHouseholds)]));
		const zones = await openTable(db, 'dead-zones', K);
		const publicZones = await deadZones(db, { res: 8, operator: null, minReporters: K });
		expect(zones.rows.filter((r) => r.operator === '*').map((r) => r.zone_id)).toEqual(publicZones.zones.map((z) => z.id));
		expect((await openTable(db, 'villages', K)).rows).toHaveLength(538);
	});

	it('with the real 10,599-row crosswalk, pre-2025 scorecards reach every Cao Bằng commune and keep the totals', async () => {
		const summary = await runImport(db, { kind: 'crosswalk', filePath: path.resolve('data/vn-admin-reform-2025-mapping/commune_mapping_old_to_new.csv'), options: { mapping: {}, decimalComma: false, mcc: 452, boundarySet: '2025' }, skipInvalid: false, actor: { accountId: null, label: 'cli:test' } });
		expect(summary).toMatchObject({ status: 'committed', rowsRead: 10_599 });
		try {
			const now = await communeScorecards(db, { set: '2025', operator: '*' }, K);
			const old = await communeScorecards(db, { set: 'pre2025', operator: '*' }, K);
			expect(old.unmapped).toEqual([]);
			const [{ n }] = await db.rows<{ n: number }>(sql`
				select count(distinct x.old_code)::int as n from commune_crosswalk x join communes c on c.boundary_set = '2025' and c.code = x.new_code`);
			expect(old.scorecards).toHaveLength(n);
			expect(n).toBeGreaterThan(100);
			expect(old.scorecards.every((s) => s.viaCrosswalk && s.successors.length > 0)).toBe(true);
			for (const key of ['households', 'population', 'unservedHouseholds', 'remoteUnservedHouseholds', 'deadZoneHouseholds', 'villages', 'trangSong', 'openReports', 'fiberHouseholdsPassed'] as const)
				expect(sum(old.scorecards.map((s) => s.counts[key])), key).toBeCloseTo(sum(now.scorecards.map((s) => s.counts[key])), 3);
			expect(sum(old.scorecards.map((s) => s.counts.coveredHouseholds['viettel|4G']))).toBeCloseTo(sum(now.scorecards.map((s) => s.counts.coveredHouseholds['viettel|4G'])), 3);
			// A pre-2025 commune's page draws its successors and names them.
			const first = old.scorecards[0];
			const d = (await communeDetail(db, { code: first.code, set: 'pre2025' }, K))!;
			expect(d.scorecard.via_crosswalk).toBe(true);
			expect(d.outline.properties?.successors).toEqual(first.successors);
		} finally {
			await undoImport(db, summary.importId, { accountId: null, label: 'cli:test' });
		}
	});
});

describe(`the explorer's context layers on the demo province (${process.env.TEST_DB})`, () => {
	const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);
	const WHOLE: [number, number, number, number] = [102, 8, 110, 23.5];

	it('population: every household once at each cell size, density = households / cell area, cells chosen by centre', async () => {
		const coarse = await populationCellsInBbox(db, WHOLE, 7);
		const fine = await populationCellsInBbox(db, WHOLE, 8);
		const layer = await householdLayer(db);
		const total = sum([...layer.households.values()]);
		expect(total).toBeCloseTo(149_929, 0);
		// Rounded to 0.1 household per cell.
		expect(sum(coarse.households)).toBeCloseTo(total, -2);
		expect(sum(fine.households)).toBeCloseTo(total, -2);
		// People come from a population raster (none in the demo: households are spread from commune counts).
		expect(sum(fine.people)).toBeCloseTo(sum([...layer.people.values()]), -1);
		for (let i = 0; i < fine.cells.length; i += 97) {
			expect(getResolution(fine.cells[i])).toBe(8);
			expect(fine.householdsPerKm2[i]).toBeCloseTo(fine.households[i] / cellArea(fine.cells[i], 'km2'), 0);
		}
		// A box holds exactly the cells whose centre is in it.
		const box: [number, number, number, number] = [105.9, 22.4, 106.3, 22.8];
		const inBox = await populationCellsInBbox(db, box, 8);
		const expected = fine.cells.filter((c) => {
			const [lat, lng] = cellToLatLng(c);
			return lng >= box[0] && lng <= box[2] && lat >= box[1] && lat <= box[3];
		});
		expect(inBox.cells).toEqual(expected);
		expect(inBox.cells.length).toBeGreaterThan(0);
	});

	it('fiber: per commune as the scorecards count it, one operator within its totals', async () => {
		const any = await fiberCommunes(db, null);
		const cards = await communeScorecards(db, { set: '2025', operator: '*' }, 3);
		expect(any.synthetic).toBe(true);
		expect(any.codes.length).toBeGreaterThan(40);
		const passedByCode = new Map(any.codes.map((c, i) => [c, any.householdsPassed[i]]));
		for (const card of cards.scorecards) expect(passedByCode.get(card.code) ?? 0).toBe(card.counts.fiberHouseholdsPassed);
		const viettel = await fiberCommunes(db, 'viettel');
		viettel.codes.forEach((code, i) => {
			expect(viettel.householdsPassed[i]).toBeLessThanOrEqual(viettel.householdsTotal[i]);
			expect(viettel.householdsConnected[i]).toBeLessThanOrEqual(viettel.householdsPassed[i]);
			// Any operator passes at least what one does.
			expect(passedByCode.get(code)!).toBeGreaterThanOrEqual(viettel.householdsPassed[i]);
		});
	});
});

describe(`the measured layer's time windows on the demo province (${process.env.TEST_DB})`, () => {
	const today = new Date();

	it('over all the layer holds equal the stored layer, key by key', async () => {
		const all = await computeWindow(db, null, today);
		const version = await measuredCellsVersion(db);
		for (const res of [7, 8])
			for (const [op, tech] of [['*', '*'], ['viettel', '4G'], ['vnpt', '*'], ['mobifone', '*']]) {
				const stored = await storedCells(db, res, op, tech, version);
				const windowed = [...(all.get(res)?.values() ?? [])].flatMap((dims) => (dims.has(`${op}|${tech}`) ? [dims.get(`${op}|${tech}`)!] : [])).sort((a, b) => (a.h3 < b.h3 ? -1 : 1));
				expect(windowed.length, `${res} ${op}|${tech}`).toBeGreaterThan(0);
				expect(windowed).toEqual(stored);
			}
	});

	it('hold exactly the reports of their last 90 or 180 days', async () => {
		const version = await measuredCellsVersion(db);
		const sum = (cells: { reports: number }[]) => cells.reduce((s, c) => s + c.reports, 0);
		const since = (days: number) => new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) - days * 86_400_000);
		for (const days of [90, 180] as const) {
			const cells = await windowCells(db, days, 7, '*', '*', version, today);
			const [{ n }] = await db.rows<{ n: number }>(sql`select count(*)::int as n from signal_reports where observed_at >= ${since(days).toISOString()} and observed_at >= (select window_start from measured_state)`);
			expect(n).toBeGreaterThan(100);
			expect(sum(cells)).toBe(n);
			for (const c of cells) expect(c.firstDay).toBeGreaterThanOrEqual(Math.floor(since(days).getTime() / 86_400_000));
		}
		const [w90, w180, whole] = await Promise.all([windowCells(db, 90, 8, '*', '*', version, today), windowCells(db, 180, 8, '*', '*', version, today), storedCells(db, 8, '*', '*', version)]);
		expect(sum(w90)).toBeLessThan(sum(w180));
		expect(sum(w180)).toBeLessThanOrEqual(sum(whole));
	});

	it('are refused to the public and to another operator’s liaison', async () => {
		const base = { res: 8, technology: null, publicMinReporters: 3, window: 90 as const };
		await expect(measuredCellsInBbox(db, [102, 8, 110, 23.5], { ...base, operator: null, caller: null })).rejects.toThrow(/window/);
		const liaison = { id: 1, role: 'operator' as const, operatorCode: 'vnpt' } as Parameters<typeof measuredCellsInBbox>[2]['caller'];
		await expect(measuredCellsInBbox(db, [102, 8, 110, 23.5], { ...base, operator: 'viettel', caller: liaison })).rejects.toThrow(/window/);
		const own = await measuredCellsInBbox(db, [102, 8, 110, 23.5], { ...base, operator: 'vnpt', caller: liaison });
		expect(own.window).toBe(90);
		expect(own.minReporters).toBe(1);
	});
});
