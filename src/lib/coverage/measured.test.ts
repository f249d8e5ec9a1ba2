import fc from 'fast-check';
import { latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../settings/definitions';
import { DEFAULT_THRESHOLDS } from '../signal/classes';
import { ANY, applyReport, bestClass, confidenceOf, dimensionsOf, summarise, weightedQuantile, type MeasuredReport, type MeasuredState, type MeasuredKey } from './measured';

describe('weightedQuantile', () => {
	it.each([
		[[], 0.5, null],
		[[[-100, 1]], 0.5, -100],
		[[[-100, 1], [-90, 1]], 0.5, -100],
		[[[-100, 1], [-90, 2]], 0.5, -90],
		[[[-110, 1], [-100, 1], [-90, 1], [-80, 1], [-70, 6]], 0.1, -110],
		[[[-110, 1], [-100, 1], [-90, 1], [-80, 1], [-70, 6]], 0.5, -70],
		[[[-70, 2], [-110, 2]], 0.5, -110]
	] as [[number, number][], number, number | null][])('%j q=%d → %s', (bins, q, expected) => expect(weightedQuantile(bins, q)).toBe(expected));
});

describe('confidenceOf', () => {
	const today = 20_000;
	it.each([
		[{ reporters: 3, firstDay: today - 10, lastDay: today }, 1],
		[{ reporters: 6, firstDay: today - 10, lastDay: today }, 1],
		[{ reporters: 1, firstDay: today - 10, lastDay: today }, 1 / 3],
		[{ reporters: 3, firstDay: today, lastDay: today }, 0.5],
		[{ reporters: 3, firstDay: today - 1, lastDay: today }, 0.5],
		[{ reporters: 3, firstDay: today - 400, lastDay: today - 180 }, 0.5],
		[{ reporters: 1, firstDay: today - 365, lastDay: today - 360 }, (1 / 3) * 1 * 0.25]
	])('%j → %d', (c, expected) => expect(confidenceOf(c, today, DEFAULT_SETTINGS)).toBeCloseTo(expected, 10));
});

describe('dimensions and classes', () => {
	it('counts a no-service report without technology as dead for every technology of its operator', () => {
		expect(dimensionsOf({ operatorCode: 'viettel', technology: null, noService: true })).toEqual([
			[ANY, ANY],
			['viettel', ANY],
			['viettel', '2G'],
			['viettel', '3G'],
			['viettel', '4G'],
			['viettel', '5G']
		]);
		expect(dimensionsOf({ operatorCode: null, technology: '4G', noService: false })).toEqual([[ANY, ANY]]);
	});
	it('takes the best class of technologies or operators', () => {
		expect(bestClass(['dead', 'fair', null])).toBe('fair');
		expect(bestClass([null])).toBeNull();
	});
});

// A few res-9 cells in two res-8 parents, so parents aggregate several children.
const CELLS = [latLngToCell(22.66, 106.25, 9), latLngToCell(22.662, 106.252, 9), latLngToCell(22.7, 106.3, 9)];
const report = fc.record({
	cell: fc.constantFrom(...CELLS),
	sourceKind: fc.constantFrom('resident' as const, 'app' as const, 'drive_test' as const),
	operatorCode: fc.constantFrom('viettel', 'vnpt', null),
	technology: fc.constantFrom('2G' as const, '4G' as const, '5G' as const, null),
	rsrp: fc.option(fc.integer({ min: -140, max: -44 })),
	rssi: fc.option(fc.integer({ min: -113, max: -51 })),
	bars: fc.option(fc.integer({ min: 0, max: 5 })),
	noService: fc.boolean(),
	dl: fc.option(fc.float({ min: 0, max: 200, noNaN: true })),
	day: fc.integer({ min: 0, max: 400 }),
	reporter: fc.option(fc.constantFrom('a', 'b', 'c', 'd'))
});

type GeneratedReport = typeof report extends fc.Arbitrary<infer T> ? T : never;

function toReport(r: GeneratedReport, id: number): MeasuredReport {
	return {
		id,
		h3Res9: r.cell,
		sourceKind: r.sourceKind,
		operatorCode: r.operatorCode,
		technology: r.technology,
		rsrpDbm: r.rsrp,
		rssiDbm: r.rssi,
		signalBars: r.bars,
		noService: r.noService,
		downloadMbps: r.dl,
		uploadMbps: null,
		observedAt: new Date(Date.UTC(2026, 0, 1) + r.day * 86_400_000).toISOString(),
		reporterKey: r.reporter,
		importId: id % 3 === 0 ? 7 : null
	};
}

type States = Map<string, MeasuredState & { key: MeasuredKey }>;
const summaries = (states: States) => new Map([...states].map(([k, s]) => [k, summarise(s, s.key.technology, DEFAULT_SETTINGS)]));

describe('incremental state equals a rebuild', () => {
	it('after random inserts and deletes, state and summaries equal those built from the reports that remain', () => {
		fc.assert(
			fc.property(fc.array(report, { minLength: 1, maxLength: 40 }), fc.array(fc.nat(), { maxLength: 30 }), (rows, deletions) => {
				const reports = rows.map(toReport);
				const incremental: States = new Map();
				const alive = new Set<number>();
				// Interleave: add every report, deleting some along the way.
				reports.forEach((r, i) => {
					applyReport(incremental, r, 1, DEFAULT_THRESHOLDS);
					alive.add(r.id);
					const victim = deletions[i];
					if (victim !== undefined && alive.size > 0) {
						const id = [...alive][victim % alive.size];
						applyReport(incremental, reports[id], -1, DEFAULT_THRESHOLDS);
						alive.delete(id);
					}
				});
				const rebuilt: States = new Map();
				for (const id of alive) applyReport(rebuilt, reports[id], 1, DEFAULT_THRESHOLDS);
				expect(summaries(incremental)).toEqual(summaries(rebuilt));
				expect([...incremental.keys()].sort()).toEqual([...rebuilt.keys()].sort());
			}),
			{ numRuns: 200, seed: 2026 }
		);
	});
});
