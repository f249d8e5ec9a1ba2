import { sql } from 'drizzle-orm';
import { provinceKpis, type KpiCard } from '../coverage/kpi';
import type { ScorecardRow } from '../coverage/payload';
import { ANY_OPERATOR } from '../coverage/scorecard';
import { coverageOf, type OperatorCoverage } from './commune-detail';
import type { Database } from './db/index';
import { readDemoProvinces, type DemoInfo } from './meta';
import { scorecardTable } from './scorecard-export';
import { communeScorecards } from './scorecards';
import { readSettings } from './settings';

/**
 * The province report (`/province/[code]`): KPI cards against the national targets, the
 * province's roll-up, every commune's row (for the charts and the priority list), and where the
 * data come from — what a planner prints and sends upward. Aggregates only.
 */

export interface DataSourceLine {
	/** An import kind (measurements, towers, declared…). */
	kind: string;
	/** Committed imports of that kind, and the day of the latest. File names are not shown: they are the uploader's. */
	files: number;
	latest: string;
}

export interface ProvinceReport {
	code: string;
	name: string;
	vintage: { version: string; day: string };
	minReporters: number;
	operators: string[];
	speedTargetMbps: number;
	kpis: KpiCard[];
	province: ScorecardRow;
	coverage: OperatorCoverage[];
	/** Every commune of the province, by priority rank. */
	communes: ScorecardRow[];
	sources: DataSourceLine[];
	/** The demo's own facts when the province is a seeded demo (its layers are synthetic). */
	demo: DemoInfo | null;
	synthetic: boolean;
}

/** The report of 2025 province `code`, or null when none of its communes is loaded. */
export async function provinceReport(db: Database, code: string, minReporters: number): Promise<ProvinceReport | null> {
	const [set, settings, demo] = await Promise.all([communeScorecards(db, { set: '2025', operator: ANY_OPERATOR }, minReporters), readSettings(db), readDemoProvinces(db)]);
	const target = settings['speed.target_download_mbps'];
	const table = scorecardTable(set, { province: code, q: null, sort: 'priority_rank', order: 'asc' }, target);
	const roll = set.provinces.find((p) => p.code === code);
	if (table.rows.length === 0 || !roll || table.provinces.length === 0) return null;
	const sources = await db.rows<{ kind: string; files: number; latest: string }>(sql`
		select kind, count(*)::int as files, to_char(max(started_at) at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD') as latest
		from imports where status = 'committed' group by kind order by kind`);
	const province = table.provinces[0];
	return {
		code,
		name: province.name,
		vintage: set.vintage,
		minReporters,
		operators: set.operators,
		speedTargetMbps: target,
		kpis: provinceKpis(table.rows),
		province,
		coverage: coverageOf(roll, set.operators),
		communes: table.rows,
		sources,
		demo: demo[code] ?? null,
		synthetic: table.rows.some((r) => r.synthetic)
	};
}
