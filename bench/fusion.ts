/**
 * bench/fusion — the fused layer (issue 12) on a province of 1,000,000 synthetic reports, on the
 * embedded database and on a PostGIS server:
 *   - full fusion: every key the app serves — res 6–9 × Viettel, VNPT, MobiFone and any operator ×
 *     any technology and 2G–5G (80 keys) — from the stored measured, predicted and declared layers;
 *   - incremental: after 1,000 new reports (scattered over the province, or from one res-7 area;
 *     committed), the measured update and then bringing every key up to date again (only the cells
 *     whose measurements changed are fused again), p50/p95 over the runs — beside the full fusion of
 *     the same keys on the same data in the same run, which is what it replaces (goal: incremental
 *     ≤ 1/20 of full), and beside the whole recomputation (measured rebuild + full fusion);
 *   - that the patched layer equals a full fusion (checked on two keys after the last run);
 *   - peak RSS.
 *
 * The reports: the demo's 30,000 synthetic reports grown by seeded copies (bench/lib/province.ts).
 *
 *   npm run bench:fusion -- [--reports N] [--runs N] [--database-url postgres://…] [--skip-embedded]
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { inTransaction, type Database } from '../src/lib/server/db/index';
import { fusedCells, fusedVersion, type FusedOptions, type FusedRow } from '../src/lib/server/fused';
import { rebuildMeasured, updateMeasured } from '../src/lib/server/measured';
import { reportsWithKeys } from '../src/lib/server/measured-reports';
import { h3ParentSql } from '../src/lib/server/signal-sql';
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

/** Every key the map and the API ask for: operators before any operator (which is their best). */
const KEYS: FusedOptions[] = [6, 7, 8, 9].flatMap((res) =>
	['viettel', 'vnpt', 'mobifone', '*'].flatMap((operator) => ['*', '2G', '3G', '4G', '5G'].map((technology) => ({ res, operator, technology, minReporters: 1 })))
);

/** Brings every key up to date (patched where it can be, or in full), returning the cells served. */
async function fuseAll(db: Database, full: boolean): Promise<number> {
	const version = await fusedVersion(db);
	let cells = 0;
	for (const k of KEYS) cells += (await fusedCells(db, k, version, { full: full && k.operator !== '*' })).length;
	return cells;
}

/** Where the 1,000 new reports of a step come from (as in bench/coverage). */
type Arrivals = 'scattered' | 'clustered';

/**
 * 1,000 new reports, observed an hour ago, committed with their measured update (timed):
 * `scattered` — copies of random reports province-wide (every coarse cell touched); `clustered` —
 * from one res-7 area, as a drive-test import along a route or a commune's residents.
 */
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
				now() - interval '1 hour', h3_res9, 'bench-fusion-' || ${run}::text || '-' || (row_number() over ()) % 300, true, geom, gen_random_uuid()
			from (${picked}) p
			returning id::text as id, h3_res9::text as h3`);
		const [ms] = await timed(() => updateMeasured(tx, reportsWithKeys(rows), 1));
		return ms;
	});
}

const text = (rows: readonly FusedRow[]) => JSON.stringify(rows.map((r) => [r.h3, r.fused, r.declared, r.measured?.reports ?? null]));

async function measure(db: Database, column: Column): Promise<void> {
	const [growMs, reports] = await timed(() => growReports(db, target));
	await inTransaction(db, (tx) => rebuildMeasured(tx));
	column['reports (synthetic)'] = reports.toLocaleString('en');
	column['growing them and rebuilding measured (s, not measured work)'] = (growMs / 1000).toFixed(1);
	const [peak, [fullMs, cells]] = await withPeakRss(() => timed(() => fuseAll(db, true)));
	column[`full fusion, ${KEYS.length} keys (ms)`] = fullMs.toFixed(0);
	column['cells served, all keys'] = cells.toLocaleString('en');
	const [rebuildMs] = await timed(() => inTransaction(db, (tx) => rebuildMeasured(tx)));
	await fuseAll(db, false);
	column['measured rebuild from every report (ms)'] = rebuildMs.toFixed(0);
	for (const arrivals of ['scattered', 'clustered'] as const) {
		const measuredMs: number[] = [];
		const incMs: number[] = [];
		for (let run = 0; run < runs; run++) {
			measuredMs.push(await addReports(db, run, arrivals));
			incMs.push((await timed(() => fuseAll(db, false)))[0]);
		}
		measuredMs.sort((a, b) => a - b);
		incMs.sort((a, b) => a - b);
		const [againMs] = await timed(() => fuseAll(db, true));
		const p95 = percentile(incMs, 95);
		column[`${arrivals}: measured update, 1,000 reports p50/p95 (ms)`] = `${percentile(measuredMs, 50).toFixed(0)}/${percentile(measuredMs, 95).toFixed(0)}`;
		column[`${arrivals}: incremental fusion, all keys p50/p95 (ms)`] = `${percentile(incMs, 50).toFixed(0)}/${p95.toFixed(0)}`;
		column[`${arrivals}: baseline full fusion, same data (ms)`] = againMs.toFixed(0);
		column[`${arrivals}: full fusion ÷ incremental p95 (goal ≥ 20)`] = (againMs / p95).toFixed(1);
		const updateP95 = percentile(measuredMs, 95) + p95;
		column[`${arrivals}: (rebuild + full fusion) ÷ (update + incremental) p95`] = ((rebuildMs + againMs) / updateP95).toFixed(1);
	}
	// The last patched state against a full fusion of the same data.
	await addReports(db, runs, 'scattered');
	const equal: boolean[] = [];
	for (const k of [KEYS.find((k) => k.res === 9 && k.operator === 'viettel' && k.technology === '4G')!, KEYS.find((k) => k.res === 7 && k.operator === 'vnpt' && k.technology === '*')!]) {
		const patched = text(await fusedCells(db, k));
		equal.push(patched === text(await fusedCells(db, k, undefined, { full: true })));
	}
	column['patched equals full (2 keys)'] = equal.every(Boolean) ? 'yes' : 'NO';
	column['peak RSS, full fusion (MB)'] = peak.toFixed(0);
}

const columns = await onDemoDatabases('phu_song_bench_fusion', { serverUrl, skipEmbedded: values['skip-embedded'] }, measure);
const labels = [...new Set(columns.flatMap(([, c]) => Object.keys(c)))];
printTable(
	`bench/fusion — ${target.toLocaleString('en')} synthetic reports, ${os.cpus().length} cores, Node ${process.version}; goal: incremental fusion after 1,000 reports ≤ 1/20 of a full fusion`,
	columns.map(([name]) => name),
	labels.map((label) => [label, columns.map(([, c]) => c[label] ?? '—')])
);
