import { describe, expect, it } from 'vitest';
import { KPI_TARGETS, provinceKpis, type KpiKey } from './kpi';
import type { ScorecardRow } from './payload';

/** A scorecard row with only what the KPIs read set; the rest zero. */
const row = (o: Partial<ScorecardRow>): ScorecardRow =>
	({
		population: 0,
		population_4g: 0,
		population_5g: 0,
		households: 0,
		villages_with_power: 0,
		villages_with_power_served: 0,
		fiber_households_total: 0,
		fiber_households_passed: 0,
		meets_4g_speed_target: null,
		...o
	}) as ScorecardRow;

const byKey = (rows: ScorecardRow[]) => Object.fromEntries(provinceKpis(rows).map((c) => [c.key, c])) as Record<KpiKey, ReturnType<typeof provinceKpis>[number]>;

describe('provinceKpis', () => {
	const rows = [
		row({ population: 1000, population_4g: 990, population_5g: 100, villages_with_power: 4, villages_with_power_served: 3, fiber_households_total: 200, fiber_households_passed: 150, meets_4g_speed_target: true }),
		row({ population: 3000, population_4g: 3000, population_5g: 0, villages_with_power: 6, villages_with_power_served: 6, fiber_households_total: 0, fiber_households_passed: 0, meets_4g_speed_target: false }),
		row({ population: 1000, population_4g: 1000, meets_4g_speed_target: null })
	];

	it.each([
		{ key: 'villages_served', numerator: 9, denominator: 10, value: 0.9, status: 'short' },
		{ key: 'population_4g', numerator: 4990, denominator: 5000, value: 0.998, status: 'met' },
		{ key: 'population_5g', numerator: 100, denominator: 5000, value: 0.02, status: 'short' },
		{ key: 'speed_4g', numerator: 1, denominator: 2, value: 0.5, status: 'short' },
		{ key: 'fiber_households', numerator: 150, denominator: 200, value: 0.75, status: 'short' }
	] as const)('$key: a ratio of sums ($numerator / $denominator), $status', ({ key, numerator, denominator, value, status }) => {
		const c = byKey(rows)[key];
		expect(c).toMatchObject({ numerator, denominator, status, target: KPI_TARGETS[key].target });
		expect(c.value).toBeCloseTo(value, 10);
		expect(c.source).not.toBe('');
	});

	it('counts the communes without speed data apart', () => {
		expect(byKey(rows).speed_4g.withoutData).toBe(1);
	});

	it('is unknown, not 0 %, where there is nothing to divide by', () => {
		const c = byKey([row({ population: 10 })]);
		expect(c.villages_served).toMatchObject({ value: null, status: 'unknown' });
		expect(c.speed_4g).toMatchObject({ value: null, status: 'unknown', withoutData: 1 });
		expect(c.fiber_households).toMatchObject({ value: null, status: 'unknown' });
		expect(c.population_4g).toMatchObject({ value: 0, status: 'short' });
	});

	it('meets a target exactly at the shown precision (99.8 % of 99.8 %), and is short just below it', () => {
		expect(byKey([row({ population: 10_000, population_4g: 9_980 })]).population_4g.status).toBe('met');
		expect(byKey([row({ population: 10_000, population_4g: 9_974 })]).population_4g.status).toBe('short');
		expect(byKey([row({ villages_with_power: 2, villages_with_power_served: 2 })]).villages_served.status).toBe('met');
	});
});
