import { booleanPointInPolygon } from '@turf/turf';
import { cellToChildren, cellToLatLng, cellToParent, polygonToCellsExperimental, POLYGON_TO_CELLS_FLAGS } from 'h3-js';
import { outerRingsBbox } from '../grid/bbox';
import type { AreaGeometry } from '../grid/h3';

/**
 * Operators' declared coverage maps on the H3 grid. Pure.
 *
 * The rule is the FCC 5G Fund's (47 CFR §54.1012; ../shared/DOMAIN.md): a polygon covers an H3
 * res-11 cell when the cell's centre lies inside it, and a res-9 cell is covered when most of its
 * 49 res-11 descendants are (`declared.min_share`, default 0.5: "most"; the FCC says "a
 * substantial majority" without a figure). A coarser cell is covered when most of its res-9
 * descendants are.
 */

/** Res-11 descendants of a res-9 cell (7²). */
export const RES11_PER_RES9 = 49;

type Polygon = number[][][];

const polygonsOf = (g: AreaGeometry): Polygon[] => (g.type === 'MultiPolygon' ? (g.coordinates as Polygon[]) : [g.coordinates as Polygon]);

const bboxOf = (p: Polygon) => outerRingsBbox([p]);

/**
 * The share (0…1, in 49ths) of each res-9 cell's res-11 descendants whose centres lie inside the
 * union of `geometries`; cells with no descendant inside are left out. Cells wholly inside a
 * polygon are 1 without testing their descendants; only cells on an edge are tested centre by
 * centre.
 */
export function declaredShares(geometries: readonly AreaGeometry[]): Map<string, number> {
	const polygons = geometries.flatMap(polygonsOf).map((p) => ({ p, bbox: bboxOf(p) }));
	const shares = new Map<string, number>();
	const edge = new Set<string>();
	for (const { p } of polygons) {
		for (const cell of polygonToCellsExperimental(p, 9, POLYGON_TO_CELLS_FLAGS.containmentFull, true)) shares.set(cell, 1);
		for (const cell of polygonToCellsExperimental(p, 9, POLYGON_TO_CELLS_FLAGS.containmentOverlapping, true)) edge.add(cell);
	}
	for (const cell of edge) {
		if (shares.get(cell) === 1) continue;
		let inside = 0;
		for (const child of cellToChildren(cell, 11)) {
			const [lat, lng] = cellToLatLng(child);
			for (const { p, bbox } of polygons) {
				if (lng < bbox[0] || lng > bbox[2] || lat < bbox[1] || lat > bbox[3]) continue;
				if (booleanPointInPolygon([lng, lat], { type: 'Polygon', coordinates: p })) {
					inside++;
					break;
				}
			}
		}
		if (inside > 0) shares.set(cell, inside / RES11_PER_RES9);
	}
	return shares;
}

/** Whether a share of descendants counts as covered: strictly more than `minShare`. */
export const isDeclaredCovered = (share: number, minShare: number) => share > minShare;

/**
 * The covered cells at `res` (6–9) from res-9 shares: at res 9 those whose share passes; coarser,
 * those most of whose 7^(9−res) res-9 descendants are covered (missing ones count as not).
 */
export function declaredCoveredAt(shares: ReadonlyMap<string, number>, res: number, minShare: number): Set<string> {
	const covered = new Set<string>();
	const counts = new Map<string, number>();
	for (const [cell, share] of shares) {
		if (!isDeclaredCovered(share, minShare)) continue;
		if (res === 9) covered.add(cell);
		else {
			const parent = cellToParent(cell, res);
			counts.set(parent, (counts.get(parent) ?? 0) + 1);
		}
	}
	if (res < 9) {
		const children = 7 ** (9 - res);
		for (const [parent, n] of counts) if (isDeclaredCovered(n / children, minShare)) covered.add(parent);
	}
	return covered;
}

/** Shares as stored: the cells ascending and, per cell, its descendants inside (1…49). */
export interface PackedShares {
	cells: string[];
	inside: Uint8Array;
}

export function packShares(shares: ReadonlyMap<string, number>): PackedShares {
	const cells = [...shares.keys()].sort();
	return { cells, inside: Uint8Array.from(cells, (c) => Math.round(shares.get(c)! * RES11_PER_RES9)) };
}

export function unpackShares({ cells, inside }: PackedShares): Map<string, number> {
	const shares = new Map<string, number>();
	cells.forEach((c, i) => shares.set(c, inside[i] / RES11_PER_RES9));
	return shares;
}
