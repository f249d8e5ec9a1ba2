import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reportTimeline, type MonthReporterCount } from './report-timeline';

const row = (month: string, reporter: string, reports = 1, kind = 'resident'): MonthReporterCount => ({ month, reporter, reports, kind });

describe('reportTimeline', () => {
	it.each([
		{
			name: 'every month has k reporters: one bucket a month',
			rows: [row('2026-01', 'a'), row('2026-01', 'b'), row('2026-02', 'a', 3), row('2026-02', 'c')],
			k: 2,
			expected: [
				{ from: '2026-01', to: '2026-01', reports: 2, reporters: 2 },
				{ from: '2026-02', to: '2026-02', reports: 4, reporters: 2 }
			]
		},
		{
			name: 'a month below k joins the months after it',
			rows: [row('2026-01', 'a', 5), row('2026-02', 'b'), row('2026-03', 'c'), row('2026-03', 'd')],
			k: 2,
			expected: [
				{ from: '2026-01', to: '2026-02', reports: 6, reporters: 2 },
				{ from: '2026-03', to: '2026-03', reports: 2, reporters: 2 }
			]
		},
		{
			name: 'the same reporter in two months counts once',
			rows: [row('2026-01', 'a'), row('2026-02', 'a'), row('2026-03', 'b')],
			k: 2,
			expected: [{ from: '2026-01', to: '2026-03', reports: 3, reporters: 2 }]
		},
		{
			name: 'a remainder at the end joins the last bucket',
			rows: [row('2026-01', 'a'), row('2026-01', 'b'), row('2026-05', 'c', 7)],
			k: 2,
			expected: [{ from: '2026-01', to: '2026-05', reports: 9, reporters: 3 }]
		},
		{ name: 'fewer than k reporters in all: nothing', rows: [row('2026-01', 'a', 40), row('2026-04', 'b')], k: 3, expected: [] },
		{ name: 'no reports: nothing', rows: [], k: 1, expected: [] }
	])('$name', ({ rows, k, expected }) => {
		expect(reportTimeline(rows, k).map(({ from, to, reports, reporters }) => ({ from, to, reports, reporters }))).toEqual(expected);
	});

	it('keeps the reports per kind', () => {
		const [bucket] = reportTimeline([row('2026-01', 'a', 2, 'resident'), row('2026-01', 'f', 5, 'drive_test')], 2);
		expect(bucket.byKind).toEqual({ resident: 2, drive_test: 5 });
	});

	it('refuses a bad month or k, naming it', () => {
		expect(() => reportTimeline([row('2026-1', 'a')], 1)).toThrow(/month must be YYYY-MM, got "2026-1"/);
		expect(() => reportTimeline([], 0)).toThrow(/minReporters/);
	});

	it('every bucket has k reporters, buckets do not overlap, and they add up to the total (property)', () => {
		const month = fc.integer({ min: 0, max: 23 }).map((i) => `${2025 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
		const rows = fc.array(fc.record({ month, reporter: fc.constantFrom('a', 'b', 'c', 'd', 'e'), kind: fc.constantFrom('resident', 'import'), reports: fc.integer({ min: 1, max: 9 }) }), { maxLength: 40 });
		fc.assert(
			fc.property(rows, fc.integer({ min: 1, max: 4 }), (rs, k) => {
				const buckets = reportTimeline(rs, k);
				const reporters = new Set(rs.map((r) => r.reporter)).size;
				if (reporters < k) return buckets.length === 0;
				const total = rs.reduce((s, r) => s + r.reports, 0);
				return (
					buckets.every((b) => b.reporters >= k && b.from <= b.to) &&
					buckets.every((b, i) => i === 0 || buckets[i - 1].to < b.from) &&
					buckets.reduce((s, b) => s + b.reports, 0) === total
				);
			})
		);
	});
});
