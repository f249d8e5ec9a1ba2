import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/lib/server/db/index';
import { predictedCellsInBbox } from '../../src/lib/server/coverage-cells';
import { predictCoverage } from '../../src/lib/server/predicted';
import { setSetting } from '../../src/lib/server/settings';
import { insertTowers } from '../../src/lib/server/towers';
import { openTestDatabase, resetDatabase } from '../helpers/db';

let db: Database;
const actor = { accountId: null, label: 'cli:test' };
beforeAll(async () => {
	db = await openTestDatabase();
});
afterAll(() => db?.close());
beforeEach(async () => {
	await resetDatabase(db);
	// A 3 km range keeps each site to ~250 cells.
	await setSetting(db, actor, 'propagation.range_km', '3');
});

const tower = (operatorCode: string, siteCode: string, lng: number, technologies: string[]) => ({
	operatorCode,
	siteCode,
	technologies,
	antennaHeightM: 30,
	source: 'test',
	synthetic: true,
	position: [lng, 22.66] as [number, number]
});

describe(`predicted coverage (${process.env.TEST_DB})`, () => {
	it('predicts per operator × technology with best servers, medians for parents and the best of them for any', async () => {
		await insertTowers(db, [tower('viettel', 'V1', 106.25, ['2G', '4G']), tower('viettel', 'V2', 106.28, ['4G']), tower('vnpt', 'N1', 106.26, ['4G'])]);
		const result = await predictCoverage(db);
		expect(result.terrain).toBe(false);
		expect(result.groups.map((g) => `${g.operator} ${g.technology} ${g.sites}`)).toEqual(['viettel 2G 1', 'viettel 4G 2', 'vnpt 4G 1']);
		const [counts] = await db.rows<{ res9: number; sites: number; parents_ok: boolean }>(sql`
			select count(*) filter (where res = 9)::int as res9, count(distinct site_code) filter (where res = 9 and operator_code = 'viettel' and technology = '4G')::int as sites,
				bool_and(cells >= 1) as parents_ok
			from predicted_cells`);
		expect(counts.sites).toBe(2); // both Viettel 4G sites serve some cells
		expect(counts.parents_ok).toBe(true);
		// Any technology / any operator: never weaker than a key below.
		const [weaker] = await db.rows<{ n: number }>(sql`
			select count(*)::int as n from predicted_cells a join predicted_cells b on a.res = b.res and a.cell = b.cell
			where a.operator_code = '*' and a.technology = '*' and b.operator_code <> '*'
				and array_position(array['good','fair','poor','dead'], b.class) < array_position(array['good','fair','poor','dead'], a.class)`);
		expect(weaker.n).toBe(0);
		const served = await predictedCellsInBbox(db, [106, 22.4, 106.6, 22.9], { res: 8, operator: 'viettel', technology: '4G' });
		expect(served.cells.length).toBeGreaterThan(10);
		expect(served.dbm).toHaveLength(served.cells.length);
		expect(served.dbm.every((d) => d < -30 && d > -140)).toBe(true);
	});

	it('replaces only the group asked for', async () => {
		await insertTowers(db, [tower('viettel', 'V1', 106.25, ['4G']), tower('vnpt', 'N1', 106.26, ['4G'])]);
		await predictCoverage(db);
		const before = await db.rows<{ n: number }>(sql`select count(*)::int as n from predicted_cells where operator_code = 'vnpt'`);
		await db.orm.execute(sql`update towers set antenna_height_m = 60 where site_code = 'V1'`);
		await predictCoverage(db, { operator: 'viettel', technology: '4G' });
		const after = await db.rows<{ n: number }>(sql`select count(*)::int as n from predicted_cells where operator_code = 'vnpt'`);
		expect(after).toEqual(before);
		const [stronger] = await db.rows<{ dbm: number }>(sql`select max(dbm) as dbm from predicted_cells where res = 9 and operator_code = 'viettel'`);
		expect(stronger.dbm).toBeGreaterThan(-70);
	});
});
