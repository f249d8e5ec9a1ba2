import { describe, expect, it } from 'vitest';
import { parseReportBody } from '../reports/report-body';
import { heldDemoReports } from './held-reports';
import type { DemoCommuneInput } from './generate';

const commune = (code: string, center: [number, number]): DemoCommuneInput => ({ code, name: code, kind: 'Xã', population: 1000, areaKm2: 10, center, geometry: { type: 'Polygon', coordinates: [] } });
const communes = [commune('01501', [106.62, 22.85]), commune('01502', [106.3, 22.9])];
const UNTIL = '2026-12-06T16:59:59.999Z';

describe('heldDemoReports', () => {
	it('is the same on every run, held with a flag, near the gap communes, and valid as residents would send them', () => {
		const a = heldDemoReports(communes, 42025, UNTIL);
		expect(heldDemoReports(communes, 42025, UNTIL)).toEqual(a);
		expect(a).toHaveLength(12);
		expect(new Set(a.map((r) => r.report.id)).size).toBe(12);
		expect(new Set(a.map((r) => r.trackingCode)).size).toBe(12);
		for (const r of a) {
			expect(r.flags.length).toBe(1);
			expect(Math.abs(r.report.lon - 106.5)).toBeLessThan(0.5);
			const { id, deviceKey, lat, lon, accuracyM, positionSource, observedAt, operator, technology, noService, signalBars, indoor, problem, note } = r.report;
			const parsed = parseReportBody({ id, deviceKey, lat, lon, accuracyM, positionSource, observedAt, operator, technology, noService, signalBars, indoor, problem, note }, new Date(UNTIL));
			expect(parsed.ok, JSON.stringify(parsed)).toBe(true);
			if (r.report.note) expect(r.report.note).toMatch(/^\[Dữ liệu mẫu tổng hợp\]/);
		}
		expect(a.filter((r) => r.flags[0] === 'address_burst').map((r) => r.addressKey)).toEqual(Array(10).fill('demo-meeting-42025'));
	});
});
