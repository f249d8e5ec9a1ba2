/**
 * Obstruction loss over terrain by knife edges.
 *
 * Single edge, ITU-R P.526-15 §4.1: with h the height of the edge above the straight line between
 * the antennas (negative below it), d1, d2 its distances to them and λ the wavelength,
 *   v = h √(2 (d1 + d2) / (λ d1 d2))                                   (eq. 26)
 *   J(v) = 6.9 + 20 log₁₀(√((v − 0.1)² + 1) + v − 0.1) dB  for v > −0.78, else 0   (eq. 31)
 * J(0) ≈ 6 dB: an edge grazing the line halves the field.
 *
 * Several edges, Deygout (J. Deygout, "Multiple knife-edge diffraction of microwaves", IEEE Trans.
 * Antennas Propag. AP-14(4), 1966; also ITU-R P.526 §4.5): the edge with the largest v over the
 * whole path is the main one; then, on each side, the edge with the largest v relative to the line
 * from the main edge to that antenna; losses add. Limited to three edges (main + one each side),
 * the usual practice: more over-estimates the loss.
 *
 * What terrain adds to an empirical model: Hata and COST-231 already include what smooth ground
 * does (the handset's own near zone grazes it), so the obstruction loss we add is Deygout over
 * the real profile minus Deygout over a smooth one — the straight slope between the two ends'
 * ground, Earth bulge included — never below 0 (the idea of ITU-R P.452's delta-Bullington
 * method). Flat ground, however long, adds nothing; a ridge adds its excess.
 *
 * Earth curvature: terrain is raised by the bulge d1 d2 / (2 k a) of an Earth of radius a = 6371 km
 * with the effective-radius factor k = 4/3 (standard atmosphere, ITU-R P.453/P.834).
 */

/** Effective-radius factor of the standard atmosphere. */
export const K_FACTOR = 4 / 3;
/** Mean Earth radius, m. */
export const EARTH_RADIUS_M = 6_371_000;
/** Speed of light, m/s. */
const C = 299_792_458;

/** The wavelength in metres of a frequency in MHz. */
export const wavelengthM = (freqMhz: number) => C / (freqMhz * 1e6);

/** The Fresnel-Kirchhoff diffraction parameter v (ITU-R P.526 eq. 26). */
export function fresnelV(clearanceM: number, d1M: number, d2M: number, lambdaM: number): number {
	return clearanceM * Math.sqrt((2 * (d1M + d2M)) / (lambdaM * d1M * d2M));
}

/** Knife-edge loss J(v) in dB (ITU-R P.526 eq. 31); 0 for v ≤ −0.78. */
export function knifeEdgeLoss(v: number): number {
	if (v <= -0.78) return 0;
	return 6.9 + 20 * Math.log10(Math.sqrt((v - 0.1) ** 2 + 1) + v - 0.1);
}

/** A terrain profile from the transmitter (index 0) to the receiver (last): distances from it and ground heights, m. */
export interface Profile {
	distanceM: ArrayLike<number>;
	groundM: ArrayLike<number>;
}

/** One diffracting edge: where it is on the profile and what it costs. */
export interface Edge {
	index: number;
	v: number;
	lossDb: number;
}

/** The Earth bulge at d1 from one end and d2 from the other (m), with the k-factor. */
export const earthBulgeM = (d1M: number, d2M: number, k = K_FACTOR) => (d1M * d2M) / (2 * k * EARTH_RADIUS_M);

/**
 * The edge with the largest v between profile points `from` and `to` (exclusive), for antennas at
 * heights `hFrom` and `hTo` (m above the reference, at those points). Null if there is no point between.
 */
function mainEdge(p: Profile, lambdaM: number, heights: Float64Array, from: number, to: number, hFrom: number, hTo: number): { index: number; v: number } | null {
	const d0 = p.distanceM[from];
	const span = p.distanceM[to] - d0;
	let best: { index: number; v: number } | null = null;
	for (let i = from + 1; i < to; i++) {
		const d1 = p.distanceM[i] - d0;
		const d2 = span - d1;
		if (d1 <= 0 || d2 <= 0) continue;
		const line = hFrom + ((hTo - hFrom) * d1) / span;
		const v = fresnelV(heights[i] - line, d1, d2, lambdaM);
		if (!best || v > best.v) best = { index: i, v };
	}
	return best;
}

/**
 * Obstruction loss of a profile by Deygout with up to three edges, for a transmitter `txHeightM`
 * above the ground at the first point and a receiver `rxHeightM` above the last. Returns the
 * total and the edges that count (v > −0.78).
 */
export function deygoutLoss(p: Profile, txHeightM: number, rxHeightM: number, freqMhz: number, k = K_FACTOR): { lossDb: number; edges: Edge[] } {
	const n = p.distanceM.length;
	if (n < 3) return { lossDb: 0, edges: [] };
	const total = p.distanceM[n - 1] - p.distanceM[0];
	const lambda = wavelengthM(freqMhz);
	// Terrain with the Earth's bulge, in one frame whose straight lines are radio paths.
	const heights = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		const d1 = p.distanceM[i] - p.distanceM[0];
		heights[i] = p.groundM[i] + earthBulgeM(d1, total - d1, k);
	}
	const tx = heights[0] + txHeightM;
	const rx = heights[n - 1] + rxHeightM;
	const edges: Edge[] = [];
	const main = mainEdge(p, lambda, heights, 0, n - 1, tx, rx);
	if (!main || main.v <= -0.78) return { lossDb: 0, edges };
	edges.push({ ...main, lossDb: knifeEdgeLoss(main.v) });
	const top = heights[main.index];
	for (const [from, to, hFrom, hTo] of [
		[0, main.index, tx, top],
		[main.index, n - 1, top, rx]
	] as const) {
		const side = mainEdge(p, lambda, heights, from, to, hFrom, hTo);
		if (side && side.v > -0.78) edges.push({ ...side, lossDb: knifeEdgeLoss(side.v) });
	}
	edges.sort((a, b) => a.index - b.index);
	return { lossDb: edges.reduce((t, e) => t + e.lossDb, 0), edges };
}

/**
 * The loss terrain adds over smooth ground between the same two ends: Deygout over `p` minus
 * Deygout over the straight slope between its end heights, at least 0.
 */
export function terrainObstructionLoss(p: Profile, txHeightM: number, rxHeightM: number, freqMhz: number, k = K_FACTOR): { lossDb: number; edges: Edge[] } {
	const n = p.distanceM.length;
	if (n < 3) return { lossDb: 0, edges: [] };
	const actual = deygoutLoss(p, txHeightM, rxHeightM, freqMhz, k);
	if (actual.lossDb === 0) return actual;
	const d0 = p.distanceM[0];
	const span = p.distanceM[n - 1] - d0;
	const g0 = p.groundM[0];
	const g1 = p.groundM[n - 1];
	const smoothGround = Float64Array.from({ length: n }, (_, i) => g0 + ((g1 - g0) * (p.distanceM[i] - d0)) / span);
	const smooth = deygoutLoss({ distanceM: p.distanceM, groundM: smoothGround }, txHeightM, rxHeightM, freqMhz, k);
	return { lossDb: Math.max(0, actual.lossDb - smooth.lossDb), edges: actual.edges };
}
