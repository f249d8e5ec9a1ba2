import { sql, type SQL } from 'drizzle-orm';
import { ANY, MEASURED_RESOLUTIONS, METRIC, NO_SERVICE_DBM } from '../coverage/measured';
import { h3ChildRangeSql } from './signal-sql';
import type { Settings } from '../settings/definitions';
import { thresholdsFromSettings, type ClassFloors, type SignalThresholds } from '../signal/classes';
import { readDataVersion } from './data-version';
import type { Database } from './db/index';
import { readSettings } from './settings';

/** One of our numeric constants as an SQL integer literal (never user input). */
const int = (n: number) => sql.raw(String(Math.trunc(n)));

/**
 * The measured-coverage layer in the database (drizzle/0013_measured.sql), by the rules of
 * src/lib/coverage/measured.ts: reports add (or remove) their contributions to exact additive state —
 * histograms per metric and source kind, and reporter counts — of their resolution-9 cell for
 * every (operator, technology) pair they count for; the touched keys are marked dirty and the
 * summaries of them and of their parents (res 8–6) recomputed from that state. A rebuild is the same additions from empty, so the two
 * are equal by construction, and a test holds them to it.
 */

/** Reports (alias `c`) as rows the contribution SQL reads: columns of `signal_reports`. */
type ReportSource = SQL;

/**
 * Adds (sign 1) or removes (sign −1) the contributions of the reports that `source` selects
 * (a FROM item over signal_reports' columns, e.g. one import's rows), within the window.
 */
export async function applyReports(tx: Database, source: ReportSource, sign: 1 | -1, s: Settings): Promise<void> {
	const t = thresholdsFromSettings(s);
	const contributions = sql`
		with r as (
			select c.*, floor(extract(epoch from c.observed_at) / 86400)::int as day,
				coalesce(c.reporter_key, 'import:' || c.import_id::text) as reporter
			from ${source} c
			where c.observed_at >= (select window_start from measured_state)
		),
		x as (
			select r.*, 9 as res, r.h3_res9 as cell, d.op, d.tech
			from r
			cross join lateral (
				select ${ANY}::text as op, ${ANY}::text as tech
				union all select r.operator_code, ${ANY} where r.operator_code is not null
				union all select r.operator_code, t from unnest(
					case when r.technology is not null then array[r.technology] when r.no_service then array['2G', '3G', '4G', '5G'] else array[]::text[] end
				) as t where r.operator_code is not null
			) d
		)`;
	const n = sign;
	await tx.orm.execute(sql`
		${contributions},
		m as (
			select x.res, x.cell, x.op, x.tech, v.metric, v.bin, x.source_kind from x
			cross join lateral (values
				(${int(METRIC.day)}, x.day),
				(${int(METRIC.signalDbm)}, case when x.tech = ${ANY} then null when x.no_service then ${int(NO_SERVICE_DBM)}
					when x.tech in ('4G', '5G') then round(x.rsrp_dbm)::int when x.tech in ('2G', '3G') then round(x.rssi_dbm)::int end),
				(${int(METRIC.bars)}, case when x.tech = ${ANY} then null when x.no_service then 0 else x.signal_bars::int end),
				(${int(METRIC.downloadMbps)}, case when x.tech = ${ANY} then null else round(x.download_mbps)::int end),
				(${int(METRIC.uploadMbps)}, case when x.tech = ${ANY} then null else round(x.upload_mbps)::int end),
				(${int(METRIC.reportClass)}, array_position(array['good', 'fair', 'poor', 'dead'], ${reportClassSql(t)}) - 1)
			) as v(metric, bin)
			where v.bin is not null
		),
		bins as (
			insert into measured_bins as b (res, cell, operator_code, technology, metric, bin, n_resident, n_app, n_drive)
			select res, cell, op, tech, metric, bin,
				${n}::int * count(*) filter (where source_kind = 'resident'), ${n}::int * count(*) filter (where source_kind = 'app'),
				${n}::int * count(*) filter (where source_kind = 'drive_test')
			from m group by res, cell, op, tech, metric, bin
			on conflict (res, cell, operator_code, technology, metric, bin) do update set
				n_resident = b.n_resident + excluded.n_resident, n_app = b.n_app + excluded.n_app, n_drive = b.n_drive + excluded.n_drive
			returning 1
		),
		reporters as (
			insert into measured_reporters as p (res, cell, operator_code, technology, reporter, n)
			select res, cell, op, tech, reporter, ${n}::int * count(*) from x where reporter is not null group by res, cell, op, tech, reporter
			on conflict (res, cell, operator_code, technology, reporter) do update set n = p.n + excluded.n
			returning 1
		)
		insert into measured_dirty (res, cell, operator_code, technology)
		select distinct res, cell, op, tech from x
		on conflict do nothing`);
	if (sign < 0) {
		// Removed reports leave zero counts behind: drop them, so state equals a rebuild's.
		await tx.orm.execute(sql`
			delete from measured_bins b using measured_dirty d
			where b.res = 9 and b.cell = d.cell and b.operator_code = d.operator_code and b.technology = d.technology
				and b.n_resident = 0 and b.n_app = 0 and b.n_drive = 0`);
		await tx.orm.execute(sql`
			delete from measured_reporters p using measured_dirty d
			where p.res = 9 and p.cell = d.cell and p.operator_code = d.operator_code and p.technology = d.technology and p.n = 0`);
	}
}

