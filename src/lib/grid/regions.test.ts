import { readFileSync } from 'node:fs';
import { cellToCenterChild, cellToChildren, cellToParent, getResolution, latLngToCell, polygonToCells } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { ancestorNumberOf, ancestorsOfArea, PARTITION_RESOLUTION, regionNumberOf, regionOfAncestor, regionRange, regionShift, res9RangeOfRegion, res9RangesOfAncestors, runsUpTo } from './regions';

const value = (cell: string) => BigInt(`0x${cell}`);

describe('grid regions', () => {
	it('the resolution-9 cells of a resolution-6 ancestor are exactly one range of values', () => {
		const ancestor = latLngToCell(21.03, 105.85, 6);
		const key = value(latLngToCell(21.03, 105.85, 9)) >> BigInt(regionShift(6));
		const { lo, hi } = regionRange(key, key, 6);
		const inside = cellToChildren(ancestor, 9).map(value);
		expect(inside.length).toBe(343);
		for (const v of inside) expect(v >= lo && v < hi).toBe(true);
		// Cells of the neighbouring ancestors (every res-9 cell around) fall inside only if they descend from it.
		for (let k = 0; k < 400; k++) {
			const cell = latLngToCell(21.0 + (k % 20) * 0.004, 105.8 + Math.floor(k / 20) * 0.005, 9);
			const v = value(cell);
			expect(v >= lo && v < hi).toBe(cellToParent(cell, 6) === ancestor);
		}
	});

	it('a run of keys covers the cells of each of them', () => {
		const a = value(latLngToCell(10.8, 106.7, 9)) >> 27n;
		const { lo, hi } = regionRange(a, a + 2n, 6);
		expect(hi - lo).toBe(3n << 27n);
	});

	it('runs keep order and stay within the limit unless one item alone exceeds it', () => {
		const runs = runsUpTo([3, 4, 2, 9, 1, 1, 5], (n) => n, 6);
		expect(runs).toEqual([[3], [4, 2], [9], [1, 1], [5]]);
		expect(runsUpTo([], (n: number) => n, 6)).toEqual([]);
	});
});

describe('the partitions of drizzle/0022', () => {
	const migration = readFileSync('drizzle/0022_partitioning.sql', 'utf8');
	const reportRanges = [...migration.matchAll(/"signal_reports_([0-9a-f]{15})" PARTITION OF "signal_reports" FOR VALUES FROM \((\d+)\) TO \((\d+)\)/g)];
	const keyLists = [...migration.matchAll(/"measured_cells_([0-9a-f]{15})" PARTITION OF "measured_cells" FOR VALUES IN \((\d+)\)/g)];

	it('are the resolution-2 regions over Vietnam\'s mainland bounding box', () => {
		const box = [[8.0, 102.0], [8.0, 110.0], [23.5, 110.0], [23.5, 102.0], [8.0, 102.0]];
		const expected = new Set(polygonToCells(box, 5).map((c) => cellToParent(c, PARTITION_RESOLUTION)));
		expect(new Set(reportRanges.map((m) => m[1]))).toEqual(expected);
		expect(new Set(keyLists.map((m) => m[1]))).toEqual(expected);
	});

	it('hold each region\'s resolution-9 cells by value, and its keys of every resolution by number', () => {
		for (const [, region, lo, hi] of reportRanges) {
			expect(getResolution(region)).toBe(2);
			const key = value(cellToCenterChild(region, 9)) >> BigInt(regionShift(2));
			expect(regionRange(key, key, 2)).toEqual({ lo: BigInt(lo), hi: BigInt(hi) });
		}
		const ranges = new Map(reportRanges.map(([, region, lo, hi]) => [region, { lo: BigInt(lo), hi: BigInt(hi) }]));
		for (const [, region, number] of keyLists) {
			expect(res9RangeOfRegion(Number(number))).toEqual(ranges.get(region));
			for (const res of [6, 7, 8, 9]) expect(regionNumberOf(value(cellToCenterChild(region, res)))).toBe(Number(number));
		}
		expect(new Set(keyLists.map((m) => m[2])).size).toBe(keyLists.length);
	});
});

describe('resolution-6 ancestors of an area', () => {
	it('names the ancestor of every cell the area holds, and only ancestors it touches', () => {
		// A rectangle astride the line between two resolution-2 regions near Cao Bằng and Lạng Sơn.
		const ring = [[105.9, 21.9], [106.9, 21.9], [106.9, 22.6], [105.9, 22.6], [105.9, 21.9]];
		const ancestors = ancestorsOfArea({ type: 'Polygon', coordinates: [ring] });
		const inside = new Set<number>();
		for (let lng = 105.9; lng <= 106.9; lng += 0.01) for (let lat = 21.9; lat <= 22.6; lat += 0.01) inside.add(ancestorNumberOf(value(latLngToCell(lat, lng, 9))));
		for (const a of inside) expect(ancestors).toContain(a);
		// Beyond the inside ones only a rim: ancestors whose cells reach in (~36 km² each along a ~340 km edge).
		expect(ancestors.length - inside.size).toBeLessThan(120);
		expect(new Set(ancestors.map(regionOfAncestor)).size).toBeGreaterThan(1);
	});

	it('ranges hold exactly the resolution-9 cells of those ancestors, and an ancestor lies in its region', () => {
		const cells = [latLngToCell(22.85, 106.65, 9), latLngToCell(22.9, 106.7, 9), latLngToCell(10.8, 106.7, 9)];
		const numbers = [...new Set(cells.map((c) => ancestorNumberOf(value(c))))].sort((a, b) => a - b);
		const around = numbers.flatMap((n) => [n - 1, n, n + 1]).filter((n, i, all) => all.indexOf(n) === i).sort((a, b) => a - b);
		const ranges = res9RangesOfAncestors(around);
		expect(ranges.length).toBeLessThan(around.length);
		for (const c of cells) {
			const v = value(c);
			expect(ranges.some((r) => v >= r.lo && v < r.hi)).toBe(true);
			expect(res9RangesOfAncestors([ancestorNumberOf(v)])).toEqual([regionRange(v >> 27n, v >> 27n, 6)]);
			for (const res of [6, 7, 8]) expect(ancestorNumberOf(value(cellToParent(c, res)))).toBe(ancestorNumberOf(v));
			expect(regionOfAncestor(ancestorNumberOf(v))).toBe(regionNumberOf(v));
		}
	});
});
