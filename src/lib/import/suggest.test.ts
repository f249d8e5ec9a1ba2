import { describe, expect, it } from 'vitest';
import { fileFamily, suggestFeatureKind, suggestRasterKind, suggestTabularKind } from './suggest';

describe('import kind suggestions', () => {
	it.each([
		[['timestamp', 'lat', 'lon', 'rsrp'], 'measurements'],
		[['Timestamp', 'Longitude', 'Latitude', 'Speed', 'Operatorname', 'CellID', 'NetworkMode', 'RSRP'], 'measurements'],
		[['radio', 'mcc', 'net', 'area', 'cell', 'unit', 'lon', 'lat'], 'towers'],
		[['site_id', 'operator', 'lat', 'lon'], 'towers'],
		[['commune_code', 'population', 'households'], 'households'],
		[['unit_code', 'operator', 'households_total', 'households_passed', 'households_connected'], 'fiber'],
		[['old_commune_code', 'new_commune_code', 'merge_type'], 'crosswalk'],
		[['ten_thon', 'ma_xa', 'so_ho', 'vi_do', 'kinh_do'], 'villages'],
		[['name', 'value'], null]
	])('reads %j as %s', (header, kind) => expect(suggestTabularKind(header)).toBe(kind));

	it('tells feature kinds apart by geometry and properties', () => {
		const f = (type: string, properties: Record<string, unknown> = {}) => ({ type: 'Feature', geometry: { type }, properties });
		expect(suggestFeatureKind([f('Polygon', { MA_XA: '01708' })])).toBe('boundaries');
		expect(suggestFeatureKind([f('MultiPolygon', { operator: 'Viettel', technology: '4G' })])).toBe('declared');
		expect(suggestFeatureKind([f('Point', { type: 'school' })])).toBe('facilities');
		expect(suggestFeatureKind([f('Point', { name: 'Bản Khuổi', ma_xa: '01501' })])).toBe('villages');
		expect(suggestFeatureKind([f('LineString')])).toBe('fiber-routes');
		expect(suggestFeatureKind([f('Polygon', { reason: 'rừng phòng hộ' })])).toBe('exclusions');
	});

	it('tells rasters by name and files by their first bytes', () => {
		expect(suggestRasterKind('N22E105.hgt')).toBe('dem');
		expect(suggestRasterKind('vnm_ppp_2020.tif')).toBe('population');
		expect(fileFamily('x.tif', new Uint8Array([0x49, 0x49, 42, 0]))).toBe('raster');
		expect(fileFamily('x.zip', new Uint8Array([0x50, 0x4b, 3, 4]))).toBe('features');
		expect(fileFamily('x.geojson', new TextEncoder().encode('{"type":"FeatureCollection"'))).toBe('features');
		expect(fileFamily('x.csv', new TextEncoder().encode('lat,lon\n'))).toBe('csv');
	});
});