/** A report row's own class (alias `x`, signal_reports' columns), as classifyObservation. */
function reportClassSql(t: SignalThresholds): SQL {
	return sql`(case when x.no_service then 'dead'
		when x.rsrp_dbm is not null then ${classSql(sql`x.rsrp_dbm`, t.rsrpDbm)}
		when x.rssi_dbm is not null then ${classSql(sql`x.rssi_dbm`, t.rssiDbm)}
		when x.signal_bars is not null then ${classSql(sql`x.signal_bars`, t.bars)} end)`;
}

/** The weighted count of a bin row (alias `b`): residents 1, apps and drive tests by setting. */
const weightSql = (s: Settings) => sql`(b.n_resident + b.n_app * ${s['measured.weight.app']}::float8 + b.n_drive * ${s['measured.weight.drive_test']}::float8)`;

/** The class of a median (`median` SQL) against the technology's floors, as classifyByFloors. */
function classSql(median: SQL, floors: ClassFloors): SQL {
	return sql`case when ${median} is null then null when ${median} >= ${floors.good} then 'good' when ${median} >= ${floors.fair} then 'fair' when ${median} >= ${floors.poor} then 'poor' else 'dead' end`;
}

/**
 * Recomputes the summaries (`measured_cells`) of every dirty key and of its parents at resolutions
 * 8, 7 and 6, with the settings in force, and clears the dirty set. State is kept at resolution 9
 * only: a parent's histograms are the sums of its children's, and its distinct reporters the
 * distinct reporters of its children's rows, read by index range (h3ChildRangeSql).
 */
export async function refreshDirty(tx: Database, s: Settings, { all = false }: { all?: boolean } = {}): Promise<void> {
	const [{ n }] = await tx.rows<{ n: number }>(sql`select count(*)::int as n from measured_dirty`);
	// Few dirty keys: an index range scan per key. Many (a big import): every summary again, from
	// the bins in one grouping pass — linear, where joining many keys to their children is not.
	const mode: RefreshMode = all || n > LARGE_DIRTY_KEYS ? 'all' : 'small';
	if (n > 0 || all) for (const res of [...MEASURED_RESOLUTIONS].reverse()) await refreshResolution(tx, res, s, mode);
	await tx.orm.execute(sql`delete from measured_dirty`);
}

type RefreshMode = 'all' | 'small';
/** Above this many dirty keys a scan of all bins beats one index range scan per key (measured on the demo). */
const LARGE_DIRTY_KEYS = 2000;

/**
 * One resolution's summaries. `all` (a rebuild: every key is dirty) groups every bin by its parent
 * in one pass; otherwise each dirty key reads its children by index range.
 */
