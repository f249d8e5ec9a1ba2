import type { MeasuredSummary } from '../coverage/measured';
import type { SignalClass } from '../signal/classes';

/**
 * A measured key's summary as `measured_cells` columns (drizzle/0013, 0014), both ways: what the
 * write statements read from JSON and what the read statements return. One list, so a column added
 * to the summary is added everywhere at once.
 */

/** The summary columns of a measured_cells row. */
export interface SummaryColumns {
	reports: number;
	reporters: number;
	weight: number;
	median_dbm: number | null;
	p10_dbm: number | null;
	median_bars: number | null;
	dead_share: number;
	median_download_mbps: number | null;
	median_upload_mbps: number | null;
	first_day: number;
	last_day: number;
	days: number;
	class: SignalClass | null;
	good: number;
	fair: number;
	poor: number;
	dead: number;
	failing_hours: number;
}

/** The columns in the order of {@link SUMMARY_COLUMN_TYPES}, with their SQL types for json_to_recordset. */
export const SUMMARY_COLUMN_TYPES: Record<keyof SummaryColumns, string> = {
	reports: 'int',
	reporters: 'int',
	weight: 'float8',
	median_dbm: 'int',
	p10_dbm: 'int',
	median_bars: 'int',
	dead_share: 'float8',
	median_download_mbps: 'int',
	median_upload_mbps: 'int',
	first_day: 'int',
	last_day: 'int',
	days: 'int',
	class: 'text',
	good: 'int',
	fair: 'int',
	poor: 'int',
	dead: 'int',
	failing_hours: 'int'
};
export const SUMMARY_COLUMNS = Object.keys(SUMMARY_COLUMN_TYPES) as (keyof SummaryColumns)[];

export const columnsOfSummary = (m: MeasuredSummary): SummaryColumns => ({
	reports: m.reports,
	reporters: m.reporters,
	weight: m.weight,
	median_dbm: m.medianDbm,
	p10_dbm: m.p10Dbm,
	median_bars: m.medianBars,
	dead_share: m.deadShare,
	median_download_mbps: m.medianDownloadMbps,
	median_upload_mbps: m.medianUploadMbps,
	first_day: m.firstDay,
	last_day: m.lastDay,
	days: m.days,
	class: m.class,
	good: m.classCounts[0],
	fair: m.classCounts[1],
	poor: m.classCounts[2],
	dead: m.classCounts[3],
	failing_hours: m.failingHours
});

/** The inverse of {@link columnsOfSummary} (drivers may return float8 as text: numbers here). */
export const summaryOfColumns = (r: SummaryColumns): MeasuredSummary => ({
	reports: r.reports,
	reporters: r.reporters,
	weight: Number(r.weight),
	medianDbm: r.median_dbm,
	p10Dbm: r.p10_dbm,
	medianBars: r.median_bars,
	deadShare: Number(r.dead_share),
	medianDownloadMbps: r.median_download_mbps,
	medianUploadMbps: r.median_upload_mbps,
	firstDay: r.first_day,
	lastDay: r.last_day,
	days: r.days,
	class: r.class,
	classCounts: [r.good, r.fair, r.poor, r.dead],
	failingHours: r.failing_hours
});
