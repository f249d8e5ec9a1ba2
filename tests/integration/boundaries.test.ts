import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/lib/server/db/index';
import { runBoundaryImport } from '../../src/lib/server/import/boundaries';
import { undoImport } from '../../src/lib/server/import/history';
import { openTestDatabase, resetDatabase } from '../helpers/db';

let db: Database;
let dir: string;
const actor = { accountId: null, label: 'cli:test' };
const COMMUNES_2025 = path.resolve('data/vn-communes-post2025-polygons');
const PRE2025 = path.resolve('tests/fixtures/import/cao_bang_04_pre2025_districts.geojson');

beforeAll(async () => {
	db = await openTestDatabase();
	dir = await mkdtemp(path.join(os.tmpdir(), 'phu-song-boundaries-'));
});
afterAll(async () => {
	await db?.close();
	await rm(dir, { recursive: true, force: true });
});
beforeEach(() => resetDatabase(db));

const run = (filePath: string, extra: Partial<Parameters<typeof runBoundaryImport>[1]> = {}) => runBoundaryImport(db, { filePath, skipInvalid: false, actor, ...extra });

const feature = (code: string, coordinates: number[][][], props: Record<string, unknown> = {}) => ({
	type: 'Feature',
	properties: { commune_code: code, name: `Xã ${code}`, province_code: '04', ...props },
	geometry: { type: 'Polygon', coordinates }
});
const squareRing = (x: number, y: number, d = 0.02) => [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]];
async function geojson(name: string, features: unknown[] | string): Promise<string> {
	const p = path.join(dir, name);
	await writeFile(p, typeof features === 'string' ? features : JSON.stringify({ type: 'FeatureCollection', features }));
	return p;
}

async function count(table: 'communes' | 'admin_areas') {
	const [row] = await db.rows<{ n: number }>(sql`select count(*)::int as n from ${sql.raw(table)}`);
	return row.n;
}