async function refreshResolution(tx: Database, res: number, s: Settings, mode: RefreshMode): Promise<void> {
	const all = mode === 'all';
	const w = weightSql(s);
	const t = thresholdsFromSettings(s);
	const quantile = (metric: number, q: number) => sql`min(q.bin) filter (where q.metric = ${int(metric)} and q.cum >= ${q}::float8 * q.total)`;
	const range = h3ChildRangeSql(sql`d.cell`, res);
	// The dirty keys at this resolution: parents of the dirty resolution-9 keys.
	const dirty = sql`(select distinct h3_parent(cell, ${int(res)}) as cell, operator_code, technology from measured_dirty)`;
	const binsOfDirty =
		mode === 'all'
			? sql`select h3_parent(b.cell, ${int(res)}) as cell, b.operator_code, b.technology, b.metric, b.bin,
				sum(b.n_resident + b.n_app + b.n_drive) as n, sum(${w}) as w
			from measured_bins b where b.res = 9
			group by 1, b.operator_code, b.technology, b.metric, b.bin`
			: sql`select d.cell, d.operator_code, d.technology, b.metric, b.bin,
				sum(b.n_resident + b.n_app + b.n_drive) as n, sum(${w}) as w
			from ${dirty} d
			-- One index range scan of the children per dirty key (PK res, cell, operator, technology…).
			cross join lateral (
				select b.metric, b.bin, b.n_resident, b.n_app, b.n_drive from measured_bins b
				where b.res = 9 and b.cell between ${range.lo} and ${range.hi} and b.operator_code = d.operator_code and b.technology = d.technology
				offset 0 -- a fence: keeps the planner from flattening this into a join on (operator, technology) alone
			) b
			group by d.cell, d.operator_code, d.technology, b.metric, b.bin`;
	const reportersOfDirty =
		mode === 'all'
			? sql`select h3_parent(p.cell, ${int(res)}) as cell, p.operator_code, p.technology, count(distinct p.reporter)::int as reporters
			from measured_reporters p where p.res = 9 group by 1, p.operator_code, p.technology`
			: sql`select d.cell, d.operator_code, d.technology, count(distinct p.reporter)::int as reporters
			from ${dirty} d
			cross join lateral (
				select p.reporter from measured_reporters p
				where p.res = 9 and p.cell between ${range.lo} and ${range.hi} and p.operator_code = d.operator_code and p.technology = d.technology
				offset 0
			) p
			group by d.cell, d.operator_code, d.technology`;
	await tx.orm.execute(
		all
			? sql`delete from measured_cells where res = ${int(res)}`
			: sql`delete from measured_cells c using ${dirty} d
				where c.res = ${int(res)} and c.cell = d.cell and c.operator_code = d.operator_code and c.technology = d.technology`
	);
	await tx.orm.execute(sql`
		insert into measured_cells (res, cell, operator_code, technology, reports, reporters, weight, median_dbm, p10_dbm, median_bars,
			dead_share, median_download_mbps, median_upload_mbps, first_day, last_day, days, good, fair, poor, dead, class)
		select ${int(res)}, k.cell, k.operator_code, k.technology, k.reports, coalesce(p.reporters, 0), k.weight, k.median_dbm, k.p10_dbm, k.median_bars,
			k.dead_share, k.median_download_mbps, k.median_upload_mbps, k.first_day, k.last_day, k.days, k.good, k.fair, k.poor, k.dead,
			case when k.technology = ${ANY} then null
				when k.median_dbm is not null and k.technology in ('4G', '5G') then ${classSql(sql`k.median_dbm`, t.rsrpDbm)}
				when k.median_dbm is not null then ${classSql(sql`k.median_dbm`, t.rssiDbm)}
				else ${classSql(sql`k.median_bars`, t.bars)} end
		from (
			select q.cell, q.operator_code, q.technology,
				sum(q.n) filter (where q.metric = ${int(METRIC.day)})::int as reports,
				coalesce(sum(q.w) filter (where q.metric = ${int(METRIC.day)}), 0) as weight,
				${quantile(METRIC.signalDbm, 0.5)} as median_dbm,
				${quantile(METRIC.signalDbm, 0.1)} as p10_dbm,
				${quantile(METRIC.bars, 0.5)} as median_bars,
				coalesce(sum(q.w) filter (where q.metric = ${int(METRIC.signalDbm)} and q.bin = ${int(NO_SERVICE_DBM)}) / nullif(sum(q.w) filter (where q.metric = ${int(METRIC.signalDbm)}), 0), 0) as dead_share,
				${quantile(METRIC.downloadMbps, 0.5)} as median_download_mbps,
				${quantile(METRIC.uploadMbps, 0.5)} as median_upload_mbps,
				min(q.bin) filter (where q.metric = ${int(METRIC.day)}) as first_day,
				max(q.bin) filter (where q.metric = ${int(METRIC.day)}) as last_day,
				(count(*) filter (where q.metric = ${int(METRIC.day)}))::int as days,
				coalesce(sum(q.n) filter (where q.metric = ${int(METRIC.reportClass)} and q.bin = 0), 0)::int as good,
				coalesce(sum(q.n) filter (where q.metric = ${int(METRIC.reportClass)} and q.bin = 1), 0)::int as fair,
				coalesce(sum(q.n) filter (where q.metric = ${int(METRIC.reportClass)} and q.bin = 2), 0)::int as poor,
				coalesce(sum(q.n) filter (where q.metric = ${int(METRIC.reportClass)} and q.bin = 3), 0)::int as dead
			from (
				select g.*, sum(g.w) over (partition by g.cell, g.operator_code, g.technology, g.metric order by g.bin rows unbounded preceding) as cum,
					sum(g.w) over (partition by g.cell, g.operator_code, g.technology, g.metric) as total
				from (
					${binsOfDirty}
				) g
				where g.w > 0 or g.metric in (${int(METRIC.day)}, ${int(METRIC.reportClass)})
			) q
			group by q.cell, q.operator_code, q.technology
		) k
		left join (
			${reportersOfDirty}
		) p on p.cell = k.cell and p.operator_code = k.operator_code and p.technology = k.technology`);
	// Any technology, then any operator: the best class of the keys below, and that key's medians.
	// Every cell of the resolution was recomputed in 'all' mode; else only the dirty ones.
	const cells = all ? sql`(select distinct cell from measured_cells where res = ${int(res)})` : sql`(select distinct h3_parent(cell, ${int(res)}) as cell from measured_dirty)`;
	for (const level of ['technology', 'operator'] as const) {
		const child = level === 'technology' ? sql`c.operator_code <> ${ANY} and c.technology <> ${ANY}` : sql`c.operator_code <> ${ANY} and c.technology = ${ANY}`;
		const parentOperator = level === 'technology' ? sql`c.operator_code` : sql.raw(`'${ANY}'::text`);
		await tx.orm.execute(sql`
			update measured_cells a set class = best.class, median_dbm = best.median_dbm, p10_dbm = best.p10_dbm, median_bars = best.median_bars,
				dead_share = best.dead_share, median_download_mbps = best.median_download_mbps, median_upload_mbps = best.median_upload_mbps
			from (
				select distinct on (c.cell, ${parentOperator}) c.cell, ${parentOperator} as parent_operator,
					c.class, c.median_dbm, c.p10_dbm, c.median_bars, c.dead_share, c.median_download_mbps, c.median_upload_mbps
				from measured_cells c
				join ${cells} d on c.res = ${int(res)} and c.cell = d.cell
				where ${child} and c.class is not null
				order by c.cell, ${parentOperator}, array_position(array['good', 'fair', 'poor', 'dead'], c.class), c.median_dbm desc nulls last, c.operator_code, c.technology
			) best
			where a.res = ${int(res)} and a.cell = best.cell and a.operator_code = best.parent_operator and a.technology = ${ANY}`);
	}
}

