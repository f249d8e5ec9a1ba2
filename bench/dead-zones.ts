/**
 * bench/dead-zones — dead zones and village statuses (issue 13) on a province of 1,000,000
 * synthetic reports, on the embedded database and on a PostGIS server:
 *   - full: every set the app serves — dead zones at res 8 (the public's, k reporters) and res 9
 *     (planners') × Viettel, VNPT, MobiFone and no operator serves, and village statuses for the
 *     same operators (public and planners') — computed from scratch: the fused layers they rest
 *     on fused in full, every zone grown and outlined again, every village assessed again;
 *   - incremental: after 1,000 new reports (scattered over the province, or from one res-7 area;
 *     committed with their measured update), bringing every set up to date again — p50/p95 over the
 *     runs, beside the full computation of the same sets on the same data in the same run (goal:
 *     incremental ≤ 1/20 of full). The dead-zone and village step is also shown alone (the fused
 *     layers already patched), since the fused layer's own share is bench/fusion's;
 *   - that the incrementally kept zones equal a full computation (ids, cells, households);
 *   - peak RSS.
 *
 * The reports: the demo's 30,000 synthetic reports grown by seeded copies (bench/lib/province.ts).
 *
 *   npm run bench:dead-zones -- [--reports N] [--runs N] [--database-url postgres://…] [--skip-embedded]
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { ANY } from '../src/lib/coverage/measured';
import { readAnalysisVersions } from '../src/lib/server/analysis-versions';
import { readConfig } from '../src/lib/server/config';
import { deadZones, type DeadZoneOptions } from '../src/lib/server/dead-zones';
import { inTransaction, type Database } from '../src/lib/server/db/index';
import { fusedCells, fusedVersion } from '../src/lib/server/fused';
import { rebuildMeasured, updateMeasured } from '../src/lib/server/measured';
import { reportsWithKeys } from '../src/lib/server/measured-reports';
import { h3ParentSql } from '../src/lib/server/signal-sql';
import { villageStatuses } from '../src/lib/server/villages';
import { growReports, onDemoDatabases, timed, withPeakRss, type Column } from './lib/province';
import { percentile, printTable } from './lib/stats';

const { values } = parseArgs({
	options: {
		reports: { type: 'string', default: '1000000' },
		runs: { type: 'string', default: '5' },
		'database-url': { type: 'string' },
		'skip-embedded': { type: 'boolean', default: false }
	}
});
const target = Number(values.reports);
const runs = Number(values.runs);
const serverUrl = values['database-url'] ?? process.env.TEST_DATABASE_URL;

const k = readConfig().publicMinReporters;
const OPERATORS = ['viettel', 'vnpt', 'mobifone', null] as const;
/** The dead-zone sets the map and the API ask for. */
const ZONE_SETS: DeadZoneOptions[] = OPERATORS.flatMap((operator) => [
	{ res: 8 as const, operator, minReporters: k },
	{ res: 9 as const, operator, minReporters: 1 }
]);
/** The village statuses: the public's and planners'. */
const VILLAGE_SETS = OPERATORS.flatMap((operator) => [k, 1].map((minReporters) => ({ operator, minReporters })));
/** The fused layers they rest on (any technology). */
const FUSED_KEYS = [...new Set([...ZONE_SETS.map((z) => `${z.res}|${z.operator ?? ANY}|${z.minReporters}`), ...VILLAGE_SETS.map((v) => `9|${v.operator ?? ANY}|${v.minReporters}`)])].map((s) => {
	const [res, operator, minReporters] = s.split('|');
	return { res: Number(res), operator, technology: ANY, minReporters: Number(minReporters) };
});

/** Brings the fused layers up to date: patched, or (full) fused from scratch. */
async function fuseAll(db: Database, full: boolean): Promise<void> {
	const version = await fusedVersion(db);
	// Operators first: any operator is their best.
	for (const key of [...FUSED_KEYS].sort((a, b) => Number(a.operator === ANY) - Number(b.operator === ANY))) await fusedCells(db, key, version, { full });
}

/** Brings every dead-zone set and village status up to date (or computes them from scratch); returns zones and villages served. */
async function zonesAndVillages(db: Database, full: boolean): Promise<{ zones: number; households: number; villages: number; grown: number }> {
	let zones = 0;
	let households = 0;
	let grown = 0;
	const versions = await readAnalysisVersions(db);
	for (const o of ZONE_SETS) {
		const set = await deadZones(db, o, { full, versions });
		zones += set.zones.length;
		grown += set.grown;
		if (o.res === 9 && o.operator === null) households = set.zones.reduce((s, z) => s + z.households, 0);
	}
	let villages = 0;
	for (const v of VILLAGE_SETS) villages += (await villageStatuses(db, v, { full, versions })).length;
	return { zones, households, villages, grown };
}

type Arrivals = 'scattered' | 'clustered';

/** 1,000 new reports, observed an hour ago, committed with their measured update (timed), as in bench/fusion. */
async function addReports(db: Database, run: number, arrivals: Arrivals): Promise<number> {
	return inTransaction(db, async (tx) => {
		const picked =
			arrivals === 'scattered'
				? sql`select * from signal_reports order by random() limit 1000`
				: sql`select * from signal_reports where ${h3ParentSql(sql`h3_res9`, 7)} = (select ${h3ParentSql(sql`h3_res9`, 7)} from signal_reports order by id limit 1 offset ${(run * 7919) % 30_000}) limit 1000`;
		const rows = await tx.rows<{ id: string; h3: string }>(sql`
			insert into signal_reports (source_kind, operator_code, technology, rsrp_dbm, rssi_dbm, signal_bars, no_service, download_mbps, upload_mbps,
				observed_at, h3_res9, reporter_key, synthetic, geom, dedupe_key)
			select source_kind, operator_code, technology, rsrp_dbm, rssi_dbm, signal_bars, no_service, download_mbps, upload_mbps,
				now() - interval '1 hour', h3_res9, 'bench-zones-' || ${run}::text || '-' || (row_number() over ()) % 300, true, geom, gen_random_uuid()
			from (${picked}) p
			returning id::text as id, h3_res9::text as h3`);
		const [ms] = await timed(() => updateMeasured(tx, reportsWithKeys(rows), 1));
		return ms;
	});
}

