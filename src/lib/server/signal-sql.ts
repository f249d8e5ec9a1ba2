import { sql, type SQL } from 'drizzle-orm';
import { DEFAULT_THRESHOLDS, type ClassFloors, type SignalThresholds } from '../signal/classes';

const classOf = (column: SQL, floors: ClassFloors) =>
	sql`case when ${column} >= ${floors.good} then 'good' when ${column} >= ${floors.fair} then 'fair' when ${column} >= ${floors.poor} then 'poor' else 'dead' end`;

/**
 * The signal class of a `signal_reports` row (alias `r`) in SQL, built from the same thresholds
 * as `classifyObservation`, so the database and the browser never disagree.
 */
export const signalClassSql = (t: SignalThresholds = DEFAULT_THRESHOLDS) => sql`(case
	when r.no_service then 'dead'
	when r.rsrp_dbm is not null then ${classOf(sql`r.rsrp_dbm`, t.rsrpDbm)}
	when r.rssi_dbm is not null then ${classOf(sql`r.rssi_dbm`, t.rssiDbm)}
	when r.signal_bars is not null then ${classOf(sql`r.signal_bars`, t.bars)}
end)`;

/**
 * The H3 parent of a resolution-9 cell column at a coarser `resolution`, by bit arithmetic on the
 * 64-bit index (H3 index layout: resolution in bits 52–55, one 3-bit digit per resolution from
 * bit 42 downwards; unused digits are 7). No h3 extension is needed, so it runs on both databases.
 */
export function h3ParentSql(column: SQL, resolution: number): SQL {
	if (!Number.isInteger(resolution) || resolution < 0 || resolution > 9) throw new RangeError(`resolution must be 0–9, got ${resolution}`);
	// Digits resolution+1 … 9 become 7 (unused); the resolution field becomes `resolution`.
	let unusedDigits = 0n;
	for (let r = resolution + 1; r <= 15; r++) unusedDigits |= 7n << BigInt((15 - r) * 3);
	const resolutionMask = 15n << 52n;
	return sql`((${column} & ${(~resolutionMask & ((1n << 63n) - 1n)).toString()}::bigint) | ${(BigInt(resolution) << 52n).toString()}::bigint | ${unusedDigits.toString()}::bigint)`;
}

/**
 * The range of resolution-9 index values that a `resolution` cell column contains: its res-9
 * descendants have the same base cell and leading digits, digits `resolution+1 … 9` in 0…6 and the
 * rest 7, so they all lie between "all 0" and "all 6" (values in between with a digit 7 are not
 * valid cells, so none is stored). Lets `h3_res9 between lo and hi` use the btree index.
 */
export function h3ChildRangeSql(column: SQL, resolution: number): { lo: SQL; hi: SQL } {
	if (!Number.isInteger(resolution) || resolution < 0 || resolution > 9) throw new RangeError(`resolution must be 0–9, got ${resolution}`);
	let childDigits = 0n;
	let sixes = 0n;
	for (let r = resolution + 1; r <= 9; r++) {
		childDigits |= 7n << BigInt((15 - r) * 3);
		sixes |= 6n << BigInt((15 - r) * 3);
	}
	const resolutionMask = 15n << 52n;
	const keep = ~(resolutionMask | childDigits) & ((1n << 63n) - 1n);
	const atRes9 = sql`((${column} & ${keep.toString()}::bigint) | ${(9n << 52n).toString()}::bigint)`;
	return { lo: atRes9, hi: sql`(${atRes9} | ${sixes.toString()}::bigint)` };
}
