import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCommunes } from '../../src/lib/server/communes';
import type { Database } from '../../src/lib/server/db/index';
import { undoImport } from '../../src/lib/server/import/history';
import { runImport } from '../../src/lib/server/import/pipeline';
import { openTestDatabase, resetDatabase } from '../helpers/db';
import { makeCommune, square } from '../helpers/factories';

let db: Database;
let dir: string;
const actor = { accountId: null, label: 'cli:test' };
const options = { mapping: {}, decimalComma: false, mcc: 452, boundarySet: '2025' as const };
const MAPPING = path.resolve('data/vn-admin-reform-2025-mapping/commune_mapping_old_to_new.csv');
const POLYGONS = ['cao_bang_04_communes_2025.geojson', 'dong_nai_75_communes_2025.geojson'].map((f) => path.resolve('data/vn-communes-post2025-polygons', f));

async function loadRealCommunes(): Promise<string[]> {
	const codes: string[] = [];
	for (const file of POLYGONS) {
		const fc: FeatureCollection<Polygon | MultiPolygon, { commune_code: string; name: string; province_code: string; population: number }> = JSON.parse(await readFile(file, 'utf8'));
		await insertCommunes(
			db,
			fc.features.map((f) =>
				makeCommune({ code: f.properties.commune_code, name: f.properties.name, provinceCode: f.properties.province_code, population: f.properties.population, geometry: f.geometry })
			)
		);
		codes.push(...fc.features.map((f) => f.properties.commune_code));
	}
	return codes;
}

beforeAll(async () => {
	db = await openTestDatabase();
	dir = await mkdtemp(path.join(os.tmpdir(), 'phu-song-crosswalk-'));
});
afterAll(async () => {
	await db?.close();
	await rm(dir, { recursive: true, force: true });
});

describe(`2025 crosswalk (${process.env.TEST_DB})`, () => {
	it('imports the whole reform mapping consistently', async () => {
		await resetDatabase(db);
		const newCodes = await loadRealCommunes();
		const summary = await runImport(db, { kind: 'crosswalk', filePath: MAPPING, options, skipInvalid: false, actor });
		expect(summary).toMatchObject({ status: 'committed', rowsRead: 10_599, inserted: 10_599, invalid: 0 });

		const [all] = await db.rows<{ old_codes: number }>(sql`select count(distinct old_code)::int as old_codes from commune_crosswalk`);
		expect(all.old_codes).toBe(10_047);
		const orphans = await db.rows<{ code: string }>(sql`
			select c.code from communes c where c.boundary_set = '2025'
			and not exists (select 1 from commune_crosswalk x where x.new_code = c.code)`);
		expect(orphans).toEqual([]);
		expect(newCodes).toHaveLength(56 + 95);
		const unbalanced = await db.rows<{ old_code: string; total: number }>(sql`
			select old_code, sum(share)::float8 as total from commune_crosswalk group by old_code having abs(sum(share) - 1) > 1e-5`);
		expect(unbalanced).toEqual([]);
		const rules = await db.rows<{ share_rule: string; n: number }>(sql`select share_rule, count(*)::int as n from commune_crosswalk group by share_rule order by share_rule`);
		const byRule = Object.fromEntries(rules.map((r) => [r.share_rule, r.n]));
		// Splits whose successors are all loaded (Cao Bằng, Đồng Nai) are shared by population; the rest equally.
		expect(byRule.population).toBeGreaterThan(0);
		expect(byRule.equal).toBeGreaterThan(0);
		expect(byRule.whole).toBeGreaterThan(9000);

		const again = await runImport(db, { kind: 'crosswalk', filePath: MAPPING, options, skipInvalid: false, actor });
		expect(again).toMatchObject({ inserted: 0, duplicate: 10_599 });
	});

	it('shares a split commune by area overlap when both boundary sets are loaded, and undo re-shares', async () => {
		await resetDatabase(db);
		// Old commune 90001 covers the whole of new 90101 and a third of new 90102.
		await insertCommunes(db, [
			makeCommune({ code: '90001', boundarySet: 'pre2025', geometry: { type: 'Polygon', coordinates: [[[106.0, 22.0], [106.04, 22.0], [106.04, 22.02], [106.0, 22.02], [106.0, 22.0]]] } }),
			makeCommune({ code: '90101', geometry: { type: 'Polygon', coordinates: [[[106.0, 22.0], [106.03, 22.0], [106.03, 22.02], [106.0, 22.02], [106.0, 22.0]]] } }),
			makeCommune({ code: '90102', geometry: { type: 'Polygon', coordinates: [[[106.03, 22.0], [106.06, 22.0], [106.06, 22.02], [106.03, 22.02], [106.03, 22.0]]] } }),
			makeCommune({ code: '90103', geometry: square([107, 22]) })
		]);
		const header = 'old_province_code,old_province_name,old_commune_code,old_commune_name,new_province_code,new_province_name,new_commune_code,new_commune_name,merge_type\n';
		const first = path.join(dir, 'split.csv');
		await writeFile(first, `${header}90,X,90001,Xã Cũ,90,X,90101,Xã Mới A,partial\n90,X,90001,Xã Cũ,90,X,90102,Xã Mới B,partial\n`);
		await runImport(db, { kind: 'crosswalk', filePath: first, options, skipInvalid: false, actor });
		const shares = await db.rows<{ new_code: string; share: number; share_rule: string }>(sql`select new_code, share, share_rule from commune_crosswalk order by new_code`);
		expect(shares.map((s) => s.share_rule)).toEqual(['area', 'area']);
		expect(shares[0].share).toBeCloseTo(0.75, 3);
		expect(shares[1].share).toBeCloseTo(0.25, 3);

		const second = path.join(dir, 'split-more.csv');
		await writeFile(second, `${header}90,X,90001,Xã Cũ,90,X,90103,Xã Mới C,partial\n`);
		const added = await runImport(db, { kind: 'crosswalk', filePath: second, options, skipInvalid: false, actor });
		const [c] = await db.rows<{ share: number }>(sql`select share from commune_crosswalk where new_code = '90103'`);
		expect(c.share).toBeCloseTo(0, 6); // no overlap: nothing of the old commune went there by area
		await undoImport(db, added.importId, actor);
		const after = await db.rows<{ share: number }>(sql`select share from commune_crosswalk order by new_code`);
		expect(after.map((s) => Math.round(s.share * 100) / 100)).toEqual([0.75, 0.25]);
	});

	it('refuses a bad merge type and a malformed code, naming them', async () => {
		await resetDatabase(db);
		const bad = path.join(dir, 'bad.csv');
		await writeFile(bad, 'old_commune_code,new_commune_code,merge_type\n01627,01648,maybe\n1627,01648,full\n');
		const summary = await runImport(db, { kind: 'crosswalk', filePath: bad, options, skipInvalid: false, actor });
		expect(summary.status).toBe('rejected');
		expect(summary.issues.map((i) => [i.row, i.column, i.reason])).toEqual([
			[1, 'merge_type', 'must be "full" or "partial"'],
			[2, 'old_commune_code', 'must be a five-digit GSO commune code']
		]);
	});
});
