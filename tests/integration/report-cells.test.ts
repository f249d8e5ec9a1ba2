import { sql } from 'drizzle-orm';
import { cellToBoundary, cellToChildren, cellToParent, gridDisk } from 'h3-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellCenter, cellOfPosition, cellToDecimal, decimalToCell } from '../../src/lib/grid/h3';
import type { Database } from '../../src/lib/server/db/index';
import { insertReports } from '../../src/lib/server/reports';
import { operatorEvidenceCells, reportCellsInBbox } from '../../src/lib/server/report-cells';
import { h3ChildRangeSql, h3ParentSql, signalClassSql } from '../../src/lib/server/signal-sql';
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

	it('bounds a cell\'s resolution-9 descendants in SQL exactly by its min and max child', async () => {
		const cell9 = cellOfPosition([106.25, 22.66]);
		for (const resolution of [5, 6, 7, 8, 9]) {
			const cell = cellToParent(cell9, resolution);
			const range = h3ChildRangeSql(sql`${cellToDecimal(cell)}::bigint`, resolution);
			const [row] = await db.rows<{ lo: string; hi: string }>(sql`select ${range.lo}::text as lo, ${range.hi}::text as hi`);
			const children = cellToChildren(cell, 9).map((c) => BigInt(`0x${c}`));
			const min = children.reduce((a, b) => (b < a ? b : a));
			const max = children.reduce((a, b) => (b > a ? b : a));
			expect([row.lo, row.hi]).toEqual([min.toString(), max.toString()]);
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
		const rows = await db.rows<{ cls: string }>(sql`select ${signalClassSql()} as cls from signal_reports r order by r.id`);
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
	const liaison = { id: 1, email: 'l@x.vn', displayName: 'L', role: 'operator' as const, operatorCode: 'vnpt', communeCode: null, demo: false };
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

describe(`report cells never depend on where a bbox edge falls (${process.env.TEST_DB})`, () => {
	it('serves a cell whole or not at all as one edge sweeps across it in 20 m steps (public and operator)', async () => {
		await resetDatabase(db);
		// Seven reports of seven people spread over one res-8 cell, as in the attack that located 4 of 7.
		const cell = cellToParent(cellOfPosition([106.3, 22.7]), 8);
		const children = cellToChildren(cell, 9);
		await insertReports(
			db,
			children.map((child, i) => makeReport({ position: cellCenter(child), reporterKey: `person-${i}`, operatorCode: 'viettel', rsrpDbm: -80 - 6 * i }))
		);
		const ring = cellToBoundary(cell).map(([lat, lng]) => [lng, lat]);
		const west = Math.min(...ring.map((p) => p[0])) - 0.003;
		const east = Math.max(...ring.map((p) => p[0])) + 0.003;
		const [s, n] = [Math.min(...ring.map((p) => p[1])) - 0.01, Math.max(...ring.map((p) => p[1])) + 0.01];
		const whole = (await reportCellsInBbox(db, [west - 0.05, s, east, n], { minReporters: 3 }))[0];
		expect(whole).toMatchObject({ h3: cell, reports: 7, reporters: 7 });
		const liaison = { id: 1, email: 'l@x.vn', displayName: 'L', role: 'operator' as const, operatorCode: 'viettel', communeCode: null, demo: false };
		const seen = new Set<string>();
		let served = 0;
		for (let edge = west; edge < east; edge += 0.0002) {
			const bbox: [number, number, number, number] = [edge, s, east + 0.05, n];
			const publicCells = await reportCellsInBbox(db, bbox, { minReporters: 3 });
			const operatorCells = (await operatorEvidenceCells(db, liaison, bbox, { requestedOperator: null, minReporters: 1 }))!.cells;
			for (const cells of [publicCells, operatorCells]) {
				expect(cells.length).toBeLessThanOrEqual(1);
				if (cells.length === 1) seen.add(JSON.stringify(cells[0]));
			}
			served += publicCells.length;
		}
		// Absent or whole: the only figures ever served are the whole cell's.
		expect([...seen]).toEqual([JSON.stringify(whole)]);
		expect(served).toBeGreaterThan(0);
	});
});
