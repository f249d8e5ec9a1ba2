import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/lib/server/db/index';
import { runBoundaryImport } from '../../src/lib/server/import/boundaries';
import { runLayerImport } from '../../src/lib/server/import/layers';
import { projectionFromPrj } from '../../src/lib/import/projection';
import { openTestDatabase, resetDatabase } from '../helpers/db';
import { VN2000_UTM48_PRJ, vn2000Tm3Prj, zipShapefile, type ShapeFeature } from '../helpers/shapefile';

let db: Database;
let dir: string;
const actor = { accountId: null, label: 'cli:test' };
const CAO_BANG = path.resolve('data/vn-communes-post2025-polygons/cao_bang_04_communes_2025.geojson');

interface CommuneFeature {
	properties: { commune_code: string; name: string; province_code: string };
	geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: number[][][] | number[][][][] };
}
let communes: CommuneFeature[];

beforeAll(async () => {
	db = await openTestDatabase();
	dir = await mkdtemp(path.join(os.tmpdir(), 'phu-song-shp-'));
	const all = JSON.parse(await readFile(CAO_BANG, 'utf8')).features as CommuneFeature[];
	// Đàm Thuỷ (a border commune) and the town ward of Thục Phán, with real shapes.
	communes = all.filter((f) => ['Đàm Thuỷ', 'Thục Phán'].includes(f.properties.name));
	expect(communes).toHaveLength(2);
});
afterAll(async () => {
	await db?.close();
	await rm(dir, { recursive: true, force: true });
});
beforeEach(() => resetDatabase(db));

/**
 * The communes projected to `srid` by PostGIS (PROJ), written as a shapefile with upper-case
 * attribute names as Vietnamese GIS files have them. PROJ is an independent implementation of
 * the VN-2000 shift, so the round trip checks our reprojection, not just proj4 against itself.
 */
async function projectedShapefile(srid: number, extra: Record<string, string>): Promise<string> {
	const features: ShapeFeature[] = [];
	for (const f of communes) {
		const [row] = await db.rows<{ g: string }>(sql`select ST_AsGeoJSON(ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(f.geometry)}), 4326), ${srid}::int), 3) as g`);
		features.push({ geometry: JSON.parse(row.g), properties: { MA_XA: f.properties.commune_code, TEN_XA: f.properties.name, MA_TINH: '04' } });
	}
	const file = path.join(dir, `communes-${srid}-${Object.keys(extra).join('')}.zip`);
	await writeFile(file, zipShapefile('xa_cao_bang', features, extra));
	return file;
}

/** Largest distance (m) between each imported commune and its source polygon. */
async function worstDeviationM(): Promise<number> {
	let worst = 0;
	for (const f of communes) {
		const [row] = await db.rows<{ d: number }>(sql`
			select ST_HausdorffDistance(ST_Transform(geom, 3405), ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(f.geometry)}), 4326), 3405)) as d
			from communes where code = ${f.properties.commune_code}`);
		worst = Math.max(worst, row.d);
	}
	return worst;
}

