import { describe, expect, it } from 'vitest';
import { readVillageFeature } from './villages';

const known = new Set(['01501']);
const feature = (properties: Record<string, unknown>, coordinates: unknown = [106.25, 22.66]) => ({ type: 'Feature', properties, geometry: { type: 'Point', coordinates } });

describe('readVillageFeature', () => {
	it('reads English and Vietnamese property names and values', () => {
		expect(readVillageFeature(feature({ name: 'Bản Khuổi', commune_code: '01501', households: '42', has_power: 'yes', status: 'trang_song' }), 1, { knownCommunes: known })).toEqual({
			record: { name: 'Bản Khuổi', communeCode: '01501', households: 42, hasPower: true, officialStatus: 'trang_song', position: [106.25, 22.66] }
		});
		const vi = readVillageFeature(feature({ 'Tên thôn': 'Thôn Nà Pồng', ma_xa: '01501', 'Số hộ': '1.204', 'Có điện': 'Không', 'Trạng thái': 'Lõm sóng' }), 2, { knownCommunes: known });
		expect(vi).toEqual({ record: { name: 'Thôn Nà Pồng', communeCode: '01501', households: 1204, hasPower: false, officialStatus: 'lom_song', position: [106.25, 22.66] } });
	});

	it('leaves the optional fields unset', () => {
		const r = readVillageFeature(feature({ ten: 'Bản A', ma_xa: '01501' }), 1, { knownCommunes: known });
		expect(r).toEqual({ record: expect.objectContaining({ households: null, hasPower: null, officialStatus: null }) });
	});

	it('names each bad property and value', () => {
		const r = readVillageFeature(feature({ ma_xa: '99999', so_ho: '-3', co_dien: 'maybe', trang_thai: 'weak' }, [300, 22]), 7, { knownCommunes: known });
		expect('issues' in r).toBe(true);
		const issues = 'issues' in r ? r.issues : [];
		expect(issues.map((i) => [i.row, i.column, i.value])).toEqual([
			[7, 'name', null],
			[7, 'ma_xa', '99999'],
			[7, 'so_ho', '-3'],
			[7, 'co_dien', 'maybe'],
			[7, 'trang_thai', 'weak'],
			[7, 'geometry', null]
		]);
		expect(issues[1].reason).toMatch(/loaded commune/);
	});
});
