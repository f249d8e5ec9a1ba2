import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellOfPosition, decimalToCell } from '../../src/lib/grid/h3';
import type { Database } from '../../src/lib/server/db/index';
import { DEMO_SOURCE, seedDemoProvince } from '../../src/lib/server/demo-seed';
import { checkHealth } from '../../src/lib/server/health';
import { calibrationReport } from '../../src/lib/server/calibration';
import { DEMO_OPERATOR_OFFSET_DB } from '../../src/lib/demo/signal';
import { openTestDatabase, resetDatabase } from '../helpers/db';

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