describe(`zipped shapefiles (${process.env.TEST_DB})`, () => {
	it('reprojects a VN-2000 / TM-3 shapefile (ESRI .prj without datum shift) onto the communes within a metre', async () => {
		const file = await projectedShapefile(5897, { prj: vn2000Tm3Prj(105), cpg: 'UTF-8' });
		const summary = await runBoundaryImport(db, { filePath: file, skipInvalid: false, actor });
		expect(summary).toMatchObject({ status: 'committed', inserted: 2, invalid: 0 });
		expect(summary.preset).toMatch(/^Shapefile, 2025 units, VN-2000 \/ TM-3 105° .* → WGS 84$/);
		const names = await db.rows<{ name: string; province_code: string }>(sql`select name, province_code from communes order by code`);
		expect(names).toEqual(communes.sort((a, b) => a.properties.commune_code.localeCompare(b.properties.commune_code)).map((f) => ({ name: f.properties.name, province_code: '04' })));
		expect(await worstDeviationM()).toBeLessThan(1);
	});

	it('reprojects VN-2000 / UTM 48N (EPSG:3405) the same way', async () => {
		const file = await projectedShapefile(3405, { prj: VN2000_UTM48_PRJ });
		expect(await runBoundaryImport(db, { filePath: file, skipInvalid: false, actor })).toMatchObject({ status: 'committed', inserted: 2 });
		expect(await worstDeviationM()).toBeLessThan(1);
	});

	it('would be hundreds of metres off without the VN-2000 shift (why the .prj is not read literally)', async () => {
		const plain = projectionFromPrj(vn2000Tm3Prj(105).replace('D_Vietnam_2000', 'D_WGS_1984').replace('GCS_VN_2000', 'GCS_WGS_1984').replace(/VN_2000_TM3/, 'TM3'));
		const shifted = projectionFromPrj(vn2000Tm3Prj(105));
		const a = plain.toWgs84!([600000, 2500000]);
		const b = shifted.toWgs84!([600000, 2500000]);
		const [row] = await db.rows<{ d: number }>(sql`select ST_Distance(ST_MakePoint(${a[0]}, ${a[1]})::geography, ST_MakePoint(${b[0]}, ${b[1]})::geography) as d`);
		expect(row.d).toBeGreaterThan(100);
	});

	it('refuses a shapefile without .prj, and takes it when --srid says what it is', async () => {
		const file = await projectedShapefile(5897, {});
		const refused = await runBoundaryImport(db, { filePath: file, skipInvalid: false, actor });
		expect(refused.status).toBe('rejected');
		expect(refused.fileError).toMatch(/xa_cao_bang\.shp has no \.prj.*--srid/);
		expect((await db.rows<{ n: number }>(sql`select count(*)::int as n from communes`))[0].n).toBe(0);
		const accepted = await runBoundaryImport(db, { filePath: file, srid: 5897, skipInvalid: false, actor });
		expect(accepted).toMatchObject({ status: 'committed', inserted: 2 });
		expect(await worstDeviationM()).toBeLessThan(1);
	});

	it('refuses an unknown --srid by name', async () => {
		const file = await projectedShapefile(5897, {});
		const refused = await runBoundaryImport(db, { filePath: file, srid: 2154, skipInvalid: false, actor });
		expect(refused.fileError).toMatch(/EPSG:2154 is not one of the supported systems/);
	});

	it('refuses a zip that holds no shapefile, naming what it found', async () => {
		const { zipSync } = await import('fflate');
		const file = path.join(dir, 'no-shp.zip');
		await writeFile(file, zipSync({ 'readme.txt': Buffer.from('hello'), 'data.csv': Buffer.from('a,b\n1,2\n') }));
		const refused = await runBoundaryImport(db, { filePath: file, skipInvalid: false, actor });
		expect(refused.fileError).toBe('the zip holds no shapefile (.shp) and no .kml (found: readme.txt, data.csv)');
	});

	it('refuses a shapefile whose positions do not fit its .prj (WGS 84 degrees labelled VN-2000), naming the feature', async () => {
		const features: ShapeFeature[] = communes.map((f) => ({ geometry: f.geometry as ShapeFeature['geometry'], properties: { MA_XA: f.properties.commune_code, TEN_XA: f.properties.name, MA_TINH: '04' } }));
		const file = path.join(dir, 'mislabelled.zip');
		await writeFile(file, zipShapefile('xa', features, { prj: vn2000Tm3Prj(105) }));
		const refused = await runBoundaryImport(db, { filePath: file, skipInvalid: false, actor });
		expect(refused.status).toBe('rejected');
		expect(refused.issues[0]).toMatchObject({ row: 1, column: 'geometry', reason: expect.stringMatching(/outside Vietnam/) });
	});

	it('reads facility points from a shapefile in WGS 84', async () => {
		const wgs84 = 'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
		const file = path.join(dir, 'facilities.zip');
		await writeFile(
			file,
			zipShapefile(
				'truong',
				[
					{ geometry: { type: 'Point', coordinates: [106.26, 22.67] }, properties: { name: 'Trường Tiểu học Đàm Thuỷ', type: 'Trường học' } },
					{ geometry: { type: 'Point', coordinates: [106.25, 22.66] }, properties: { name: 'Trạm y tế xã Đàm Thuỷ', type: 'Trạm y tế' } }
				],
				{ prj: wgs84, cpg: 'UTF-8' }
			)
		);
		const summary = await runLayerImport(db, 'facilities', { filePath: file, skipInvalid: false, actor });
		expect(summary).toMatchObject({ status: 'committed', inserted: 2, preset: 'Shapefile, facilities, WGS 84' });
		const rows = await db.rows<{ facility_type: string; name: string }>(sql`select facility_type, name from facilities order by facility_type`);
		expect(rows).toEqual([
			{ facility_type: 'health_station', name: 'Trạm y tế xã Đàm Thuỷ' },
			{ facility_type: 'school', name: 'Trường Tiểu học Đàm Thuỷ' }
		]);
	});
});
