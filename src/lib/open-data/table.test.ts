import { describe, expect, it } from 'vitest';
import { readParquet } from '../../../tests/helpers/parquet';
import { anchorOf, boundsOf, tableToCsv, tableToGeoJson, tableToGeoParquet, type OpenTable } from './table';

const table: OpenTable = {
	metadata: {
		dataset: 'villages',
		title: 'Villages',
		description: 'test',
		vintage: { version: 'v1', day: '2026-12-06' },
		licence: { name: 'CC-BY-4.0', path: 'https://creativecommons.org/licenses/by/4.0/' },
		attribution: 'Phủ Sóng',
		rules: ['k = 3'],
		synthetic: true
	},
	columns: [
		{ name: 'name', type: 'STRING', description: 'name' },
		{ name: 'households', type: 'INT32', description: 'households' },
		{ name: 'share', type: 'DOUBLE', description: 'share' },
		{ name: 'has_power', type: 'BOOLEAN', description: 'grid power' }
	],
	rows: [
		{ name: 'Bản Đôn, "Nà" Lũng', households: 42, share: 0.25, has_power: true },
		{ name: 'Thôn Hai', households: null, share: null, has_power: null }
	],
	geometries: [
		{ type: 'Point', coordinates: [106.1, 22.8] },
		{ type: 'Polygon', coordinates: [[[106, 22], [106.2, 22], [106.2, 22.4], [106, 22]]] }
	]
};

describe('open-data tables', () => {
	it('anchors a point at itself and a polygon at its bbox centre; bounds cover every coordinate', () => {
		expect(anchorOf(table.geometries[0])).toEqual([106.1, 22.8]);
		expect(anchorOf(table.geometries[1])).toEqual([106.1, 22.2]);
		expect(boundsOf(table.geometries)).toEqual([106, 22, 106.2, 22.8]);
	});

	it('writes CSV with a BOM, quoted text, empty nulls and the anchor point', () => {
		const lines = tableToCsv(table).replace(/^\uFEFF/, '').trim().split('\r\n');
		expect(lines).toEqual(['name,households,share,has_power,lng,lat', '"Bản Đôn, ""Nà"" Lũng",42,0.25,true,106.1,22.8', 'Thôn Hai,,,,106.1,22.2']);
	});

	it('writes GeoJSON features with the metadata as a foreign member', () => {
		const fc = JSON.parse(tableToGeoJson(table));
		expect(fc.metadata).toMatchObject({ dataset: 'villages', vintage: { day: '2026-12-06' }, licence: { name: 'CC-BY-4.0' } });
		expect(fc.features[0]).toEqual({ type: 'Feature', geometry: table.geometries[0], properties: table.rows[0] });
	});

	it('writes GeoParquet that hyparquet reads back: values, geometry and the geo metadata', async () => {
		const { rows, kv } = await readParquet(tableToGeoParquet(table));
		expect(rows.map(({ geometry: _, ...r }) => r)).toEqual(table.rows);
		expect(rows.map((r) => r.geometry)).toEqual(table.geometries);
		const geo = JSON.parse(kv.geo);
		expect(geo).toMatchObject({ version: '1.1.0', primary_column: 'geometry', columns: { geometry: { encoding: 'WKB', geometry_types: ['Point', 'Polygon'], bbox: [106, 22, 106.2, 22.8] } } });
		expect(JSON.parse(kv.phu_song)).toMatchObject({ dataset: 'villages', synthetic: true });
	});
});
