/**
 * bench/plans — running a scenario (issue 16), from "run" to results, on the demo province (its
 * 30,000 synthetic reports) and on the same province grown to 1,000,000 SYNTHETIC reports
 * (bench/lib/province.ts), on the embedded database and on a PostGIS server: Viettel over the
 * whole province, both site types, p = 20 and a budget of 40 (small cell = 1, macro = 5). For each:
 * the time of every stage (demand, candidates, cover sets, solve, explanations) and its share: the
 * first run with nothing kept (the fused layers, dead zones and villages it reads, and every
 * candidate's predicted coverage, computed then: the baseline), the same run again with all of it
 * kept, and the budget case next (cover sets kept: a planner changing the limits); the sites,
 * households newly served and the gap; and peak RSS.
 *
 *   npm run bench:plans -- [--reports N] [--database-url postgres://…] [--skip-embedded] [--skip-grown]
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { inTransaction, type Database } from '../src/lib/server/db/index';
import { rebuildMeasured } from '../src/lib/server/measured';
import { parseScenarioOptions, type ScenarioRequest } from '../src/lib/planning/scenario-options';
import { PLAN_STAGES, runScenario, type PlanResult } from '../src/lib/server/plans';
import { growReports, onDemoDatabases, timed, withPeakRss, type Column } from './lib/province';
import { printTable } from './lib/stats';

const { values } = parseArgs({
	options: {
		reports: { type: 'string', default: '1000000' },
		'database-url': { type: 'string' },
		'skip-embedded': { type: 'boolean', default: false },
		'skip-grown': { type: 'boolean', default: false }
	}
});
const target = Number(values.reports);
const serverUrl = values['database-url'] ?? process.env.TEST_DATABASE_URL;

const CASES: { name: string; request: ScenarioRequest }[] = [
	{ name: 'p = 20', request: { operator: 'viettel', p: 20 } },
	{ name: 'budget 40', request: { operator: 'viettel', p: null, budget: 40 } }
];

const ms = (x: number) => (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${x.toFixed(0)} ms`);
const share = (part: number, whole: number) => `${((part / whole) * 100).toFixed(0)} %`;

function options(request: ScenarioRequest) {
	const parsed = parseScenarioOptions(request);
	if (!parsed.ok) throw new Error(parsed.problems.join('; '));
	return parsed.options;
}

/** Runs one case, recording its total, every stage's time and share, and what came back. */
async function runCase(db: Database, label: string, request: ScenarioRequest, column: Column): Promise<PlanResult> {
	const [total, r] = await timed(() => runScenario(db, options(request)));
	const put = (key: string, value: string) => (column[`${label}${key}`] = value);
	put('', ms(total));
	for (const stage of PLAN_STAGES) put(`   ${stage}`, `${ms(r.stats.ms[stage])} · ${share(r.stats.ms[stage], total)}`);
	return r;
}

/**
 * The p = 20 case first with nothing kept (the baseline: the fused layers, dead zones, villages and
 * every candidate's coverage computed), then again with all of it kept, then the budget case on the
 * same area (what a planner changing the limits waits for: the cover sets are kept).
 */
async function measureProvince(db: Database, name: string, column: Column): Promise<void> {
	const [p20, budget] = CASES;
	const first = await runCase(db, `${name}, ${p20.name}, first run (nothing kept: baseline)`, p20.request, column);
	const again = await runCase(db, `${name}, ${p20.name}, again (layers, cover sets kept)`, p20.request, column);
	if (JSON.stringify(stripTimes(first)) !== JSON.stringify(stripTimes(again))) throw new Error(`${name}: the second run answered differently from the first`);
	const b = await runCase(db, `${name}, ${budget.name} next (cover sets kept)`, budget.request, column);
	column[`${name}: demand cells × candidates`] = `${again.stats.demandCells} × ${again.stats.candidates}`;
	for (const [label, r] of [[p20.name, again], [budget.name, b]] as const) {
		column[`${name}, ${label}: sites · households newly served`] = `${r.sites.length} · ${Math.round(r.householdsNewlyCovered)} / ${Math.round(r.demandHouseholds)}`;
		column[`${name}, ${label}: gap`] = `${(r.solver.gap * 100).toFixed(2)} %`;
	}
}

const stripTimes = (r: PlanResult) => ({ ...r, stats: { ...r.stats, ms: null } });

async function measure(db: Database, column: Column): Promise<void> {
	const [rss] = await withPeakRss(async () => {
		await measureProvince(db, 'demo', column);
		if (values['skip-grown']) return;
		const [growMs, reports] = await timed(() => growReports(db, target));
		await inTransaction(db, (tx) => rebuildMeasured(tx));
		column['reports (synthetic), grown in'] = `${reports.toLocaleString('en')} · ${ms(growMs)}`;
		await measureProvince(db, `${(reports / 1e6).toFixed(1)}M reports`, column);
	});
	column['peak RSS'] = `${rss.toFixed(0)} MB`;
}

const columns = await onDemoDatabases('phu_song_bench_plans', { serverUrl, skipEmbedded: values['skip-embedded'] }, measure);
const labels = [...new Set(columns.flatMap(([, c]) => Object.keys(c)))];
printTable(
	`bench/plans — Viettel over the whole demo province (Cao Bằng, 56 communes), both site types; ${os.cpus().length} cores, Node ${process.version}`,
	columns.map(([name]) => name),
	labels.map((l) => [l, columns.map(([, c]) => c[l] ?? '—')])
);
