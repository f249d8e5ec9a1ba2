import { checkPosition } from './bounds';

/**
 * Why an import wrote nothing, or may write nothing, in terms a person can act on. Pure: the
 * CLI words it in English, the upload page through its messages.
 */

/** Vietnam's mobile country code (ITU-T E.212). */
export const VIETNAM_MCC = 452;

/** The skip reasons of rows, grouped: other countries' MCCs, and any other reason with its count. */
export interface SkippedExplanation {
	total: number;
	/** MCCs of rows skipped as not Vietnam's, ascending, and how many rows they were. */
	otherCountryMccs: number[];
	otherCountryRows: number;
	other: { reason: string; rows: number }[];
}

const MCC_REASON = /^MCC (\d+)$/;

/** The reason a row of another country is skipped with (OpenCelliD rows). */
export const otherCountryReason = (mcc: number) => `MCC ${mcc}`;

/** Groups skip reasons (reason → rows); null when nothing was skipped. */
export function explainSkipped(reasons: Record<string, number>): SkippedExplanation | null {
	const entries = Object.entries(reasons).filter(([, n]) => n > 0);
	if (entries.length === 0) return null;
	const otherCountryMccs: number[] = [];
	let otherCountryRows = 0;
	const other: SkippedExplanation['other'] = [];
	for (const [reason, rows] of entries) {
		const mcc = MCC_REASON.exec(reason);
		if (mcc) {
			otherCountryMccs.push(Number(mcc[1]));
			otherCountryRows += rows;
		} else other.push({ reason, rows });
	}
	return { total: entries.reduce((n, [, r]) => n + r, 0), otherCountryMccs: otherCountryMccs.sort((a, b) => a - b), otherCountryRows, other };
}

/** A list of MCCs for a sentence: the first few, then "…". */
export function listMccs(mccs: readonly number[], max = 6): string {
	return mccs.slice(0, max).join(', ') + (mccs.length > max ? ', …' : '');
}

/** The English sentence for the CLI: "198 rows skipped: MCC 208, 310 are not Vietnam (452)". */
export function describeSkipped(e: SkippedExplanation): string {
	const parts = [
		...(e.otherCountryMccs.length ? [`MCC ${listMccs(e.otherCountryMccs)} ${e.otherCountryMccs.length === 1 ? 'is' : 'are'} not Vietnam (${VIETNAM_MCC})`] : []),
		...e.other.map((o) => `${o.reason} (${o.rows})`)
	];
	return `${e.total} ${e.total === 1 ? 'row' : 'rows'} skipped: ${parts.join('; ')}`;
}

/** What the counts of a finished import say happened, for a person. */
export type ImportOutcome = 'wrote' | 'all-duplicate' | 'all-skipped' | 'nothing' | 'rejected';

/** The outcome of an import from its counts. */
export function importOutcome(s: { status: 'committed' | 'rejected'; inserted: number; updated: number; duplicate: number; skipped: number }): ImportOutcome {
	if (s.status === 'rejected') return 'rejected';
	if (s.inserted + s.updated > 0) return 'wrote';
	if (s.duplicate > 0 && s.duplicate >= s.skipped) return 'all-duplicate';
	if (s.skipped > 0) return 'all-skipped';
	return 'nothing';
}

/** A warning the preview gives before an import starts. */
export type PreviewWarning = { kind: 'no-vietnam-mcc'; sampleRows: number; mccs: number[] } | { kind: 'no-position-in-vietnam'; sampleRows: number };

/**
 * Warnings from the sample rows of a CSV preview, given the columns its fields resolved to:
 * no row of the sample has Vietnam's MCC, or no row's position is in Vietnam.
 */
export function previewWarnings(header: readonly string[], rows: readonly string[][], columnOf: (field: string) => string | null): PreviewWarning[] {
	if (rows.length === 0) return [];
	const index = (field: string) => {
		const column = columnOf(field);
		return column === null ? -1 : header.indexOf(column);
	};
	const warnings: PreviewWarning[] = [];
	const mccAt = index('mcc');
	if (mccAt >= 0) {
		const mccs = rows.map((r) => Number(r[mccAt])).filter(Number.isInteger);
		if (mccs.length > 0 && !mccs.includes(VIETNAM_MCC)) warnings.push({ kind: 'no-vietnam-mcc', sampleRows: rows.length, mccs: [...new Set(mccs)].sort((a, b) => a - b) });
	}
	const [latAt, lonAt] = [index('latitude') >= 0 ? index('latitude') : index('lat'), index('longitude') >= 0 ? index('longitude') : index('lon')];
	if (latAt >= 0 && lonAt >= 0 && warnings.length === 0) {
		const positions = rows.map((r) => [Number(r[lonAt]), Number(r[latAt])]).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
		if (positions.length > 0 && positions.every(([x, y]) => checkPosition(x, y) === 'outside')) warnings.push({ kind: 'no-position-in-vietnam', sampleRows: rows.length });
	}
	return warnings;
}
