import { kml as kmlToGeoJson } from '@tmcw/togeojson';
import { DOMParser } from '@xmldom/xmldom';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { exportSites, type ExportSite } from './export';

const sites: ExportSite[] = [
	{
		rank: 1,
		key: 'grid:106.72,22.85:macro',
		type: 'macro',
		source: 'grid',
		position: [106.7212345678, 22.8512345678],
		cost: 5,
		communeCode: '01501',
		communeName: 'Đàm Thuỷ',
		householdsNewlyCovered: 312.25,
		zoneShareClosed: 0.4567,
		backhaulKm: 1.234,
		explanation: { vi: 'Trạm vĩ mô tại ô lưới mới: thêm 312 hộ có sóng ở Đàm Thuỷ; "khép" 46% vùng lõm <a>.', en: 'Macro tower at a new grid point: 312 households newly served, "quoted" & <b>.' }
	},
	{
		rank: 2,
		key: 'colocation:106.7,22.8:small-cell',
		type: 'small-cell',
		source: 'colocation',
		position: [106.7, 22.8],
		cost: 0.4,
		communeCode: null,
		communeName: null,
		householdsNewlyCovered: 10,
		zoneShareClosed: 0,
		backhaulKm: null,
		explanation: { vi: 'Trạm nhỏ, dùng chung', en: 'Small cell, shared' }
	}
];

describe('plan exports', () => {
	it('GeoJSON: one Point per site with the properties the issue names', () => {
		const fc = JSON.parse(exportSites('geojson', sites, 'en', 'p5'));
		expect(fc).toMatchObject({ type: 'FeatureCollection', name: 'p5' });
		expect(fc.features).toHaveLength(2);
		expect(fc.features[0].geometry).toEqual({ type: 'Point', coordinates: [106.721235, 22.851235] });
		expect(fc.features[0].properties).toMatchObject({ type: 'macro', cost: 5, communeCode: '01501', householdsNewlyCovered: 312.3, explanation: sites[0].explanation.en });
		expect(fc.features[1].properties.communeCode).toBeNull();
	});

	it('CSV: a header, a row per site, Vietnamese and quotes intact', () => {
		const rows = parseCsv(exportSites('csv', sites, 'vi', 'p5'), { columns: true, bom: true }) as Record<string, string>[];
		expect(rows).toHaveLength(2);
		expect(rows[0]).toMatchObject({ rank: '1', type: 'macro', lat: '22.851235', lon: '106.721235', communeName: 'Đàm Thuỷ', explanation: sites[0].explanation.vi });
		expect(rows[1]).toMatchObject({ communeCode: '', backhaulKm: '' });
	});

	it('KML: reads back as the same points and properties (escaped text survives)', () => {
		const text = exportSites('kml', sites, 'en', 'Đàm Thuỷ <p5>');
		const fc = kmlToGeoJson(new DOMParser().parseFromString(text, 'text/xml') as unknown as Document);
		expect(fc.features).toHaveLength(2);
		expect(fc.features[0].geometry).toEqual({ type: 'Point', coordinates: [106.721235, 22.851235] });
		expect(fc.features[0].properties).toMatchObject({ type: 'macro', communeName: 'Đàm Thuỷ', description: sites[0].explanation.en, explanation: sites[0].explanation.en });
	});
});
