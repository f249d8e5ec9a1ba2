import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { communesInBbox } from '../../src/lib/server/communes';
import { insertCommunes } from '../../src/lib/server/communes';
import { readDataVersion } from '../../src/lib/server/data-version';
import { inTransaction, type Database } from '../../src/lib/server/db/index';
import { insertReports } from '../../src/lib/server/reports';
import { reportCellsInBbox } from '../../src/lib/server/report-cells';
import { openTestDatabase, resetDatabase } from '../helpers/db';
import { makeCommune, makeReport } from '../helpers/factories';

let db: Database;
beforeAll(async () => {
	db = await openTestDatabase();
	await resetDatabase(db);
});
afterAll(() => db?.close());

const BBOX: [number, number, number, number] = [105, 22, 107, 23.5];

describe(`data versions (${process.env.TEST_DB})`, () => {
	it('bumps a layer\'s version with every committed write to it, and only that layer\'s', async () => {
		const reports0 = await readDataVersion(db, ['reports']);
		const communes0 = await readDataVersion(db, ['communes']);
		await insertReports(db, [makeReport({})]);
		const reports1 = await readDataVersion(db, ['reports']);
		expect(BigInt(reports1)).toBeGreaterThan(BigInt(reports0));
		expect(await readDataVersion(db, ['communes'])).toBe(communes0);
		await db.orm.execute(sql`delete from signal_reports`);
		expect(BigInt(await readDataVersion(db, ['reports']))).toBeGreaterThan(BigInt(reports1));
	});

	it('leaves the version alone when the writing transaction rolls back', async () => {
		const before = await readDataVersion(db, ['reports']);
		await expect(
			inTransaction(db, async (tx) => {
				await insertReports(tx, [makeReport({})]);
				throw new Error('import failed half-way');
			})
		).rejects.toThrow('half-way');
		expect(await readDataVersion(db, ['reports'])).toBe(before);
	});

	it('serves cached communes and report cells until their layer changes, then the new data at once', async () => {
		await resetDatabase(db);
		await insertCommunes(db, [makeCommune({ code: '00001', name: 'Xã Một' })]);
		const first = JSON.parse(await communesInBbox(db, BBOX, 9, '2025'));
		expect(first.features.map((f: { properties: { name: string } }) => f.properties.name)).toEqual(['Xã Một']);
		await insertCommunes(db, [makeCommune({ code: '00002', name: 'Xã Hai' })]);
		const second = JSON.parse(await communesInBbox(db, BBOX, 9, '2025'));
		expect(second.features.map((f: { properties: { name: string } }) => f.properties.name)).toEqual(['Xã Một', 'Xã Hai']);

		const at = (key: string) => makeReport({ position: [106.3, 22.7], reporterKey: key });
		await insertReports(db, [at('a'), at('b')]);
		expect(await reportCellsInBbox(db, BBOX, { minReporters: 3 })).toEqual([]);
		await insertReports(db, [at('c')]);
		expect((await reportCellsInBbox(db, BBOX, { minReporters: 3 }))[0]).toMatchObject({ reporters: 3 });
	});
});
