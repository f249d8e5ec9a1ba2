import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/lib/server/db/index';
import { undoImport } from '../../src/lib/server/import/history';
import { runLayerImport } from '../../src/lib/server/import/layers';
import { openTestDatabase, resetDatabase } from '../helpers/db';

let db: Database;
let dir: string;
const actor = { accountId: null, label: 'cli:test' };

beforeAll(async () => {
	db = await openTestDatabase();
	dir = await mkdtemp(path.join(os.tmpdir(), 'phu-song-layers-'));
});
afterAll(async () => {
	await db?.close();
	await rm(dir, { recursive: true, force: true });
});
beforeEach(() => resetDatabase(db));

async function file(features: unknown[]): Promise<string> {
	const p = path.join(dir, `layer-${Math.random().toString(36).slice(2)}.geojson`);
	await writeFile(p, JSON.stringify({ type: 'FeatureCollection', features }));
	return p;
}
const point = (lng: number, lat: number, properties: Record<string, unknown>) => ({ type: 'Feature', properties, geometry: { type: 'Point', coordinates: [lng, lat] } });
const line = (properties: Record<string, unknown>) => ({ type: 'Feature', properties, geometry: { type: 'LineString', coordinates: [[106.2, 22.6], [106.3, 22.65], [106.4, 22.7]] } });
const area = (properties: Record<string, unknown>) => ({ type: 'Feature', properties, geometry: { type: 'Polygon', coordinates: [[[106.5, 22.8], [106.6, 22.8], [106.6, 22.9], [106.5, 22.9], [106.5, 22.8]]] } });

