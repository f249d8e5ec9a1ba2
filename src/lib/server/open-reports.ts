import { sql } from 'drizzle-orm';
import { cellToDecimal } from '../grid/h3';
import type { Database } from './db/index';
import { measuredChangesSince } from './fused';

/**
 * Residents' recent reports per res-9 cell (the dead zones' `openReports`): read for the cells
 * asked for and kept per window start and fused version; a later version forgets only the cells
 * the measured change log names (every report added or undone passes through it,
 * src/lib/server/measured.ts) and reads those again, so a step of 1,000 reports costs a read of
 * their cells rather than of every zone. Reporter keys stay inside the server (distinct counts).
 */

export interface OpenCell {
	reports: number;
	reporters: string[];
}

interface Known {
	since: string;
	fused: string;
	cells: Map<string, OpenCell>;
}

const EMPTY: OpenCell = { reports: 0, reporters: [] };
const knownOf = new WeakMap<object, Known>();
/** One read at a time per database, so a slow read never writes an older version over a newer one. */
const queues = new WeakMap<object, Promise<unknown>>();

/**
 * The open reports of `cells` (res 9) since `since`, current with `fused` (the fused version
 * token). `fresh`: read them all again (a full recomputation).
 */
export function openReportsAt(db: Database, cells: readonly string[], since: Date, fused: string, { fresh = false } = {}): Promise<ReadonlyMap<string, OpenCell>> {
	const run = (queues.get(db.orm as object) ?? Promise.resolve())
		.catch(() => {})
		.then(() => {
			if (fresh) knownOf.delete(db.orm as object);
			return read(db, cells, since.toISOString(), fused);
		});
	queues.set(db.orm as object, run);
	return run;
}

async function read(db: Database, cells: readonly string[], since: string, fused: string): Promise<ReadonlyMap<string, OpenCell>> {
	let known = knownOf.get(db.orm as object);
	if (known && known.since === since && known.fused !== fused) {
		const changed = await measuredChangesSince(db, known.fused, fused);
		if (changed === null) known = undefined;
		else {
			for (const c of changed) known.cells.delete(c);
			known.fused = fused;
		}
	}
	if (!known || known.since !== since || known.fused !== fused) known = { since, fused, cells: new Map() };
	knownOf.set(db.orm as object, known);
	const missing = [...new Set(cells.filter((c) => !known.cells.has(c)))];
	if (missing.length > 0) {
		const rows = await db.rows<{ h3: string; reporter: string; reports: number }>(sql`
			select to_hex(h3_res9) as h3, reporter_key as reporter, count(*)::int as reports
			from signal_reports
			where source_kind = 'resident' and observed_at >= ${since} and h3_res9 = any(${`{${missing.map(cellToDecimal).join(',')}}`}::bigint[])
			group by h3_res9, reporter_key`);
		const found = new Map<string, OpenCell>();
		for (const r of rows) {
			const entry = found.get(r.h3) ?? { reports: 0, reporters: [] };
			entry.reports += r.reports;
			entry.reporters.push(r.reporter);
			found.set(r.h3, entry);
		}
		for (const c of missing) known.cells.set(c, found.get(c) ?? EMPTY);
	}
	return known.cells;
}
