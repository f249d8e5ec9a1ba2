import fc from 'fast-check';
import { latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../settings/definitions';
import { DEFAULT_THRESHOLDS } from '../signal/classes';
import {
	ANY,
	bestClass,
	confidenceOf,
	dimensionsOf,
	rollUp,
	statesOfReports,
	summarise,
	summariseReports,
	weightedQuantile,
	withBestOfBelow,
	type MeasuredReport,
	type MeasuredResolution,
	type MeasuredSummary
} from './measured';
import { binKey, decodeState, emptyState, encodeState, isEmptyState, mergeState, packState, splitDimKey, unpackBinKey, type CellStates, type MeasuredState } from './measured-state';

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

describe('state packing', () => {
	it.each([
		[0, -200, 'resident'],
		[0, -44, 'app'],
		[4, 20_600, 'drive_test'],
		[5, 3, 'app'],
		[2, 10_000, 'resident']
	] as const)('binKey(%d, %d, %s) round-trips and stays below 2³¹', (metric, bin, kind) => {
		const key = binKey(metric, bin, kind);
		expect(key).toBeLessThan(2 ** 31);
		expect(unpackBinKey(key)).toEqual({ metric, bin, kind });
		// The layout stored states rest on (changing it needs a new STATE_FORMAT).
		expect(key).toBe((metric * 2 ** 21 + bin + 2 ** 20) * 4 + { resident: 0, drive_test: 1, app: 2 }[kind]);
	});
	it('packs a state canonically: occurrence order does not change it, merging sums and drops zeros, bytes round-trip', () => {
		const a = packState([9, 3, 3], [7, 2, 2, 2, 2, 2], 1);
		const b = packState([3, 9, 3], [2, 2, 7, 2, 2, 2], 1);
		expect(a).toEqual(b);
		expect([...a]).toEqual([2, 3, 2, 9, 1, 2, 2, 5, 7, 1]);
		expect([...mergeState(a, packState([9], [7], -1))]).toEqual([1, 3, 2, 1, 2, 5]);
		expect(isEmptyState(mergeState(a, packState([9, 3, 3], [7, 2, 2, 2, 2, 2], -1)))).toBe(true);
		const bytes = encodeState(a);
		expect(bytes.length).toBe(10); // 2 parts × (length + 2 pairs × 2 one-byte varints)
		const unaligned = new Uint8Array(bytes.length + 1);
		unaligned.set(bytes, 1);
		expect(decodeState(unaligned.subarray(1))).toEqual(a);
		// Large keys, negative counts (a delta), several bytes per varint.
		const wide = packState([binKey(4, 20_600, 'app'), binKey(0, -200, 'drive_test')], [2_000_000_000], -1);
		expect(decodeState(encodeState(wide))).toEqual(wide);
	});
});

describe('any technology and any operator', () => {
	const summary = (cls: MeasuredSummary['class'], medianDbm: number | null): MeasuredSummary => ({
		reports: 1, reporters: 1, weight: 1, medianDbm, p10Dbm: medianDbm, medianBars: null, deadShare: 0, medianDownloadMbps: null, medianUploadMbps: null,
		firstDay: 1, lastDay: 1, days: 1, class: cls, classCounts: [0, 0, 0, 0], failingHours: 0
	});
	it('take the best class below them, then the stronger median, then the name', () => {
		const cell = withBestOfBelow(
			new Map([
				['viettel|4G', summary('fair', -100)],
				['viettel|2G', summary('fair', -80)],
				['viettel|*', summary(null, null)],
				['vnpt|4G', summary('good', -85)],
				['vnpt|*', summary(null, null)],
				['*|*', summary(null, null)]
			])
		);
		expect([cell.get('viettel|*')!.class, cell.get('viettel|*')!.medianDbm]).toEqual(['fair', -80]);
		expect([cell.get('*|*')!.class, cell.get('*|*')!.medianDbm]).toEqual(['good', -85]);
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
	day: fc.integer({ min: 20_000, max: 20_400 }),
	reporter: fc.option(fc.integer({ min: 1, max: 4 }))
});

type GeneratedReport = typeof report extends fc.Arbitrary<infer T> ? T : never;

const toReport = (r: GeneratedReport): MeasuredReport => ({
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
	day: r.day,
	reporter: r.reporter
});

/** Stored states, as the database holds them: resolution → cell → dim → state. */
type Stored = Map<MeasuredResolution, CellStates>;

/** Applies one report's delta the way the server does: roll up, merge, drop empty keys. */
function applyDelta(stored: Stored, r: MeasuredReport, sign: 1 | -1) {
	for (const [res, cells] of rollUp(statesOfReports([r], sign, DEFAULT_THRESHOLDS))) {
		const level = stored.get(res) ?? new Map();
		stored.set(res, level);
		for (const [cell, dims] of cells) {
			const target = level.get(cell) ?? new Map<string, MeasuredState>();
			level.set(cell, target);
			for (const [dim, delta] of dims) {
				const state = mergeState(target.get(dim) ?? emptyState(), delta);
				if (isEmptyState(state)) target.delete(dim);
				else target.set(dim, state);
			}
			if (target.size === 0) level.delete(cell);
		}
	}
}

function summariesOf(stored: Stored) {
	const out = new Map<MeasuredResolution, Map<string, Map<string, MeasuredSummary>>>();
	for (const [res, cells] of stored) {
		const byCell = new Map<string, Map<string, MeasuredSummary>>();
		for (const [cell, dims] of cells) byCell.set(cell, withBestOfBelow(new Map([...dims].map(([dim, st]) => [dim, summarise(st, splitDimKey(dim)[1], DEFAULT_SETTINGS)]))));
		out.set(res, byCell);
	}
	return out;
}

describe('incremental state equals a rebuild', () => {
	it('after random inserts and deletes, states and summaries equal those built from the reports that remain', () => {
		fc.assert(
			fc.property(fc.array(report, { minLength: 1, maxLength: 40 }), fc.array(fc.nat(), { maxLength: 30 }), (rows, deletions) => {
				const reports = rows.map(toReport);
				const stored: Stored = new Map();
				const alive = new Set<number>();
				// Interleave: add every report, deleting some along the way.
				reports.forEach((r, i) => {
					applyDelta(stored, r, 1);
					alive.add(i);
					const victim = deletions[i];
					if (victim !== undefined && alive.size > 0) {
						const id = [...alive][victim % alive.size];
						applyDelta(stored, reports[id], -1);
						alive.delete(id);
					}
				});
				const rebuilt = summariseReports([...alive].map((i) => reports[i]), DEFAULT_SETTINGS);
				const incremental = summariesOf(stored);
				for (const res of [6, 7, 8, 9] as const) expect(incremental.get(res) ?? new Map()).toEqual(rebuilt.get(res) ?? new Map());
			}),
			{ numRuns: 200, seed: 2026 }
		);
	});

	it('counts a reporter once per key however many reports, and a parent cell its children\'s distinct reporters', () => {
		const base = toReport({ cell: CELLS[0], sourceKind: 'resident', operatorCode: 'viettel', technology: '4G', rsrp: -100, rssi: null, bars: null, noService: false, dl: null, day: 20_100, reporter: 1 });
		const all = summariseReports([base, { ...base, rsrpDbm: -90 }, { ...base, h3Res9: CELLS[1], reporter: 2 }], DEFAULT_SETTINGS);
		expect(all.get(9)!.get(CELLS[0])!.get('viettel|4G')).toMatchObject({ reports: 2, reporters: 1, medianDbm: -100 });
		const parent = [...all.get(8)!.values()].find((dims) => dims.get('viettel|4G')!.reports === 3)!;
		expect(parent.get('viettel|4G')!.reporters).toBe(2);
	});
});

describe('failing hours', () => {
	it('marks the hours of the day with a poor or dead report, for every key the report counts for', () => {
		const cell = latLngToCell(22.85, 106.05, 9);
		const report = (hour: number | null, rsrpDbm: number | null, noService = false): MeasuredReport => ({
			h3Res9: cell,
			sourceKind: 'resident',
			operatorCode: 'viettel',
			technology: noService ? null : '4G',
			rsrpDbm,
			rssiDbm: null,
			signalBars: null,
			noService,
			downloadMbps: null,
			uploadMbps: null,
			day: 20_400,
			hour,
			reporter: 1
		});
		const states = statesOfReports([report(8, -120), report(14, null, true), report(10, -80), report(null, -125)], 1, DEFAULT_THRESHOLDS);
		const dims = states.get(cell)!;
		// Hour 10 was good, the last report has no hour: only 8 and 14.
		expect(summarise(dims.get('viettel|4G')!, '4G', DEFAULT_SETTINGS).failingHours).toBe((1 << 8) | (1 << 14));
		// The no-service report counts for every technology, the 4G ones for 4G only.
		expect(summarise(dims.get('viettel|3G')!, '3G', DEFAULT_SETTINGS).failingHours).toBe(1 << 14);
		expect(summarise(dims.get(`${ANY}|${ANY}`)!, ANY, DEFAULT_SETTINGS).failingHours).toBe((1 << 8) | (1 << 14));
	});
});