describe(`facilities, fiber routes and exclusions (${process.env.TEST_DB})`, () => {
	it('imports facilities with types in English or Vietnamese, once, and undoes them', async () => {
		const p = await file([
			point(106.25, 22.66, { type: 'Trạm y tế', name: 'Trạm y tế xã Đàm Thuỷ' }),
			point(106.26, 22.67, { type: 'school', name: 'Trường TH' }),
			point(106.27, 22.68, { name: 'Đất công' })
		]);
		const summary = await runLayerImport(db, 'facilities', { filePath: p, type: 'public land', skipInvalid: false, actor });
		expect(summary).toMatchObject({ status: 'committed', inserted: 3 });
		const rows = await db.rows<{ facility_type: string }>(sql`select facility_type from facilities order by id`);
		expect(rows.map((r) => r.facility_type)).toEqual(['health_station', 'school', 'public_land']);
		expect(await runLayerImport(db, 'facilities', { filePath: p, type: 'public land', skipInvalid: false, actor })).toMatchObject({ inserted: 0, duplicate: 3 });
		await undoImport(db, summary.importId, actor);
		expect(await db.rows(sql`select 1 from facilities`)).toEqual([]);
	});

	it('refuses a facility of an unknown type, a polygon facility and a point outside Vietnam', async () => {
		const p = await file([point(106.25, 22.66, { type: 'casino' }), area({ type: 'school' }), point(13.4, 52.5, { type: 'school' })]);
		const summary = await runLayerImport(db, 'facilities', { filePath: p, skipInvalid: false, actor });
		expect(summary.issues.map((i) => [i.row, i.reason])).toEqual([
			[1, 'unknown facility type (expected school, health_station, commune_office, public_land, other)'],
			[2, 'geometry must be a Point, got Polygon'],
			[3, expect.stringMatching(/lies outside Vietnam/)]
		]);
	});

	it('imports fiber routes by operator, as multi-lines with their length', async () => {
		const summary = await runLayerImport(db, 'fiber-routes', { filePath: await file([line({ operator: 'VNPT', name: 'Trục QL3' }), line({ name: 'Nhánh' })]), operator: 'Viettel', skipInvalid: false, actor });
		expect(summary).toMatchObject({ status: 'committed', inserted: 2 });
		const rows = await db.rows<{ operator_code: string; km: number }>(sql`select operator_code, ST_Length(geom::geography) / 1000 as km from fiber_routes order by operator_code`);
		expect(rows.map((r) => r.operator_code)).toEqual(['viettel', 'vnpt']);
		expect(rows[0].km).toBeGreaterThan(20);
		const bad = await runLayerImport(db, 'fiber-routes', { filePath: await file([line({})]), skipInvalid: false, actor });
		expect(bad.issues[0].reason).toMatch(/names no operator/);
	});

	it('imports exclusion zones with their reason', async () => {
		const summary = await runLayerImport(db, 'exclusions', { filePath: await file([area({ name: 'Khu bảo tồn', reason: 'rừng đặc dụng' })]), skipInvalid: false, actor });
		expect(summary).toMatchObject({ status: 'committed', inserted: 1 });
		const [row] = await db.rows<{ reason: string; valid: boolean }>(sql`select reason, ST_IsValid(geom) as valid from exclusion_zones`);
		expect(row).toEqual({ reason: 'rừng đặc dụng', valid: true });
	});

	it('reads facilities from a CSV of points, and names a row whose position is not a number', async () => {
		const p = path.join(dir, 'diem-cong.csv');
		await writeFile(p, 'ten;loai;vi_do;kinh_do\nTrường Tiểu học Đàm Thuỷ;Trường học;22.67;106.26\nTrạm y tế xã;Trạm y tế;22.66;106.25\n');
		const summary = await runLayerImport(db, 'facilities', { filePath: p, skipInvalid: false, actor });
		expect(summary).toMatchObject({ status: 'committed', inserted: 2, preset: 'CSV, facilities' });
		const rows = await db.rows<{ facility_type: string; name: string; x: number }>(sql`select facility_type, name, ST_X(geom) as x from facilities order by facility_type`);
		expect(rows).toEqual([
			{ facility_type: 'health_station', name: 'Trạm y tế xã', x: 106.25 },
			{ facility_type: 'school', name: 'Trường Tiểu học Đàm Thuỷ', x: 106.26 }
		]);
		const bad = path.join(dir, 'diem-loi.csv');
		await writeFile(bad, 'name,type,lat,lon\nA,school,22.6,106.2\nB,school,north,106.3\n');
		const refused = await runLayerImport(db, 'facilities', { filePath: bad, skipInvalid: false, actor });
		expect(refused.status).toBe('rejected');
		expect(refused.issues).toEqual([expect.objectContaining({ row: 2, column: 'geometry', reason: 'the point has a position that is not two numbers' })]);
		const noPosition = path.join(dir, 'khong-toa-do.csv');
		await writeFile(noPosition, 'name,type\nA,school\n');
		expect((await runLayerImport(db, 'facilities', { filePath: noPosition, skipInvalid: false, actor })).fileError).toMatch(/needs latitude and longitude columns/);
	});

	it('applies the same 64 kB record limit to a CSV of points as to every CSV, and a Windows-1258 file reads', async () => {
		const huge = path.join(dir, 'mot-dong.csv');
		await writeFile(huge, `name,type,lat,lon\n${'x'.repeat(10 * 2 ** 20)},school,22.6,106.2\n`);
		const started = Date.now();
		const refused = await runLayerImport(db, 'facilities', { filePath: huge, skipInvalid: false, actor });
		expect(refused.status).toBe('rejected');
		expect(refused.fileError).toMatch(/line 2: a record longer than 65,536 characters/);
		expect(Date.now() - started).toBeLessThan(3000);
		expect((await db.rows<{ n: number }>(sql`select count(*)::int as n from facilities`))[0].n).toBe(0);

		// "Trạm y tế" in Windows-1258 (base letters plus combining marks), detected like tabular files.
		const cp1258 = path.join(dir, 'cp1258.csv');
		await writeFile(cp1258, Buffer.concat([Buffer.from('name,type,lat,lon\nTra'), Buffer.from([0xf2, 0x6d]), Buffer.from(' y te\u0302,school,22.6,106.2\n'.replace('\u0302', ''))]));
		const ok = await runLayerImport(db, 'facilities', { filePath: cp1258, skipInvalid: false, actor });
		expect(ok.status).toBe('committed');
		expect((await db.rows<{ name: string }>(sql`select name from facilities`))[0].name).toBe('Trạm y te');
	});
});
