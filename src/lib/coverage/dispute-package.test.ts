import { describe, expect, it } from 'vitest';
import { latLngToCell } from 'h3-js';
import { coverSheet, CSV_COLUMNS, disputeCsv, disputeGeoJson, type DisputeRecord, type PackageInfo } from './dispute-package';

const cell = latLngToCell(22.85, 106.05, 9);
const record: DisputeRecord = {
	cell,
	operator: 'viettel',
	technology: '4G',
	flags: ['declared', 'predicted'],
	declaredCovered: true,
	declaredShare: 0.878,
	predictedClass: 'fair',
	predictedDbm: -104.5,
	measuredClass: 'dead',
	confidence: 0.9,
	reports: 7,
	reporters: 4,
	medianDbm: -124,
	p10Dbm: -130,
	deadShare: 0.571,
	firstObserved: '2026-03-02',
	lastObserved: '2026-11-20'
};
const info: PackageInfo = {
	operator: 'viettel',
	operatorName: 'Viettel',
	generatedAt: '2026-12-01T08:00:00.000Z',
	area: 'Cao Bằng',
	synthetic: true,
	rules: { minReporters: 3, minDays: 2, minHoursApart: 4, minConfidence: 0.5, declaredMinShare: 0.5, windowDays: 365 }
};

describe('evidence package', () => {
	it('writes one CSV row per record under a fixed header', () => {
		const lines = disputeCsv([record]).split('\r\n');
		expect(lines[0]).toBe(CSV_COLUMNS.join(','));
		const row = Object.fromEntries(lines[1].split(',').map((v, i) => [CSV_COLUMNS[i], v]));
		expect(row).toMatchObject({ cell, operator: 'viettel', technology: '4G', flags: 'declared+predicted', declared_covered: 'true', measured_class: 'dead', reporters: '4', first_observed: '2026-03-02' });
		expect(Number(row.centre_lat)).toBeCloseTo(22.85, 2);
		expect(lines[2]).toBe('');
	});

	it('writes the cells as closed polygons with typed properties and the cover sheet beside them', () => {
		const geo = JSON.parse(disputeGeoJson([record], info));
		const ring = geo.features[0].geometry.coordinates[0];
		expect(ring.length).toBe(7);
		expect(ring[0]).toEqual(ring[6]);
		expect(geo.features[0].properties).toMatchObject({ cell, reporters: 4, declared_covered: true, median_dbm: -124, flags: 'declared+predicted' });
		expect(geo.coverSheet.vi).toContain('Viettel');
	});

	it('says what, when and by which rule in Vietnamese and English, and flags synthetic data', () => {
		const vi = coverSheet([record], info, 'vi');
		expect(vi).toContain('Thời điểm lập: 2026-12-01T08:00:00.000Z');
		expect(vi).toContain('ít nhất 3 người báo khác nhau, trong ít nhất 2 ngày khác nhau');
		expect(vi).toContain('cách nhau ít nhất 4 giờ');
		expect(vi).toContain('hơn 50 %');
		expect(vi).toContain('4G: trái bản đồ công bố 1, trái dự báo 1, có sóng bất ngờ 0');
		expect(vi).toContain('từ 2026-03-02 đến 2026-11-20');
		expect(vi).toContain('TỔNG HỢP');
		const en = coverSheet([], { ...info, synthetic: false }, 'en');
		expect(en).toContain('Cells: 0.');
		expect(en).not.toContain('SYNTHETIC');
	});
});
