import { sql, type SQL } from 'drizzle-orm';
import type { MeasuredReport, ReportAccumulator } from '../coverage/measured';
import type { Technology } from '../signal/classes';
import type { SourceKind } from '../signal/observation';
import type { Database } from './db/index';

/**
 * The reports the measured layer (src/lib/server/measured.ts) adds or removes: where they come
 * from, their reporters' numbers, and what each contributes, as statements read it from
 * signal_reports or an insert returns it.
 */

/**
 * Reports (alias `c`): a FROM item over signal_reports' columns, e.g. one import's rows, read in
 * id ranges; or `few` reports named by key ({@link reportsWithKeys}), read in one statement.
 */
export type ReportSource = SQL | { few: SQL };

const fromOf = (source: ReportSource): SQL => ('few' in source ? source.few : source);

/** Report ids read per round trip: bounded memory for the rows, few statements. */
const REPORT_ID_RANGE = 50_000n;

// Vietnam keeps UTC+7 all year (no daylight saving): the hour of day needs no time-zone data.

/** A report's reporter as stored text (device key, else its import file). Keep in step with reporterOf. */
export const REPORTER_SQL = sql`coalesce(c.reporter_key, 'import:' || c.import_id::text)`;

/** Numbers for the reporters of `source` that have none yet (not consuming ids for those that do). */
export async function internReporters(tx: Database, source: ReportSource): Promise<void> {
	await tx.orm.execute(sql`
		insert into reporter_ids (reporter)
		select distinct ${REPORTER_SQL} from ${fromOf(source)} c
		where (c.reporter_key is not null or c.import_id is not null)
			and not exists (select 1 from reporter_ids ri where ri.reporter = ${REPORTER_SQL})
		on conflict (reporter) do nothing`);
}

export interface ReportRow {
	h3: string;
	source_kind: SourceKind;
	operator_code: string | null;
	technology: Technology | null;
	rsrp_dbm: number | null;
	rssi_dbm: number | null;
	signal_bars: number | null;
	no_service: boolean;
	download_mbps: number | null;
	upload_mbps: number | null;
	day: number;
	hour: number;
	reporter: number | null;
}

export const toReport = (r: ReportRow): MeasuredReport => ({
	h3Res9: r.h3,
	sourceKind: r.source_kind,
	operatorCode: r.operator_code,
	technology: r.technology,
	rsrpDbm: r.rsrp_dbm,
	rssiDbm: r.rssi_dbm,
	signalBars: r.signal_bars,
	noService: r.no_service,
	downloadMbps: r.download_mbps,
	uploadMbps: r.upload_mbps,
	day: r.day,
	hour: r.hour,
	reporter: r.reporter
});

/** What a report contributes, over signal_reports' columns (alias `c`), but its reporter's number. */
const CONTRIBUTION_COLUMNS = sql`to_hex(c.h3_res9) as h3, c.source_kind, c.operator_code, c.technology, c.rsrp_dbm, c.rssi_dbm,
	c.signal_bars, c.no_service, c.download_mbps, c.upload_mbps, floor(extract(epoch from c.observed_at) / 86400)::int as day,
	extract(hour from (c.observed_at at time zone 'UTC') + interval '7 hours')::int as hour`;

/**
 * What an `insert into signal_reports as c … returning` gives {@link applyInsertedReports}: the
 * contributions of the rows just written, their reporters as text, and whether they lie in the window.
 */
export const INSERTED_CONTRIBUTIONS = sql`${CONTRIBUTION_COLUMNS}, ${REPORTER_SQL} as reporter_text,
	c.observed_at >= (select window_start from measured_state) as in_window`;

export interface InsertedContribution extends Omit<ReportRow, 'reporter'> {
	reporter_text: string | null;
	in_window: boolean;
}

/** The contributions of `source`'s reports (within the window) that `where` selects, one statement. */
export const contributionRows = (tx: Database, source: SQL, where: SQL) =>
	tx.rows<ReportRow>(sql`
		select ${CONTRIBUTION_COLUMNS}, ri.id as reporter
		from ${source} c
		left join reporter_ids ri on ri.reporter = ${REPORTER_SQL}
		where c.observed_at >= (select window_start from measured_state) and ${where}`);

