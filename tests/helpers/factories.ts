import type { Polygon } from 'geojson';
import type { CommuneInput } from '../../src/lib/server/communes';
import type { ReportInput } from '../../src/lib/server/reports';
import type { TowerInput } from '../../src/lib/server/towers';

/** A square polygon of `halfDeg` around `[lng, lat]`. */
export function square([lng, lat]: [number, number], halfDeg = 0.02): Polygon {
	return {
		type: 'Polygon',
		coordinates: [
			[
				[lng - halfDeg, lat - halfDeg],
				[lng + halfDeg, lat - halfDeg],
				[lng + halfDeg, lat + halfDeg],
				[lng - halfDeg, lat + halfDeg],
				[lng - halfDeg, lat - halfDeg]
			]
		]
	};
}

export function makeCommune(overrides: Partial<CommuneInput> = {}): CommuneInput {
	return {
		code: '99001',
		boundarySet: '2025',
		name: 'Xã Thử',
		kind: 'Xã',
		provinceCode: '99',
		provinceName: 'Tỉnh Thử',
		districtCode: null,
		population: 1000,
		households: 250,
		householdsSynthetic: false,
		areaKm2: 20,
		source: 'test',
		geometry: square([106.2, 22.6]),
		...overrides
	};
}

export function makeTower(overrides: Partial<TowerInput> = {}): TowerInput {
	return {
		operatorCode: 'viettel',
		siteCode: 'T-1',
		technologies: ['4G'],
		antennaHeightM: 30,
		source: 'test',
		synthetic: false,
		position: [106.2, 22.6],
		...overrides
	};
}

export function makeReport(overrides: Partial<ReportInput> = {}): ReportInput {
	return {
		sourceKind: 'app',
		operatorCode: 'viettel',
		technology: '4G',
		rsrpDbm: -100,
		rssiDbm: null,
		signalBars: null,
		noService: false,
		downloadMbps: 12.5,
		uploadMbps: 3,
		latencyMs: 40,
		observedAt: '2026-06-01T03:00:00Z',
		accuracyM: 10,
		reporterKey: 'reporter-secret-key',
		synthetic: false,
		position: [106.2, 22.6],
		...overrides
	};
}