/** Applies `source`'s reports and refreshes the touched summaries, in the caller's transaction. */
export async function updateMeasured(tx: Database, source: ReportSource, sign: 1 | -1): Promise<void> {
	const settings = await readSettings(tx);
	await applyReports(tx, source, sign, settings);
	await refreshDirty(tx, settings);
}

/** The reports of one import, as a source for {@link applyReports}. */
export const reportsOfImport = (importId: number): ReportSource => sql`(select * from signal_reports where import_id = ${importId})`;

/**
 * Recomputes the whole layer from `signal_reports` (within the stored window) and returns its
 * duration; equals the incremental state (tests hold it to that).
 */
export async function rebuildMeasured(db: Database): Promise<void> {
	await db.orm.execute(sql`truncate measured_bins, measured_reporters, measured_dirty, measured_cells`);
	const settings = await readSettings(db);
	await applyReports(db, sql`signal_reports`, 1, settings);
	await refreshDirty(db, settings, { all: true });
	await db.orm.execute(sql`update measured_state set settings_version = ${await readDataVersion(db, ['settings'])}`);
}

/** A canonical text of the whole layer (bins, reporters, summaries), to compare two states. */
export async function measuredFingerprint(db: Database): Promise<{ bins: string; reporters: string; cells: string }> {
	const [row] = await db.rows<{ bins: string; reporters: string; cells: string }>(sql`
		select
			(select coalesce(md5(string_agg(concat_ws(',', res, cell, operator_code, technology, metric, bin, n_resident, n_app, n_drive), ';' order by res, cell, operator_code, technology, metric, bin)), '') from measured_bins) as bins,
			(select coalesce(md5(string_agg(concat_ws(',', res, cell, operator_code, technology, reporter, n), ';' order by res, cell, operator_code, technology, reporter)), '') from measured_reporters) as reporters,
			(select coalesce(md5(string_agg(concat_ws(',', res, cell, operator_code, technology, reports, reporters, round(weight::numeric, 6), median_dbm, p10_dbm, median_bars,
				round(dead_share::numeric, 9), median_download_mbps, median_upload_mbps, first_day, last_day, days, good, fair, poor, dead, class), ';' order by res, cell, operator_code, technology)), '') from measured_cells) as cells`);
	return row;
}

/**
 * Moves the window's start to `now − measured.window_days` and removes the contributions of the
 * reports that left it (the daily job). Returns how many reports were retired.
 */
export async function retireOldReports(db: Database, now = new Date()): Promise<number> {
	const settings = await readSettings(db);
	const [state] = await db.rows<{ window_start: string | Date }>(sql`select window_start from measured_state`);
	const from = new Date(state.window_start);
	const to = new Date(now.getTime() - settings['measured.window_days'] * 86_400_000);
	if (to <= from) return 0;
	const [{ n }] = await db.rows<{ n: number }>(sql`
		select count(*)::int as n from signal_reports where observed_at >= ${from.toISOString()} and observed_at < ${to.toISOString()}`);
	if (n > 0) {
		await applyReports(db, sql`(select * from signal_reports where observed_at >= ${from.toISOString()} and observed_at < ${to.toISOString()})`, -1, settings);
		await refreshDirty(db, settings);
	}
	await db.orm.execute(sql`update measured_state set window_start = ${to.toISOString()}`);
	return n;
}
