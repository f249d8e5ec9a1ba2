import { booleanPointInPolygon } from '@turf/turf';
import { latLngToCell } from 'h3-js';
import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { approxDistanceKm } from '../grid/distance';
import { classifyObservation } from '../signal/classes';
import { DEFAULT_SETTINGS } from '../settings/definitions';
import { generateDemoProvince, type DemoCommuneInput } from './generate';
import { DEMO_OPERATOR_OFFSET_DB, gridAround, levelReports, predictedLevels } from './signal';

/** Two square communes 20 km apart: a town and a remote one. */
function square(centre: [number, number], halfDeg: number): Polygon {
	const [x, y] = centre;
	return {
		type: 'Polygon',
		coordinates: [[[x - halfDeg, y - halfDeg], [x + halfDeg, y - halfDeg], [x + halfDeg, y + halfDeg], [x - halfDeg, y + halfDeg], [x - halfDeg, y - halfDeg]]]
	};
}
const communes: DemoCommuneInput[] = [
	{ code: 'T', name: 'Town', kind: 'Phường', population: 40000, areaKm2: 50, center: [106.2, 22.6], geometry: square([106.2, 22.6], 0.04) },
	{ code: 'R', name: 'Remote', kind: 'Xã', population: 8000, areaKm2: 150, center: [106.4, 22.6], geometry: square([106.4, 22.6], 0.06) }
];
const options = { seed: 1, reportCount: 3000, towerScale: 1, gapCommuneCodes: ['R'], observedUntil: '2026-10-31T00:00:00Z' };

const BBOX: [number, number, number, number] = [106.1, 22.5, 106.5, 22.7];

describe('generateDemoProvince', () => {
	const generated = generateDemoProvince(communes, options);
	// The flat model, in memory (the seed reads the stored layer, with terrain).
	const levels = predictedLevels(generated.towers, gridAround(generated.towers, 20_000), DEFAULT_SETTINGS, null);
	const demo = { ...generated, reports: levelReports(generated.reportDrafts, levels, { seed: options.seed, bbox: BBOX }) };

	it('is deterministic for a seed', () => {
		const again = generateDemoProvince(communes, options);
		expect(again.towers).toEqual(demo.towers);
		expect(levelReports(again.reportDrafts, levels, { seed: options.seed, bbox: BBOX }).slice(0, 50)).toEqual(demo.reports.slice(0, 50));
		expect(generateDemoProvince(communes, { ...options, seed: 2 }).reportDrafts[0]).not.toEqual(demo.reportDrafts[0]);
	});

	it('derives households from population', () => {
		expect(demo.households.get('T')).toBe(Math.round(40000 / 3.4));
		expect(demo.households.get('R')).toBe(Math.round(8000 / 3.9));
	});

	it('puts many sites in town and at most two in the gap commune', () => {
		const inTown = demo.towers.filter((t) => booleanPointInPolygon(t.position, communes[0].geometry));
		const inGap = demo.towers.filter((t) => booleanPointInPolygon(t.position, communes[1].geometry));
		expect(inTown.length).toBeGreaterThan(10);
		expect(inGap.length).toBeLessThanOrEqual(2);
		expect(new Set(demo.towers.map((t) => t.siteCode)).size).toBe(demo.towers.length);
	});

	it('leaves the gap commune largely dead and the town largely served', () => {
		const deadShare = (code: 'T' | 'R') => {
			const c = communes.find((x) => x.code === code)!;
			const here = demo.reports.filter((r) => booleanPointInPolygon(r.position, c.geometry));
			return here.filter((r) => classifyObservation(r) === 'dead').length / here.length;
		};
		expect(deadShare('T')).toBeLessThan(0.1);
		expect(deadShare('R')).toBeGreaterThan(0.3);
	});

	it('keeps every value inside the schema ranges', () => {
		expect(demo.reports).toHaveLength(options.reportCount);
		for (const r of demo.reports) {
			if (r.rsrpDbm != null) expect(r.rsrpDbm).toBeGreaterThanOrEqual(-140);
			if (r.rsrpDbm != null) expect(r.rsrpDbm).toBeLessThanOrEqual(-44);
			if (r.signalBars != null) expect([0, 1, 2, 3, 4, 5]).toContain(r.signalBars);
			expect(r.noService).toBe(r.technology === null);
			expect(Date.parse(r.observedAt)).toBeLessThanOrEqual(Date.parse(options.observedUntil));
		}
		for (const f of demo.fiber) {
			expect(f.householdsConnected).toBeLessThanOrEqual(f.householdsPassed);
			expect(f.householdsPassed).toBeLessThanOrEqual(f.householdsTotal);
		}
	});

	it('places drive-test reports on the roads', () => {
		const drives = demo.reports.filter((r) => r.sourceKind === 'drive_test');
		expect(drives.length).toBeGreaterThan(100);
		const [[a, b]] = demo.roads;
		for (const r of drives.slice(0, 50)) {
			// Points lie on the single road between the two centres, give or take GPS jitter.
			const along = approxDistanceKm(a, r.position) + approxDistanceKm(r.position, b);
			expect(along - approxDistanceKm(a, b)).toBeLessThan(0.2);
		}
	});

	it('measures what the model predicts, plus the operator offset and ~8 dB of correlated shadowing', () => {
		const residuals = new Map<string, number[]>();
		for (const r of demo.reports) {
			if (r.rsrpDbm == null || r.rsrpDbm >= -44 || !r.technology) continue;
			const level = levels(r.operatorCode, r.technology, latLngToCell(r.position[1], r.position[0], 9))!;
			residuals.set(r.operatorCode, [...(residuals.get(r.operatorCode) ?? []), r.rsrpDbm - level]);
		}
		for (const [op, xs] of residuals) {
			const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
			const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
			// Reports cluster (centres, roads), so the shadowing they sample spreads a little less than the field's 8 dB.
			expect(Math.abs(mean - DEMO_OPERATOR_OFFSET_DB[op])).toBeLessThan(2.5);
			expect(sd).toBeGreaterThan(4);
			expect(sd).toBeLessThan(10);
		}
		expect(residuals.size).toBe(3);
	});

	it('refuses an empty province', () => {
		expect(() => generateDemoProvince([], options)).toThrow(/communes must not be empty/);
	});
});