/** The whole chain from scratch: measured rebuilt, fused in full, zones and villages computed again. */
async function fullChain(db: Database): Promise<{ rebuildMs: number; fuseMs: number; stepMs: number }> {
	const [rebuildMs] = await timed(() => inTransaction(db, (tx) => rebuildMeasured(tx)));
	const [fuseMs] = await timed(() => fuseAll(db, true));
	const [stepMs] = await timed(() => zonesAndVillages(db, true));
	return { rebuildMs, fuseMs, stepMs };
}

const zonesText = async (db: Database, o: DeadZoneOptions, full: boolean) =>
	JSON.stringify((await deadZones(db, o, { full })).zones.map((z) => [z.id, z.cells.join(','), Math.round(z.households), z.openReports, z.dominantSource]));

const p = (xs: number[], q: number) => percentile([...xs].sort((a, b) => a - b), q);
const pair = (xs: number[]) => `${p(xs, 50).toFixed(0)}/${p(xs, 95).toFixed(0)}`;

async function measure(db: Database, column: Column): Promise<void> {
	const [growMs, reports] = await timed(() => growReports(db, target));
	await inTransaction(db, (tx) => rebuildMeasured(tx));
	column['reports (synthetic)'] = reports.toLocaleString('en');
	column['growing them and rebuilding measured (s, not measured work)'] = (growMs / 1000).toFixed(1);
	column['sets: dead zones / village statuses'] = `${ZONE_SETS.length} / ${VILLAGE_SETS.length}`;
	// The first computation stores the zones (and their ids) that later ones grow from.
	const [firstMs, first] = await timed(async () => (await fuseAll(db, false), zonesAndVillages(db, false)));
	column['first computation, fused layers + zones + villages (ms)'] = firstMs.toFixed(0);
	column['zones, all sets'] = first.zones.toLocaleString('en');
	column['households in zones, no operator serves, res 9'] = Math.round(first.households).toLocaleString('en');
	column['village statuses, all sets'] = first.villages.toLocaleString('en');
	const [peak, full] = await withPeakRss(() => fullChain(db));
	column['full: measured rebuild (ms)'] = full.rebuildMs.toFixed(0);
	column['full: fused layers (ms)'] = full.fuseMs.toFixed(0);
	column['full: zones + villages (ms)'] = full.stepMs.toFixed(0);
	for (const arrivals of ['scattered', 'clustered'] as const) {
		const measuredMs: number[] = [];
		const fuseMs: number[] = [];
		const stepMs: number[] = [];
		const grown: number[] = [];
		for (let run = 0; run < runs; run++) {
			measuredMs.push(await addReports(db, run, arrivals));
			fuseMs.push((await timed(() => fuseAll(db, false)))[0]);
			const [ms, step] = await timed(() => zonesAndVillages(db, false));
			stepMs.push(ms);
			grown.push(step.grown);
		}
		const chain = measuredMs.map((m, i) => m + fuseMs[i] + stepMs[i]);
		const again = await fullChain(db);
		const fullTotal = again.rebuildMs + again.fuseMs + again.stepMs;
		column[`${arrivals}: measured update p50/p95 (ms)`] = pair(measuredMs);
		column[`${arrivals}: fused layers patched p50/p95 (ms)`] = pair(fuseMs);
		column[`${arrivals}: zones + villages incremental p50/p95 (ms)`] = pair(stepMs);
		column[`${arrivals}: zones grown again per run, p50`] = p(grown, 50).toFixed(0);
		column[`${arrivals}: baseline zones + villages full, same data (ms)`] = again.stepMs.toFixed(0);
		column[`${arrivals}: zones + villages full ÷ incremental p95 (goal ≥ 20)`] = (again.stepMs / p(stepMs, 95)).toFixed(1);
		column[`${arrivals}: whole chain incremental p50/p95 (ms)`] = pair(chain);
		column[`${arrivals}: baseline whole chain full (ms)`] = fullTotal.toFixed(0);
		column[`${arrivals}: whole chain full ÷ incremental p95 (goal ≥ 20)`] = (fullTotal / p(chain, 95)).toFixed(1);
	}
	// The incrementally kept zones against a full computation of the same data.
	await addReports(db, runs, 'clustered');
	await fuseAll(db, false);
	const equal: boolean[] = [];
	for (const o of [ZONE_SETS[1], ZONE_SETS[6], ZONE_SETS[7]]) equal.push((await zonesText(db, o, false)) === (await zonesText(db, o, true)));
	column['incremental equals full (3 sets)'] = equal.every(Boolean) ? 'yes' : 'NO';
	column['peak RSS, full chain (MB)'] = peak.toFixed(0);
}

const columns = await onDemoDatabases('phu_song_bench_zones', { serverUrl, skipEmbedded: values['skip-embedded'] }, measure);
const labels = [...new Set(columns.flatMap(([, c]) => Object.keys(c)))];
printTable(
	`bench/dead-zones — ${target.toLocaleString('en')} synthetic reports, ${os.cpus().length} cores, Node ${process.version}; goal: incremental after 1,000 reports ≤ 1/20 of a full computation`,
	columns.map(([name]) => name),
	labels.map((label) => [label, columns.map(([, c]) => c[label] ?? '—')])
);