describe(`boundary import (${process.env.TEST_DB})`, () => {
	it.each([
		['cao_bang_04_communes_2025.geojson', 56],
		['dong_nai_75_communes_2025.geojson', 95]
	])('imports the real 2025 communes of %s cleanly', async (file, n) => {
		const summary = await run(path.join(COMMUNES_2025, file));
		expect(summary).toMatchObject({ status: 'committed', rowsRead: n, inserted: n, invalid: 0, preset: 'GeoJSON, 2025 units' });
		const [row] = await db.rows<{ invalid: number; with_population: number }>(sql`
			select count(*) filter (where not ST_IsValid(geom))::int as invalid, count(population)::int as with_population from communes`);
		expect(row).toEqual({ invalid: 0, with_population: n });
		expect((await run(path.join(COMMUNES_2025, file)))).toMatchObject({ inserted: 0, duplicate: n });
	});

	it('imports pre-2025 province and district polygons, guessing the set from the district codes', async () => {
		const summary = await run(PRE2025);
		expect(summary).toMatchObject({ status: 'committed', rowsRead: 11, inserted: 11, preset: 'GeoJSON, pre2025 units' });
		const levels = await db.rows<{ level: string; n: number; parents: string }>(sql`
			select level, count(*)::int as n, string_agg(distinct coalesce(parent_code, '-'), ',') as parents from admin_areas where boundary_set = 'pre2025' group by level order by level`);
		expect(levels).toEqual([
			{ level: 'district', n: 10, parents: '04' },
			{ level: 'province', n: 1, parents: '-' }
		]);
		await undoImport(db, summary.importId, actor);
		expect(await count('admin_areas')).toBe(0);
	});

	it('reads TopoJSON: two communes sharing an arc', async () => {
		const props = (code: string) => ({ commune_code: code, name: `Xã ${code}`, province_code: '04' });
		const topology = {
			type: 'Topology',
			objects: {
				communes: {
					type: 'GeometryCollection',
					geometries: [
						{ type: 'Polygon', arcs: [[0, 1]], properties: props('90001') },
						{ type: 'Polygon', arcs: [[-1, 2]], properties: props('90002') }
					]
				}
			},
			arcs: [
				[[106.22, 22.6], [106.22, 22.62]],
				[[106.22, 22.62], [106.2, 22.62], [106.2, 22.6], [106.22, 22.6]],
				[[106.22, 22.6], [106.24, 22.6], [106.24, 22.62], [106.22, 22.62]]
			]
		};
		const summary = await run(await geojson('communes.topojson', JSON.stringify(topology)));
		expect(summary).toMatchObject({ status: 'committed', inserted: 2, preset: 'TopoJSON, 2025 units' });
		const [row] = await db.rows<{ touches: boolean }>(sql`
			select ST_Touches(a.geom, b.geom) as touches from communes a, communes b where a.code = '90001' and b.code = '90002'`);
		expect(row.touches).toBe(true);
	});

	it('repairs a self-intersecting polygon with ST_MakeValid and lists it', async () => {
		const bowTie = [[[106.2, 22.6], [106.3, 22.7], [106.3, 22.6], [106.2, 22.7], [106.2, 22.6]]];
		const summary = await run(await geojson('bowtie.geojson', [feature('90001', bowTie), feature('90002', squareRing(106.5, 22.5))]));
		expect(summary).toMatchObject({ status: 'committed', inserted: 2, repaired: ['commune 90001'] });
		const [row] = await db.rows<{ valid: boolean; parts: number }>(sql`select ST_IsValid(geom) as valid, ST_NumGeometries(geom) as parts from communes where code = '90001'`);
		expect(row).toEqual({ valid: true, parts: 2 });
	});

	it.each([
		['unclosed ring', [feature('90001', squareRing(106.2, 22.6)), feature('90002', [[[106.5, 22.5], [106.52, 22.5], [106.52, 22.52], [106.5, 22.52]]])], /feature|ring 1 of polygon 1 is not closed/],
		['swapped coordinates', [feature('90001', squareRing(22.6, 106.2))], /coordinates look swapped/],
		['a projected file', [feature('90001', squareRing(520000, 2500000, 1000))], /outside Vietnam .* another projection/],
		['a point geometry', [{ type: 'Feature', properties: { commune_code: '90001', name: 'X', province_code: '04' }, geometry: { type: 'Point', coordinates: [106.2, 22.6] } }], /must be a Polygon or MultiPolygon, got Point/],
		['a missing code', [feature('', squareRing(106.2, 22.6))], /has no commune code/]
	])('refuses %s, naming the feature, and writes nothing', async (_case, features, reason) => {
		const summary = await run(await geojson('bad.geojson', features as unknown[]));
		expect(summary.status).toBe('rejected');
		expect(summary.issues.map((i) => i.reason).join('\n')).toMatch(reason);
		expect(summary.issues[0].row).toBe(features.length);
		expect(await count('communes')).toBe(0);
	});

	it.each([
		['invalid JSON', '{"type": "FeatureCollection", "features": [', /not valid JSON/],
		['not GeoJSON', '{"hello": "world"}', /not a GeoJSON FeatureCollection or a TopoJSON Topology/],
		['no features', '{"type": "FeatureCollection", "features": []}', /the file has no features/]
	])('refuses %s as a whole', async (_case, text, message) => {
		const summary = await run(await geojson('broken.geojson', text));
		expect(summary).toMatchObject({ status: 'rejected' });
		expect(summary.fileError).toMatch(message);
	});

	it('quarantines bad features with skipInvalid and undo removes the rest', async () => {
		const summary = await run(await geojson('mixed.geojson', [feature('90001', squareRing(106.2, 22.6)), feature('90002', squareRing(22.6, 106.2))]), { skipInvalid: true });
		expect(summary).toMatchObject({ status: 'committed', inserted: 1, invalid: 1 });
		await undoImport(db, summary.importId, actor);
		expect(await count('communes')).toBe(0);
	});
});
