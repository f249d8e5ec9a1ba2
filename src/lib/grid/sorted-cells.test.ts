import { cellToChildren, cellToParent, latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { affectedCells, findRow, lowerBound, replaceRows } from './sorted-cells';

/** A seeded generator (mulberry32): the same cases every run. */
function random(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const sortedUnique = (cells: string[]) => [...new Set(cells)].sort();
// Res-9 cells around Cao Bằng, close enough that many share parents.
const cellsNear = (next: () => number, n: number) => Array.from({ length: n }, () => latLngToCell(22.6 + next() * 0.2, 106.1 + next() * 0.2, 9));

describe('sorted cell rows', () => {
	it('finds rows and insertion points by binary search', () => {
		const rows = sortedUnique(cellsNear(random(1), 200)).map((h3, i) => ({ h3, i }));
		for (const [k, r] of rows.entries()) {
			expect(findRow(rows, r.h3)).toBe(r);
			expect(lowerBound(rows, r.h3)).toBe(k);
			expect(lowerBound(rows, r.h3, k + 1)).toBe(k + 1);
		}
		expect(findRow(rows, '8900000000fffff')).toBeUndefined();
		expect(lowerBound(rows, '8900000000fffff')).toBe(0);
		expect(lowerBound(rows, 'f')).toBe(rows.length);
		expect(findRow([], rows[0].h3)).toBeUndefined();
	});

	it('replaces the rows of the affected cells exactly as filtering and re-sorting would, over many random cases', () => {
		const next = random(7);
		for (let round = 0; round < 200; round++) {
			const all = sortedUnique(cellsNear(next, 1 + Math.floor(next() * 300)));
			const old = all.filter(() => next() < 0.7).map((h3) => ({ h3, v: 'old' }));
			const affected = all.filter(() => next() < (round % 3 === 0 ? 0.9 : 0.1));
			const fresh = affected.filter(() => next() < 0.6).map((h3) => ({ h3, v: 'new' }));
			const gone = new Set(affected);
			const expected = [...old.filter((r) => !gone.has(r.h3)), ...fresh].sort((a, b) => (a.h3 < b.h3 ? -1 : 1));
			expect(replaceRows(old, affected, fresh)).toEqual(expected);
		}
	});

	it('keeps the old rows untouched (a reader may still hold them)', () => {
		const old = sortedUnique(cellsNear(random(3), 50)).map((h3) => ({ h3 }));
		const copy = [...old];
		replaceRows(old, [old[3].h3, old[10].h3], [{ h3: old[3].h3 }]);
		expect(old).toEqual(copy);
	});

	it('names every res-8 sibling of a changed res-9 cell, and the parents at coarser resolutions', () => {
		const changed = cellsNear(random(5), 40);
		const at9 = affectedCells(changed, 9);
		const parents = new Set(changed.map((c) => cellToParent(c, 8)));
		expect(new Set(at9.parents)).toEqual(parents);
		expect(at9.cells).toEqual(sortedUnique([...parents].flatMap((p) => cellToChildren(p, 9))));
		for (const res of [6, 7, 8]) expect(affectedCells(changed, res).cells).toEqual(sortedUnique(changed.map((c) => cellToParent(c, res))));
		expect(affectedCells([], 9)).toEqual({ cells: [], parents: [] });
	});
});
