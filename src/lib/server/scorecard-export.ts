import writeXlsxFile from 'write-excel-file/node';
import type { ScorecardRow } from '../coverage/payload';
import { searchRows, sortRows } from '../coverage/scorecard-table';
import type { Scorecard, ScorecardSet } from './scorecards';

/**
 * Scorecards as flat rows — what the API answers in JSON and the same rows as CSV and Excel
 * (write-excel-file: MIT, its only dependency fflate, which we already ship).
 */

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const share = (x: number | null) => (x === null ? null : round(x, 4));

export function scorecardRow(s: Scorecard, operators: readonly string[], speedTargetMbps: number): ScorecardRow {
	const c = s.counts;
	const row: ScorecardRow = {
		commune_code: s.code,
		name: s.name,
		set: s.set,
		province_code: s.provinceCode,
		province_name: s.provinceName,
		district_code: s.districtCode,
		operator: s.operator,
		priority_rank: s.rank,
		priority_score: round(s.score, 1),
		households: Math.round(c.households),
		population: Math.round(c.population),
		covered_share: share(s.shares.coveredShare),
		share_4g: share(s.shares.share4G),
		share_5g: share(s.shares.share5G),
		population_covered: Math.round(s.shares.populationCovered),
		population_4g: Math.round(s.shares.population4G),
		population_5g: Math.round(s.shares.population5G),
		unserved_households: Math.round(c.unservedHouseholds),
		remote_unserved_households: Math.round(c.remoteUnservedHouseholds),
		dead_zone_households: Math.round(c.deadZoneHouseholds),
		dead_zone_area_km2: round(c.deadZoneAreaKm2, 2),
		villages: round(c.villages, 2),
		trang_song: round(c.trangSong, 2),
		lom_song: round(c.lomSong, 2),
		villages_with_power: round(c.villagesWithPower, 2),
		villages_with_power_served: round(c.villagesWithPowerServed, 2),
		fiber_households_total: Math.round(c.fiberHouseholdsTotal),
		fiber_households_passed: Math.round(c.fiberHouseholdsPassed),
		fiber_passed_share: share(s.shares.fiberPassedShare),
		fiber_connected_share: share(s.shares.fiberConnectedShare),
		open_reports: round(c.openReports, 2),
		fresh_share: share(s.shares.freshShare),
		last_report: s.lastReport,
		median_4g_download_mbps: s.median4GDownloadMbps,
		meets_4g_speed_target: s.median4GDownloadMbps === null ? null : s.median4GDownloadMbps >= speedTargetMbps,
		via_crosswalk: s.viaCrosswalk,
		synthetic: s.synthetic
	};
	for (const op of operators) row[`${op}_share`] = share(s.operatorShares[op] ?? null);
	return row;
}

export const scorecardRows = (set: ScorecardSet, speedTargetMbps: number) => set.scorecards.map((s) => scorecardRow(s, set.operators, speedTargetMbps));


/** One sheet, a header row of the row keys, numbers as numbers. */
export async function rowsToXlsx<R extends object>(rows: readonly R[], columns: readonly string[], sheet: string): Promise<Uint8Array<ArrayBuffer>> {
	const header = columns.map((k) => ({ value: k, fontWeight: 'bold' as const }));
	const body = rows.map((r) =>
		columns.map((k) => {
			const v = (r as Record<string, unknown>)[k];
			if (v === null || v === undefined) return null;
			if (typeof v === 'number') return { value: v, type: Number };
			if (typeof v === 'boolean') return { value: v, type: Boolean };
			return { value: String(v), type: String };
		})
	);
	const buffer = await writeXlsxFile([header, ...body], { sheet }).toBuffer();
	return new Uint8Array(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer);
}

/** The columns before the operators' shares, and after them. */
const LEADING = ['commune_code', 'name', 'set', 'province_code', 'province_name', 'district_code', 'operator', 'priority_rank', 'priority_score', 'households', 'population', 'covered_share', 'share_4g', 'share_5g', 'population_covered', 'population_4g', 'population_5g'] as const satisfies readonly (keyof ScorecardRow)[];
const TRAILING = [
	'unserved_households',
	'remote_unserved_households',
	'dead_zone_households',
	'dead_zone_area_km2',
	'villages',
	'trang_song',
	'lom_song',
	'villages_with_power',
	'villages_with_power_served',
	'fiber_households_total',
	'fiber_households_passed',
	'fiber_passed_share',
	'fiber_connected_share',
	'open_reports',
	'fresh_share',
	'last_report',
	'median_4g_download_mbps',
	'meets_4g_speed_target',
	'via_crosswalk',
	'synthetic'
] as const satisfies readonly (keyof ScorecardRow)[];

/** The columns of scorecard rows, in order (each operator's share after the view's shares). */
export const scorecardColumns = (operators: readonly string[]): string[] => [...LEADING, ...operators.map((op) => `${op}_share`), ...TRAILING];

/** What a scorecard table shows: the filter, the search (diacritic-free) and the sort. */
export interface TableQuery {
	province: string | null;
	/** Matched against the commune's name and code without diacritics. */
	q: string | null;
	/** A column of the rows; priority rank by default. */
	sort: string;
	order: 'asc' | 'desc';
}

/**
 * The rows of a scorecard set as a table shows them — the page and its CSV and Excel downloads
 * pass the same query, so a download holds exactly what is on screen. Throws RangeError naming a
 * bad `sort`.
 */
export function scorecardTable(set: ScorecardSet, query: TableQuery, speedTargetMbps: number) {
	const columns = scorecardColumns(set.operators);
	if (!columns.includes(query.sort)) throw new RangeError(`sort: must be one of ${columns.join(', ')}`);
	const inProvince = (s: Scorecard) => query.province === null || s.province2025 === query.province;
	const rows = sortRows(
		searchRows(
			set.scorecards.filter(inProvince).map((s) => scorecardRow(s, set.operators, speedTargetMbps)),
			query.q
		),
		query.sort,
		query.order
	);
	const provinces = set.provinces.filter(inProvince).map((p) => scorecardRow(p, set.operators, speedTargetMbps));
	return { columns, rows, provinces };
}
