import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIETNAM_OPERATORS } from '../../src/lib/operators/operators';
import type { Database } from '../../src/lib/server/db/index';
import { inTransaction } from '../../src/lib/server/db/index';
import { insertReports } from '../../src/lib/server/reports';
import { makeReport } from '../helpers/factories';
import { openTestDatabase, resetDatabase } from '../helpers/db';

let db: Database;
beforeAll(async () => {
	db = await openTestDatabase();
	await resetDatabase(db);
});
afterAll(() => db?.close());

describe(`database (${process.env.TEST_DB})`, () => {
	it('runs PostGIS 3 on the expected driver', async () => {
		expect(db.kind).toBe(process.env.TEST_DB);
		const [row] = await db.rows<{ v: string }>(sql`select postgis_lib_version() as v`);
		expect(row.v).toMatch(/^3\./);
	});

	it('has the operators reference table matching the code', async () => {
		const rows = await db.rows<{ code: string; name: string; mcc_mnc: string[]; color: string }>(
			sql`select code, name, mcc_mnc, color from operators order by code`
		);
		const expected = [...VIETNAM_OPERATORS].sort((a, b) => a.code.localeCompare(b.code));
		expect(rows.map((r) => ({ code: r.code, name: r.name, mccMnc: r.mcc_mnc, color: r.color }))).toEqual(expected);
	});

	it('types geometry columns in EPSG:4326 and indexes them with GiST', async () => {
		const PARTITIONS = sql`select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid`;
		const columns = await db.rows<{ f_table_name: string; type: string; srid: number }>(
			sql`select f_table_name, type, srid from geometry_columns where f_table_name not in (${PARTITIONS}) order by f_table_name`
		);
		expect(columns).toEqual([
			{ f_table_name: 'admin_areas', type: 'MULTIPOLYGON', srid: 4326 },
			{ f_table_name: 'communes', type: 'MULTIPOLYGON', srid: 4326 },
			{ f_table_name: 'declared_coverage', type: 'MULTIPOLYGON', srid: 4326 },
			{ f_table_name: 'dem_tiles', type: 'MULTIPOLYGON', srid: 4326 },
			{ f_table_name: 'exclusion_zones', type: 'MULTIPOLYGON', srid: 4326 },
			{ f_table_name: 'facilities', type: 'POINT', srid: 4326 },
			{ f_table_name: 'fiber_routes', type: 'MULTILINESTRING', srid: 4326 },
			{ f_table_name: 'proposals', type: 'POINT', srid: 4326 },
			{ f_table_name: 'resident_reports', type: 'POINT', srid: 4326 },
			{ f_table_name: 'signal_reports', type: 'POINT', srid: 4326 },
			{ f_table_name: 'towers', type: 'POINT', srid: 4326 },
			{ f_table_name: 'villages', type: 'POINT', srid: 4326 }
		]);
		const indexes = await db.rows<{ indexname: string }>(
			sql`select indexname from pg_indexes where indexdef ilike '%using gist%' and tablename not in (${PARTITIONS}) order by indexname`
		);
		expect(indexes.map((i) => i.indexname)).toEqual([
			'admin_areas_geom_gix',
			'communes_geom_gix',
			'declared_coverage_geom_gix',
			'dem_tiles_geom_gix',
			'exclusion_zones_geom_gix',
			'facilities_geom_gix',
			'fiber_routes_geom_gix',
			'proposals_geom_gix',
			'resident_reports_geom_gix',
			'signal_reports_geom_gix',
			'towers_geom_gix',
			'villages_geom_gix'
		]);
		// Each partition of the reports (drizzle/0022) has the parent's index.
		const [parts] = await db.rows<{ partitions: number; indexed: number }>(sql`
			select count(*)::int as partitions, count(*) filter (where exists (select 1 from pg_indexes x where x.tablename = c.relname and x.indexdef ilike '%using gist%'))::int as indexed
			from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'signal_reports'::regclass`);
		expect(parts.partitions).toBe(28);
		expect(parts.indexed).toBe(28);
	});

	it('refuses an RSRP outside −140…−44 dBm at the database too', async () => {
		await expect(insertReports(db, [makeReport({ rsrpDbm: -20 })])).rejects.toThrow();
	});

	it('rolls a transaction back whole when one statement fails', async () => {
		await expect(
			inTransaction(db, async (tx) => {
				await insertReports(tx, [makeReport()]);
				await insertReports(tx, [makeReport({ signalBars: 9 })]);
			})
		).rejects.toThrow();
		const [row] = await db.rows<{ n: number }>(sql`select count(*)::int as n from signal_reports`);
		expect(row.n).toBe(0);
	});
});