/**
 * Reads the statements of `reads` in turn into `into`, asking for the next before folding in the
 * current one so the server works while this process does.
 */
export async function readInTurn(reads: (() => Promise<ReportRow[]>)[], into: Pick<ReportAccumulator, 'add'>): Promise<void> {
	let next = reads.length > 0 ? reads[0]() : null;
	for (let i = 0; next; i++) {
		const rows: ReportRow[] = await next;
		next = i + 1 < reads.length ? reads[i + 1]() : null;
		into.add(rows.map(toReport));
	}
}

/**
 * Gathers the resolution-9 contributions of `source`'s reports within the window, in id ranges
 * (no LIMIT: the planner may hash-join the reporter numbers). Proposals' verification
 * (src/lib/server/proposals.ts) reads the reports after a site went on air the same way.
 */
export async function readContributions(tx: Database, source: ReportSource, into: Pick<ReportAccumulator, 'add'>): Promise<void> {
	if ('few' in source) return readInTurn([() => contributionRows(tx, source.few, sql`true`)], into);
	const [{ lo, hi }] = await tx.rows<{ lo: string | null; hi: string | null }>(sql`select min(c.id)::text as lo, max(c.id)::text as hi from ${source} c`);
	if (lo === null || hi === null) return;
	const reads: (() => Promise<ReportRow[]>)[] = [];
	for (let from = BigInt(lo); from <= BigInt(hi); from += REPORT_ID_RANGE) {
		const to = from + REPORT_ID_RANGE;
		reads.push(() => contributionRows(tx, source, sql`c.id >= ${from.toString()}::bigint and c.id < ${to.toString()}::bigint`));
	}
	await readInTurn(reads, into);
}

/** The numbers of `reporters` (stored text), interning those that have none (not consuming ids for those that do). */
export async function reporterNumbers(tx: Database, reporters: readonly string[]): Promise<Map<string, number>> {
	if (reporters.length === 0) return new Map();
	const json = JSON.stringify(reporters);
	const rows = await tx.rows<{ id: number; reporter: string }>(sql`
		with added as (
			insert into reporter_ids (reporter)
			select w.value from json_array_elements_text(${json}::json) w where not exists (select 1 from reporter_ids ri where ri.reporter = w.value)
			on conflict (reporter) do nothing
			returning id, reporter)
		select id, reporter from added
		union all select id, reporter from reporter_ids where reporter = any(array(select json_array_elements_text(${json}::json)))`);
	const numbers = new Map(rows.map((r) => [r.reporter, Number(r.id)]));
	// Another transaction that interned one of them meanwhile: its row is visible to a new statement.
	const missing = reporters.filter((r) => !numbers.has(r));
	if (missing.length > 0) {
		const late = await tx.rows<{ id: number; reporter: string }>(sql`
			select id, reporter from reporter_ids where reporter in (select value from json_array_elements_text(${JSON.stringify(missing)}::json))`);
		for (const r of late) numbers.set(r.reporter, Number(r.id));
	}
	return numbers;
}

/** The reports of one import, as a source for applyReports (src/lib/server/measured.ts). */
export const reportsOfImport = (importId: number): ReportSource => sql`(select * from signal_reports where import_id = ${importId})`;

/**
 * Some reports by id and resolution-9 cell (decimal text, as `h3_res9::text` returns it), as a
 * source for applyReports (src/lib/server/measured.ts). The cell lets PostgreSQL go to each report's partition
 * (drizzle/0022) at run time; `id = any(…)` alone made it plan a lookup of every id in every
 * partition, ~25 ms per statement for 1,000 ids.
 */
export function reportsWithKeys(keys: readonly { id: string; h3: string }[]): ReportSource {
	const ids = `{${keys.map((k) => String(BigInt(k.id))).join(',')}}`;
	const cells = `{${keys.map((k) => String(BigInt(k.h3))).join(',')}}`;
	return {
		few: sql`(select r.* from unnest(${ids}::bigint[], ${cells}::bigint[]) as k(id, cell) join signal_reports r on r.h3_res9 = k.cell and r.id = k.id)`
	};
}
