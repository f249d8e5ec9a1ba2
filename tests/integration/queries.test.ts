import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureCollection } from 'geojson';
import { communesExtent, communesInBbox, insertCommunes, searchCommunes } from '../../src/lib/server/communes';
import type { Database } from '../../src/lib/server/db/index';
import { checkHealth } from '../../src/lib/server/health';
import { insertReports, reportsInBbox } from '../../src/lib/server/reports';
import { insertTowers, towersInBbox } from '../../src/lib/server/towers';
import { openTestDatabase, resetDatabase } from '../helpers/db';
import { makeCommune, makeReport, makeTower, square } from '../helpers/factories';

let db: Database;

/** A wiggly ring with many vertices, so simplification has something to remove. */
function wigglyPolygon([lng, lat]: [number, number]) {
	const ring: [number, number][] = [];
	for (let i = 0; i < 400; i++) {
		const a = (i / 400) * 2 * Math.PI;
		const r = 0.05 + 0.0005 * Math.sin(i * 7);
		ring.push([lng + r * Math.cos(a), lat + r * Math.sin(a)]);
	}
	ring.push(ring[0]);
	return { type: 'Polygon' as const, coordinates: [ring] };
}

const vertexCount = (fc: FeatureCollection) =>
	fc.features.reduce((n, f) => n + JSON.stringify(f.geometry).split('],[').length, 0);

beforeAll(async () => {
	db = await openTestDatabase();
	await resetDatabase(db);
	await insertCommunes(db, [
		makeCommune({ code: '01501', name: 'Đàm Thuỷ', geometry: wigglyPolygon([106.65, 22.84]) }),
		makeCommune({ code: '01648', name: 'Phục Hòa', geometry: square([106.52, 22.52]) }),
		makeCommune({ code: '01450', name: 'Đàm Thủy Hạ', geometry: square([106.8, 22.9]) }),
		makeCommune({ code: '70001', name: 'Xã Cũ', boundarySet: 'pre2025', districtCode: '047', geometry: square([106.65, 22.84]) })
	]);
	await insertTowers(db, [makeTower({ siteCode: 'A', position: [106.65, 22.84] }), makeTower({ siteCode: 'B', position: [105.0, 21.0] })]);
	await insertReports(db, [
		makeReport({ observedAt: '2026-01-01T00:00:00Z', position: [106.651, 22.841] }),
		makeReport({ observedAt: '2026-03-01T00:00:00Z', position: [106.652, 22.842], rsrpDbm: null, noService: true, technology: null }),
		makeReport({ observedAt: '2026-02-01T00:00:00Z', position: [106.653, 22.843] }),
		makeReport({ position: [105.0, 21.0] })
	]);
});
afterAll(() => db?.close());

describe(`map queries (${process.env.TEST_DB})`, () => {
	it('returns the communes of one boundary set meeting the bbox, with label points', async () => {
		const fc = JSON.parse(await communesInBbox(db, [106.6, 22.8, 106.7, 22.9], 12, '2025'));
		expect(fc.type).toBe('FeatureCollection');
		expect(fc.features.map((f: { properties: { code: string } }) => f.properties.code)).toEqual(['01501']);
		const [lng, lat] = fc.features[0].properties.label;
		expect(Math.abs(lng - 106.65)).toBeLessThan(0.06);
		expect(Math.abs(lat - 22.84)).toBeLessThan(0.06);
		const pre = JSON.parse(await communesInBbox(db, [106.6, 22.8, 106.7, 22.9], 12, 'pre2025'));
		expect(pre.features.map((f: { properties: { districtCode: string } }) => f.properties.districtCode)).toEqual(['047']);
	});

	it('ships fewer vertices at low zoom', async () => {
		const near = JSON.parse(await communesInBbox(db, [106.5, 22.7, 106.8, 23], 14, '2025'));
		const far = JSON.parse(await communesInBbox(db, [106.5, 22.7, 106.8, 23], 6, '2025'));
		expect(vertexCount(far)).toBeLessThan(vertexCount(near) / 4);
	});

	it.each([
		['Dam Thuy', ['Đàm Thuỷ', 'Đàm Thủy Hạ']],
		['đàm thủy', ['Đàm Thuỷ', 'Đàm Thủy Hạ']],
		['phuc hoa', ['Phục Hòa']],
		['thuy ha', ['Đàm Thủy Hạ']],
		['hoa phuc', ['Phục Hòa']],
		['50%', []]
	])('finds %j ignoring diacritics', async (query, names) => {
		expect((await searchCommunes(db, query, '2025')).map((m) => m.name)).toEqual(names);
	});

	it('gives a search hit its bbox', async () => {
		const [hit] = await searchCommunes(db, 'phuc hoa', '2025');
		[106.5, 22.5, 106.54, 22.54].forEach((v, i) => expect(hit.bbox[i]).toBeCloseTo(v, 9));
	});

	it('returns towers in the bbox only', async () => {
		const fc = JSON.parse(await towersInBbox(db, [106, 22, 107, 23]));
		expect(fc.features.map((f: { properties: { siteCode: string } }) => f.properties.siteCode)).toEqual(['A']);
		expect(fc.features[0].properties.operator).toBe('viettel');
	});

	it('returns the most recent reports first, at most limit, without reporter identity', async () => {
		const text = await reportsInBbox(db, [106, 22, 107, 23], 2);
		const fc = JSON.parse(text);
		expect(fc.features.map((f: { properties: { observedAt: string } }) => f.properties.observedAt)).toEqual(['2026-03-01', '2026-02-01']);
		expect(fc.features[0].properties.noService).toBe(true);
		expect(text).not.toContain('reporter');
	});

	it('answers health with counts and the extent', async () => {
		const health = await checkHealth(db);
		expect(health).toMatchObject({ status: 'ok', database: process.env.TEST_DB, counts: { communes: 4, towers: 2, reports: 4 } });
		const extent = await communesExtent(db, '2025');
		expect(extent![0]).toBeCloseTo(106.5, 3);
		expect(extent![3]).toBeCloseTo(22.92, 3);
	});
});
