import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/lib/server/db/index';
import { runDeclaredImport } from '../../src/lib/server/import/declared';
import { undoImport } from '../../src/lib/server/import/history';
import { openTestDatabase, resetDatabase } from '../helpers/db';
import { readDeclaredGrids, updateDeclaredGrid } from '../../src/lib/server/declared';
import { inTransaction } from '../../src/lib/server/db/index';

let db: Database;
let dir: string;
const actor = { accountId: null, label: 'cli:test' };
const ring = (x: number, y: number, d = 0.05) => [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]];
const feature = (properties: Record<string, unknown>, coordinates = ring(106.2, 22.6)) => ({ type: 'Feature', properties, geometry: { type: 'Polygon', coordinates } });

beforeAll(async () => {
	db = await openTestDatabase();
	dir = await mkdtemp(path.join(os.tmpdir(), 'phu-song-declared-'));
});
afterAll(async () => {
	await db?.close();
	await rm(dir, { recursive: true, force: true });
});
beforeEach(() => resetDatabase(db));

async function file(features: unknown[]): Promise<string> {
	const p = path.join(dir, `declared-${Math.random().toString(36).slice(2)}.geojson`);
	await writeFile(p, JSON.stringify({ type: 'FeatureCollection', features }));
	return p;
}

describe(`declared coverage import (${process.env.TEST_DB})`, () => {
	it('stores polygons per operator and technology, from properties or file defaults, once', async () => {
		const p = await file([feature({ operator: 'Viettel', technology: 'LTE' }), feature({ technology: '5G' }, ring(106.3, 22.7))]);
		const summary = await runDeclaredImport(db, { filePath: p, operator: 'MobiFone', skipInvalid: false, actor });
		expect(summary).toMatchObject({ status: 'committed', inserted: 2, preset: 'GeoJSON, declared coverage' });
		const rows = await db.rows<{ operator_code: string; technology: string; km2: number }>(
			sql`select operator_code, technology, ST_Area(geom::geography) / 1e6 as km2 from declared_coverage order by operator_code`
		);
		expect(rows.map((r) => [r.operator_code, r.technology])).toEqual([
			['mobifone', '5G'],
			['viettel', '4G']
		]);
		expect(rows[0].km2).toBeGreaterThan(25);
		expect(await runDeclaredImport(db, { filePath: p, operator: 'MobiFone', skipInvalid: false, actor })).toMatchObject({ inserted: 0, duplicate: 2 });
		await undoImport(db, summary.importId, actor);
		const [left] = await db.rows<{ n: number }>(sql`select count(*)::int as n from declared_coverage`);
		expect(left.n).toBe(0);
	});

	it('puts the union of an operator × technology\'s polygons on the grid, and an undo takes back only its own', async () => {
		const grid = async () => {
			const grids = await readDeclaredGrids(db);
			return [...grids].map(([pair, shares]) => [pair, shares.size, [...shares.values()].filter((v) => v === 1).length] as const);
		};
		const a = await runDeclaredImport(db, { filePath: await file([feature({ operator: 'viettel', technology: '4G' })]), skipInvalid: false, actor });
		const one = await grid();
		expect(one.map(([pair]) => pair)).toEqual(['viettel|4G']);
		// A 0.05° square (~30 km²) holds ~280 res-9 cells, most wholly inside.
		expect(one[0][1]).toBeGreaterThan(200);
		const b = await runDeclaredImport(db, { filePath: await file([feature({ operator: 'viettel', technology: '4G' }, ring(106.24, 22.6)), feature({ operator: 'vnpt', technology: '4G' })]), skipInvalid: false, actor });
		const two = await grid();
		expect(two.map(([pair]) => pair)).toEqual(['viettel|4G', 'vnpt|4G']);
		expect(two[0][1]).toBeGreaterThan(one[0][1]);
		expect(two[0][1]).toBeLessThan(2 * one[0][1]); // the two squares overlap
		expect(two[1]).toEqual(['vnpt|4G', one[0][1], one[0][2]]);
		await undoImport(db, b.importId!, actor);
		expect(await grid()).toEqual(one);
		// Recomputing everything gives the same grid; nothing left to do afterwards.
		await inTransaction(db, (tx) => updateDeclaredGrid(tx, { all: true }));
		expect(await grid()).toEqual(one);
		expect(await inTransaction(db, (tx) => updateDeclaredGrid(tx))).toEqual([]);
		await undoImport(db, a.importId!, actor);
		expect(await grid()).toEqual([]);
	});

	const KML = `<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>Vùng phủ 4G</name>
<Placemark><name>Đàm Thuỷ</name>
<ExtendedData><Data name="operator"><value>VinaPhone</value></Data><Data name="technology"><value>LTE</value></Data></ExtendedData>
<Polygon><outerBoundaryIs><LinearRing><coordinates>106.60,22.80,0 106.70,22.80,0 106.70,22.88,0 106.60,22.88,0 106.60,22.80,0</coordinates></LinearRing></outerBoundaryIs></Polygon>
</Placemark></Document></kml>`;

	it.each([
		['KML', () => Buffer.from(KML, 'utf8')],
		['KMZ', () => Buffer.from(zipSync({ 'doc.kml': strToU8(KML) }))]
	])('reads %s with ExtendedData operator and technology', async (format, bytes) => {
		const p = path.join(dir, `coverage.${format.toLowerCase()}`);
		await writeFile(p, bytes());
		const summary = await runDeclaredImport(db, { filePath: p, skipInvalid: false, actor });
		expect(summary).toMatchObject({ status: 'committed', inserted: 1, preset: `${format}, declared coverage` });
		const [row] = await db.rows<{ operator_code: string; technology: string }>(sql`select operator_code, technology from declared_coverage`);
		expect(row).toEqual({ operator_code: 'vnpt', technology: '4G' });
	});

	it.each([
		['broken KML', () => Buffer.from('<kml><Document><Placemark>', 'utf8'), /not valid KML|has no features/],
		['a zip without KML', () => Buffer.from(zipSync({ 'readme.txt': strToU8('hello') })), /the zip holds no shapefile \(.shp\) and no .kml \(found: readme.txt\)/]
	])('refuses %s', async (_case, bytes, message) => {
		const p = path.join(dir, 'broken.kmz');
		await writeFile(p, bytes());
		const summary = await runDeclaredImport(db, { filePath: p, skipInvalid: false, actor });
		expect(summary.status).toBe('rejected');
		expect(summary.fileError).toMatch(message);
	});

	it('refuses features without operator or technology, or outside Vietnam, naming them', async () => {
		const p = await file([feature({ operator: 'Viettel' }), feature({ operator: 'Nokia', technology: '4G' }), feature({ operator: 'VNPT', technology: '4G' }, ring(22.6, 106.2))]);
		const summary = await runDeclaredImport(db, { filePath: p, skipInvalid: false, actor });
		expect(summary.status).toBe('rejected');
		expect(summary.issues.map((i) => [i.row, i.reason])).toEqual([
			[1, 'names no technology (a property, or --technology for the whole file)'],
			[2, 'unknown operator'],
			[3, 'coordinates look swapped (latitude first); GeoJSON positions are [longitude, latitude]']
		]);
	});
});
