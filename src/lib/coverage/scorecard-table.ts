import { toSearchKey } from '../text/search-key';
import type { ScorecardRow } from './payload';

/**
 * Searching and sorting scorecard rows: one rule for the /communes table in the browser and for
 * its CSV and Excel downloads on the server, so a download holds exactly what is on screen. Pure.
 */

/** The rows whose name or code holds `q`, without diacritics (`dam thuy` finds Đàm Thuỷ). */
export function searchRows<R extends Pick<ScorecardRow, 'name' | 'commune_code'>>(rows: readonly R[], q: string | null): R[] {
	const needle = q === null ? '' : toSearchKey(q);
	return needle === '' ? [...rows] : rows.filter((r) => toSearchKey(`${r.name} ${r.commune_code}`).includes(needle));
}

/** Sorted by a column; missing values last either way, the priority rank breaking ties. */
export function sortRows<R extends Pick<ScorecardRow, 'priority_rank'>>(rows: readonly R[], sort: string, order: 'asc' | 'desc'): R[] {
	const sign = order === 'asc' ? 1 : -1;
	const value = (r: R) => (r as unknown as Record<string, unknown>)[sort];
	return [...rows].sort((a, b) => {
		const x = value(a);
		const y = value(b);
		const xMissing = x === null || x === undefined;
		const yMissing = y === null || y === undefined;
		if (xMissing || yMissing) return xMissing && yMissing ? a.priority_rank - b.priority_rank : xMissing ? 1 : -1;
		const c = typeof x === 'string' ? x.localeCompare(String(y), 'vi') : Number(x) - Number(y);
		return c === 0 ? a.priority_rank - b.priority_rank : sign * c;
	});
}
