import { gridDisk } from 'h3-js';
import { addCellsOfArea, cellOfPosition, type AreaGeometry } from './h3';

/**
 * Grid regions: runs of resolution-9 cells that share an ancestor, as ranges of their 64-bit
 * values. Pure.
 *
 * An H3 index holds, from the top, its mode and resolution, the base cell, then one 3-bit digit per
 * resolution 1…15, unused digits set to 7 (H3 index specification, h3geo.org/docs/core-library/
 * h3Indexing). The resolution-9 cells below one resolution-r ancestor therefore agree on every bit
 * above digit r + 1 and differ below: their values form one unbroken range, so `h3_res9 >> shift`
 * names the ancestor and a range of values selects its cells on the (h3_res9, …) index.
 */

/** Bits below the digit of `resolution` + 1: shifted away, they leave the resolution-`resolution` ancestor. */
export const regionShift = (resolution: number): number => 3 * (15 - resolution);

/** The value range [lo, hi) of the resolution-9 cells inside regions lo…hi − 1 (keys after the shift). */
export function regionRange(firstKey: bigint, lastKey: bigint, resolution: number): { lo: bigint; hi: bigint } {
	const shift = BigInt(regionShift(resolution));
	return { lo: firstKey << shift, hi: (lastKey + 1n) << shift };
}

/**
 * Splits sorted items into runs of consecutive items whose weights sum to at most `limit` (an item
 * heavier than `limit` runs alone), in order.
 */
export function runsUpTo<T>(items: readonly T[], weight: (item: T) => number, limit: number): T[][] {
	const runs: T[][] = [];
	let run: T[] = [];
	let total = 0;
	for (const item of items) {
		const w = weight(item);
		if (run.length > 0 && total + w > limit) {
			runs.push(run);
			run = [];
			total = 0;
		}
		run.push(item);
		total += w;
	}
	if (run.length > 0) runs.push(run);
	return runs;
}

/**
 * The big tables' partitions (drizzle/0022_partitioning.sql) are resolution-2 regions. A cell of
 * resolution 2 or finer names its region by its base cell and first two digits, whatever its own
 * resolution: `(value >> 39) & 8191` (7 + 2 × 3 bits), the number measured keys are listed by.
 */
export const PARTITION_RESOLUTION = 2;
export const REGION_NUMBER_SHIFT = regionShift(PARTITION_RESOLUTION);
export const REGION_NUMBER_MASK = (1 << 13) - 1;

/** The partition region number of a cell (resolution ≥ 2) given by its 64-bit value. */
export const regionNumberOf = (value: bigint): number => Number((value >> BigInt(REGION_NUMBER_SHIFT)) & BigInt(REGION_NUMBER_MASK));

/**
 * A resolution-6 ancestor by number, whatever the resolution (6 or finer) of the cell it is taken
 * from: base cell and digits 1–6, `(value >> 27) & (2²⁵ − 1)`. Its partition region is its top 13 bits.
 */
export const ANCESTOR_NUMBER_MASK = (1 << 25) - 1;
export const ancestorNumberOf = (value: bigint): number => Number((value >> BigInt(regionShift(6))) & BigInt(ANCESTOR_NUMBER_MASK));
export const regionOfAncestor = (ancestor: number): number => ancestor >> (25 - 13);

/**
 * The key of a resolution-9 cell's value shifted down to `bits` bits of number: above the number
 * sit its resolution, 9 (bit 52 of the value), and mode 1, a cell (bit 59): H3 index layout.
 */
const res9Key = (number: number, bits: number) => (1n << BigInt(bits + 7)) | (9n << BigInt(bits)) | BigInt(number);

/** The value range [lo, hi) of the resolution-9 cells of partition region `number`. */
export function res9RangeOfRegion(number: number): { lo: bigint; hi: bigint } {
	const key = res9Key(number, 13);
	return regionRange(key, key, PARTITION_RESOLUTION);
}

/** The value ranges [lo, hi) of the resolution-9 cells of the resolution-6 ancestors `numbers` (sorted), consecutive ones merged. */
export function res9RangesOfAncestors(numbers: readonly number[]): { lo: bigint; hi: bigint }[] {
	return runsOfConsecutive(numbers).map(([first, last]) => regionRange(res9Key(first, 25), res9Key(last, 25), 6));
}

/** Runs [first, last] of consecutive integers in sorted `numbers`. */
function runsOfConsecutive(numbers: readonly number[]): [number, number][] {
	const runs: [number, number][] = [];
	for (const n of numbers) {
		const last = runs[runs.length - 1];
		if (last && n === last[1] + 1) last[1] = n;
		else runs.push([n, n]);
	}
	return runs;
}

/** Spacing of the points taken along an area's edges (~0.55 km), and the disk of resolution-7 cells kept around each. */
const EDGE_STEP_DEG = 0.005;
const EDGE_DISK = 2;

/**
 * The resolution-6 ancestors (~36 km²) an area touches, by number, sorted: those of its
 * resolution-7 cells (~5 km², centre inside) and of every resolution-7 cell within two rings of a
 * point along its edges. A point inside the area is either a cell's width (~2.4 km) from the edge,
 * so its cell's centre is inside too, or within ~2.7 km of an edge point, which two rings (~4 km)
 * cover: no part of the area is left out; a few ancestors outside come along.
 */
export function ancestorsOfArea(geometry: AreaGeometry): number[] {
	const cells = addCellsOfArea(geometry, 7);
	const polygons = (geometry.type === 'MultiPolygon' ? geometry.coordinates : [geometry.coordinates]) as number[][][][];
	for (const polygon of polygons) {
		for (const ring of polygon) {
			for (let i = 0; i + 1 < ring.length; i++) {
				const [[x0, y0], [x1, y1]] = [ring[i], ring[i + 1]];
				const steps = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0) / EDGE_STEP_DEG));
				for (let k = 0; k <= steps; k++) for (const c of gridDisk(cellOfPosition([x0 + ((x1 - x0) * k) / steps, y0 + ((y1 - y0) * k) / steps], 7), EDGE_DISK)) cells.add(c);
			}
		}
	}
	return [...new Set([...cells].map((c) => ancestorNumberOf(BigInt(`0x${c}`))))].sort((a, b) => a - b);
}
