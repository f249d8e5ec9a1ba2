/**
 * The province's KPI cards: the figures planners report against the national targets
 * (../shared/DOMAIN.md), each with its source. Pure: computed from the province's commune
 * scorecard rows (src/lib/server/scorecard-export.ts), which are counts, so the province's figure
 * is a ratio of sums, never an average of shares.
 */
import type { ScorecardRow } from './payload';

export type KpiKey = 'villages_served' | 'population_4g' | 'population_5g' | 'speed_4g' | 'fiber_households';

export interface KpiCard {
	key: KpiKey;
	/** The province's share in [0, 1], or null when nothing is known to divide by. */
	value: number | null;
	/** The target share in [0, 1]. */
	target: number;
	/** What the share is of: its numerator and denominator (households, people, villages, communes). */
	numerator: number;
	denominator: number;
	/** met: value ≥ target; short: below; unknown: no data. */
	status: 'met' | 'short' | 'unknown';
	/** The document the target comes from (DOMAIN.md). */
	source: string;
	/** For the speed card: communes without speed data, left out of the denominator. */
	withoutData?: number;
}

/** The targets and their sources (../shared/DOMAIN.md, "National targets planners report against"). */
export const KPI_TARGETS: Record<KpiKey, { target: number; source: string }> = {
	// Mobile service for 100 % of villages with electricity in remote, border, island and especially
	// difficult communes (public-utility telecom programme to 2025).
	villages_served: { target: 1, source: 'Quyết định 2269/QĐ-TTg (chương trình viễn thông công ích đến 2025)' },
	// 4G reached 99.8 % of the population in Nov 2024 (Minister, VnEconomy): the national level a
	// province is compared with.
	population_4g: { target: 0.998, source: 'Bộ trưởng Bộ TT&TT, VnEconomy 11/2024: 4G phủ 99,8 % dân số' },
	// 5G for 99 % of the population by 2030 (ICT infrastructure master plan).
	population_5g: { target: 0.99, source: 'Quy hoạch hạ tầng thông tin và truyền thông đến 2030: 5G phủ 99 % dân số' },
	// 4G download ≥ 40 Mbps at district and commune level, measured with VNNIC i-Speed.
	speed_4g: { target: 1, source: 'Mục tiêu quốc gia: tốc độ tải xuống 4G ≥ 40 Mbps cấp huyện và xã (đo bằng VNNIC i-Speed)' },
	// Households able to get fiber on demand.
	fiber_households: { target: 1, source: 'Mục tiêu quốc gia: hộ gia đình có khả năng tiếp cận cáp quang khi có nhu cầu' }
};

const card = (key: KpiKey, numerator: number, denominator: number, extra: Partial<KpiCard> = {}): KpiCard => {
	const { target, source } = KPI_TARGETS[key];
	const value = denominator > 0 ? numerator / denominator : null;
	// A share rounded to 0.1 % meets a 99.8 % target when it reads 99.8 %: compare at that precision.
	const status = value === null ? 'unknown' : Math.round(value * 1000) >= Math.round(target * 1000) ? 'met' : 'short';
	return { key, value, target, numerator, denominator, status, source, ...extra };
};

const sum = (rows: readonly ScorecardRow[], pick: (r: ScorecardRow) => number) => rows.reduce((s, r) => s + pick(r), 0);

/**
 * The KPI cards of a set of communes (a province) for the any-operator view. Villages: with grid
 * power, those with service at their centre (not trắng sóng). Population with 4G / 5G: people in
 * households covered by that technology. Speed: communes whose median 4G download meets the
 * target, of those with speed data. Fiber: households passed by fiber, of the households the
 * fiber reports count.
 */
export function provinceKpis(rows: readonly ScorecardRow[]): KpiCard[] {
	const population = sum(rows, (r) => r.population);
	const withSpeed = rows.filter((r) => r.meets_4g_speed_target !== null);
	const fiberTotal = sum(rows, (r) => r.fiber_households_total);
	const fiberPassed = sum(rows, (r) => r.fiber_households_passed);
	return [
		card('villages_served', sum(rows, (r) => r.villages_with_power_served), sum(rows, (r) => r.villages_with_power)),
		card('population_4g', sum(rows, (r) => r.population_4g), population),
		card('population_5g', sum(rows, (r) => r.population_5g), population),
		card('speed_4g', withSpeed.filter((r) => r.meets_4g_speed_target).length, withSpeed.length, { withoutData: rows.length - withSpeed.length }),
		card('fiber_households', fiberPassed, fiberTotal)
	];
}
