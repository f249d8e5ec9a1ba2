import { cellToChildren, cellToParent } from 'h3-js';

/**
 * Rows kept sorted by cell id (H3 hex strings of one resolution compare as their numbers do), and
 * what an incremental update does with them: find a row, replace the rows of some cells in one
 * pass, and name the cells a change at res 9 can move at a resolution. Pure.
 */

export interface CellRow {
	h3: string;
}

/** The first index at or after `from` whose cell is not below `h3` (rows sorted by cell). */
export function lowerBound(rows: readonly CellRow[], h3: string, from = 0): number {
	let lo = from;
	let hi = rows.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (rows[mid].h3 < h3) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/** The row of `h3` in rows sorted by cell, or undefined. */
export function findRow<R extends CellRow>(rows: readonly R[], h3: string): R | undefined {
	const at = lowerBound(rows, h3);
	return at < rows.length && rows[at].h3 === h3 ? rows[at] : undefined;
}

/**
 * `old` with the rows of the `affected` cells (sorted) replaced by `fresh` (sorted, among them;
 * an affected cell without a fresh row loses its row). The rows between affected cells are found
 * by binary search and copied without being read, in bulk: the cost follows the cells touched, not
 * the size of the layer.
 */
export function replaceRows<R extends CellRow>(old: readonly R[], affected: readonly string[], fresh: readonly R[]): R[] {
	// Slices of `old` and runs of fresh rows, joined once at the end (slice and concat copy in bulk).
	const pieces: (readonly R[])[] = [];
	let run: R[] = [];
	let i = 0;
	let j = 0;
	for (const cell of affected) {
		const at = lowerBound(old, cell, i);
		if (at > i) {
			if (run.length > 0) pieces.push(run), (run = []);
			pieces.push(old.slice(i, at));
		}
		i = at < old.length && old[at].h3 === cell ? at + 1 : at;
		if (j < fresh.length && fresh[j].h3 === cell) run.push(fresh[j++]);
	}
	if (run.length > 0) pieces.push(run);
	pieces.push(old.slice(i));
	// concat takes the pieces as arguments: in batches, under the engine's argument limit.
	let out: R[] = [];
	for (let p = 0; p < pieces.length; p += 8192) out = out.concat(...pieces.slice(p, p + 8192));
	return out;
}

/**
 * The cells that changes of res-9 cells can move at `res`: at res 9 the changed cells and every
 * child of their res-8 parents (a child may take its parent's evidence); coarser, their parents.
 * Sorted; `parents` are the res-8 parents (res 9) in no order.
 */
export function affectedCells(changed: readonly string[], res: number): { cells: string[]; parents: string[] } {
	const affected = new Set<string>();
	const parents = new Set<string>();
	for (const c of changed) {
		if (res === 9) {
			const parent = cellToParent(c, 8);
			if (parents.has(parent)) continue;
			parents.add(parent);
			for (const child of cellToChildren(parent, 9)) affected.add(child);
		} else affected.add(cellToParent(c, res));
	}
	return { cells: [...affected].sort(), parents: [...parents] };
}
