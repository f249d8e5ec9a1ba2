import { sql } from 'drizzle-orm';
import { cellToParent, gridDisk } from 'h3-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellCenter, cellOfPosition, cellToDecimal, decimalToCell } from '../../src/lib/grid/h3';
import type { Database } from '../../src/lib/server/db/index';
import { insertReports } from '../../src/lib/server/reports';
import { operatorEvidenceCells, reportCellsInBbox } from '../../src/lib/server/report-cells';
import { h3ParentSql, signalClassSql } from '../../src/lib/server/signal-sql';
import { classifyObservation } from '../../src/lib/signal/classes';
import { openTestDatabase, resetDatabase } from '../helpers/db';
import { makeReport } from '../helpers/factories';

let db: Database;
beforeAll(async () => {
	db = await openTestDatabase();
	await resetDatabase(db);
});
afterAll(() => db?.close());

const BBOX: [number, number, number, number] = [106, 22, 107, 23];

describe(`report cells (${process.env.TEST_DB})`, () => {
	it('derives H3 parents in SQL exactly as h3-js does', async () => {
		const cells = gridDisk(cellOfPosition([106.25, 22.66]), 3);
		for (const resolution of [0, 5, 7, 8, 9]) {
			const decimals = cells.map(cellToDecimal);
			const rows = await db.rows<{ parent: string }>(sql`
				select ${h3ParentSql(sql`c::bigint`, resolution)}::text as parent
				from unnest(${`{${decimals.join(',')}}`}::text[]) with ordinality as t(c, i) order by i`);
			expect(rows.map((r) => decimalToCell(r.parent))).toEqual(cells.map((c) => cellToParent(c, resolution)));
		}
	});

	it('classifies in SQL as classifyObservation does', async () => {
		const cases = [
			makeReport({ rsrpDbm: -80 }),
			makeReport({ rsrpDbm: -100 }),
			makeReport({ rsrpDbm: -112 }),
			makeReport({ rsrpDbm: -130 }),
			makeReport({ rsrpDbm: null, rssiDbm: -70, technology: '3G' }),
			makeReport({ rsrpDbm: null, rssiDbm: -99, technology: '2G' }),
			makeReport({ rsrpDbm: null, signalBars: 0, sourceKind: 'resident' }),
			makeReport({ rsrpDbm: null, signalBars: 3, sourceKind: 'resident' }),
			makeReport({ rsrpDbm: null, noService: true, technology: null })
		];
		await resetDatabase(db);
		await insertReports(db, cases);
		const rows = await db.rows<{ cls: string }>(sql`select ${signalClassSql} as cls from signal_reports r order by r.id`);
		expect(rows.map((r) => r.cls)).toEqual(cases.map((c) => classifyObservation(c)));
	});

	it(`shows a cell only when enough distinct reporters are in it`, async () => {
		await resetDatabase(db);
		const crowded = cellCenter(cellToParent(cellOfPosition([106.3, 22.7]), 8));
		const lonely = cellCenter(cellToParent(cellOfPosition([106.6, 22.8]), 8));
		await insertReports(db, [
			// three people, one of them reporting twice, plus an anonymous file row
			makeReport({ position: crowded, reporterKey: 'a', rsrpDbm: -80 }),
			makeReport({ position: crowded, reporterKey: 'a', rsrpDbm: null, noService: true, technology: null }),
			makeReport({ position: crowded, reporterKey: 'b', rsrpDbm: -120 }),
			makeReport({ position: crowded, reporterKey: 'c', rsrpDbm: -100 }),
			makeReport({ position: crowded, reporterKey: null, rsrpDbm: -100 }),
			// one person reporting many times
			...Array.from({ length: 10 }, () => makeReport({ position: lonely, reporterKey: 'solo', operatorCode: 'vnpt' }))
		]);
		const at3 = await reportCellsInBbox(db, BBOX, { minReporters: 3 });
		expect(at3).toEqual([{ h3: cellToParent(cellOfPosition(crowded), 8), reports: 5, reporters: 3, good: 1, fair: 2, poor: 0, dead: 2 }]);
		expect(await reportCellsInBbox(db, BBOX, { minReporters: 4 })).toEqual([]);
		const at1 = await reportCellsInBbox(db, BBOX, { minReporters: 1 });
		expect(at1.map((c) => c.reporters).sort()).toEqual([1, 3]);
		const coarse = await reportCellsInBbox(db, BBOX, { minReporters: 3, resolution: 7 });
		expect(coarse).toEqual([{ ...at3[0], h3: cellToParent(cellOfPosition(crowded), 7) }]);
		const vnptOnly = await reportCellsInBbox(db, BBOX, { minReporters: 1, operatorCode: 'vnpt' });
		expect(vnptOnly).toHaveLength(1);
		expect(vnptOnly[0]).toMatchObject({ reports: 10, reporters: 1 });
	});
});

describe(`operator evidence (${process.env.TEST_DB})`, () => {
	const liaison = { id: 1, email: 'l@x.vn', displayName: 'L', role: 'operator' as const, operatorCode: 'vnpt', demo: false };
	const planner = { ...liaison, role: 'planner' as const, operatorCode: null };

	it('pins a liaison to its own operator whatever it asks for', async () => {
		const asked = await operatorEvidenceCells(db, liaison, BBOX, { requestedOperator: 'viettel', minReporters: 1 });
		expect(asked?.operator).toBe('vnpt');
		expect(asked?.cells.every((c) => c.reports === 10)).toBe(true);
	});

	it('lets a planner choose, and needs a choice', async () => {
		expect((await operatorEvidenceCells(db, planner, BBOX, { requestedOperator: 'viettel', minReporters: 1 }))?.operator).toBe('viettel');
		expect(await operatorEvidenceCells(db, planner, BBOX, { requestedOperator: null, minReporters: 1 })).toBeNull();
	});
});
