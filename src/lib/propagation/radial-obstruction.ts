import { EARTH_RADIUS_M, K_FACTOR, knifeEdgeLoss, wavelengthM } from './knife-edge';
import type { RadialSweep } from './terrain';

/**
 * The terrain obstruction of src/lib/propagation/knife-edge.ts (`terrainObstructionLoss`: Deygout
 * over the real profile minus Deygout over the smooth slope), computed for a site's many cells
 * without allocating: profiles are prefixes of the site's radial sweep, read in place. Deygout's
 * choice of edges does not depend on the frequency — v = h √(2 (d1 + d2) / (λ d1 d2)) scales every
 * edge by the same 1/√λ — so the edges are found once per path and priced per band. Tests hold this
 * to knife-edge.ts's reference on random profiles.
 */

/** Geometric v (λ = 1 m) of Deygout's main edge and its two side edges, real ground then smooth: six numbers per path. */
export const EDGES_PER_PATH = 6;

/** Gap-free rows (a gap takes the sample before it; the site's own sample 0 if the DEM has none there). */
export function filledRows(sweep: RadialSweep): Float64Array[] {
	return sweep.ground.map((row) => {
		const out = new Float64Array(row.length);
		let previous = Number.isNaN(row[0]) ? 0 : row[0];
		for (let k = 0; k < row.length; k++) previous = out[k] = Number.isNaN(row[k]) ? previous : row[k];
		return out;
	});
}

/**
 * The three edges' geometric v of one profile in `h` (heights with the bulge, n points at `d`),
 * antennas `tx` and `rx` above the reference at the ends, into `out` at `at`.
 */
function deygoutEdges(d: Float64Array, h: Float64Array, n: number, tx: number, rx: number, out: Float64Array, at: number): void {
	const main = mainEdge(d, h, 0, n - 1, tx, rx);
	out[at] = main < 0 ? -Infinity : geometricV(d, h, 0, n - 1, tx, rx, main);
	out[at + 1] = -Infinity;
	out[at + 2] = -Infinity;
	if (main < 0) return;
	const top = h[main];
	const before = mainEdge(d, h, 0, main, tx, top);
	if (before >= 0) out[at + 1] = geometricV(d, h, 0, main, tx, top, before);
	const after = mainEdge(d, h, main, n - 1, top, rx);
	if (after >= 0) out[at + 2] = geometricV(d, h, main, n - 1, top, rx, after);
}

function geometricV(d: Float64Array, h: Float64Array, from: number, to: number, hFrom: number, hTo: number, i: number): number {
	const span = d[to] - d[from];
	const d1 = d[i] - d[from];
	const d2 = span - d1;
	return (h[i] - (hFrom + ((hTo - hFrom) * d1) / span)) * Math.sqrt((2 * (d1 + d2)) / (d1 * d2));
}

/** The index of the largest v strictly between `from` and `to` (−1 if none): knife-edge.ts's mainEdge. */
function mainEdge(d: Float64Array, h: Float64Array, from: number, to: number, hFrom: number, hTo: number): number {
	const d0 = d[from];
	const span = d[to] - d0;
	const slope = (hTo - hFrom) / span;
	let best = -1;
	let bestW = -Infinity;
	for (let i = from + 1; i < to; i++) {
		const d1 = d[i] - d0;
		const d2 = span - d1;
		if (d1 <= 0 || d2 <= 0) continue;
		// v = c √(2 span / (d1 d2)) is ordered as w = c |c| / (d1 d2) = v |v| / (2 span): no root per sample.
		const c = h[i] - hFrom - slope * d1;
		const w = (c * Math.abs(c)) / (d1 * d2);
		if (best < 0 || w > bestW) (best = i), (bestW = w);
	}
	return best;
}

/** Main-edge geometric v below which no band from 100 MHz up has a loss (−0.78 · √3 m). */
const SMOOTH_NEEDED_ABOVE = -0.78 * Math.sqrt(3);

/** Scratch for {@link pathEdges}: sized for the longest profile of a sweep. */
export interface EdgeScratch {
	d: Float64Array;
	h: Float64Array;
	bulge: Float64Array;
}

export const edgeScratch = (samples: number): EdgeScratch => ({ d: new Float64Array(samples + 1), h: new Float64Array(samples + 1), bulge: new Float64Array(samples + 1) });

/**
 * The edges of the path from the site to a point `distanceM` away at `azimuthDeg` (the profile
 * `profileAlong` reads: the nearest radial's samples, and the point interpolated), real ground and
 * smooth slope, into `out` at `at` ({@link EDGES_PER_PATH} numbers).
 */
export function pathEdges(rows: Float64Array[], stepM: number, azimuthDeg: number, distanceM: number, txHeightM: number, rxHeightM: number, scratch: EdgeScratch, out: Float64Array, at: number, k = K_FACTOR): void {
	const count = rows.length;
	const row = rows[Math.round((((azimuthDeg % 360) + 360) % 360) / (360 / count)) % count];
	const last = Math.min(row.length - 1, distanceM / stepM);
	const whole = Math.floor(last);
	const { d, h } = scratch;
	let n = 0;
	for (let i = 0; i <= whole; i++) (d[n] = i * stepM), (h[n] = row[i]), n++;
	if (last > whole) (d[n] = distanceM), (h[n] = row[whole] + (row[whole + 1] - row[whole]) * (last - whole)), n++;
	for (let j = 0; j < EDGES_PER_PATH; j++) out[at + j] = -Infinity;
	if (n < 3) return;
	const total = d[n - 1];
	const g0 = h[0];
	const g1 = h[n - 1];
	// The Earth's bulge d1 d2 / (2 k a), kept in `bulges` for the smooth pass (no closure: this is hot).
	const twoKa = 2 * k * EARTH_RADIUS_M;
	const bulges = scratch.bulge;
	for (let i = 0; i < n; i++) (bulges[i] = (d[i] * (total - d[i])) / twoKa), (h[i] += bulges[i]);
	deygoutEdges(d, h, n, h[0] + txHeightM, h[n - 1] + rxHeightM, out, at);
	// The smooth slope is only subtracted from a loss: with the main edge far below the line at
	// every band from 100 MHz (v = v_geo / √λ, λ ≤ 3 m), there is none.
	if (!(out[at] > SMOOTH_NEEDED_ABOVE)) return;
	// The smooth slope between the ends' ground, with the same bulge.
	for (let i = 0; i < n; i++) h[i] = g0 + ((g1 - g0) * d[i]) / total + bulges[i];
	deygoutEdges(d, h, n, h[0] + txHeightM, h[n - 1] + rxHeightM, out, at + 3);
}

/** Deygout's loss at a band from three edges' geometric v (knife-edge.ts's deygoutLoss). */
function deygoutFromEdges(edges: Float64Array, at: number, scale: number): number {
	const main = edges[at] * scale;
	if (!(main > -0.78)) return 0;
	let loss = knifeEdgeLoss(main);
	const before = edges[at + 1] * scale;
	const after = edges[at + 2] * scale;
	if (before > -0.78) loss += knifeEdgeLoss(before);
	if (after > -0.78) loss += knifeEdgeLoss(after);
	return loss;
}

/** The obstruction loss (dB) at `freqMhz` of a path's edges: real minus smooth, at least 0. */
export function obstructionFromEdges(edges: Float64Array, at: number, freqMhz: number): number {
	const scale = 1 / Math.sqrt(wavelengthM(freqMhz));
	const actual = deygoutFromEdges(edges, at, scale);
	if (actual === 0) return 0;
	return Math.max(0, actual - deygoutFromEdges(edges, at + 3, scale));
}
