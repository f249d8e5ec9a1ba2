/**
 * Calibrating predictions against what residents measure: per group (operator × technology ×
 * settlement), fit a correction to the predicted level by least squares —
 *   measured ≈ predicted + offset                       (offset only), or
 *   measured ≈ predicted + offset + slope · log₁₀ d     (where the distances spread enough)
 * — on 80 % of the cells and report mean error, RMSE and count before and after on the other
 * 20 %, held back by a hash of the cell id (so the split is the same every run and for every
 * group). DOMAIN.md: a tuned COST-231 reaches RMSE 5.5–10.8 dB in published drive tests;
 * practitioners accept under about 7 dB.
 */

/** One cell where both a confident measurement and a prediction exist. */
export interface CalibrationPoint {
	cell: string;
	group: string;
	measuredDbm: number;
	predictedDbm: number;
	/** Distance to the best-server site, km (for the slope). */
	distanceKm: number;
}

/** A group's correction: add offset + slope · log₁₀ d (dB) to a prediction. */
export interface Correction {
	offsetDb: number;
	slopeDbPerDecade: number;
}

/** Error figures of a set of cells. */
export interface ErrorStats {
	count: number;
	/** Mean of predicted − measured, dB (positive: predictions too optimistic). */
	meanErrorDb: number;
	rmseDb: number;
}

export interface GroupCalibration {
	group: string;
	correction: Correction;
	fitted: number;
	before: ErrorStats;
	after: ErrorStats;
}

/** Fewest fitting cells for an offset; a slope also needs distances spread over this many decades. */
export const MIN_FIT_CELLS = 10;
export const MIN_LOG_DISTANCE_SPREAD = 0.3;

/** Whether a cell is held back for evaluation: FNV-1a of its id, 1 in 5. */
export function isHeldBack(cell: string): boolean {
	let h = 0x811c9dc5;
	for (let i = 0; i < cell.length; i++) h = Math.imul(h ^ cell.charCodeAt(i), 0x01000193) >>> 0;
	return h % 5 === 0;
}

export const applyCorrection = (c: Correction, predictedDbm: number, distanceKm: number) => predictedDbm + c.offsetDb + c.slopeDbPerDecade * Math.log10(Math.max(distanceKm, 0.1));

export function errorStats(points: readonly CalibrationPoint[], c: Correction = { offsetDb: 0, slopeDbPerDecade: 0 }): ErrorStats {
	if (points.length === 0) return { count: 0, meanErrorDb: 0, rmseDb: 0 };
	let sum = 0;
	let sq = 0;
	for (const p of points) {
		const e = applyCorrection(c, p.predictedDbm, p.distanceKm) - p.measuredDbm;
		sum += e;
		sq += e * e;
	}
	return { count: points.length, meanErrorDb: sum / points.length, rmseDb: Math.sqrt(sq / points.length) };
}

/**
 * The least-squares correction of residuals r = measured − predicted: the mean (offset only), or
 * the line r = a + b·x over x = log₁₀ d when x spreads enough.
 */
export function fitCorrection(points: readonly CalibrationPoint[]): Correction {
	const n = points.length;
	if (n === 0) return { offsetDb: 0, slopeDbPerDecade: 0 };
	const xs = points.map((p) => Math.log10(Math.max(p.distanceKm, 0.1)));
	const rs = points.map((p) => p.measuredDbm - p.predictedDbm);
	const mx = xs.reduce((a, b) => a + b, 0) / n;
	const mr = rs.reduce((a, b) => a + b, 0) / n;
	const spread = Math.max(...xs) - Math.min(...xs);
	if (spread < MIN_LOG_DISTANCE_SPREAD) return { offsetDb: mr, slopeDbPerDecade: 0 };
	let sxx = 0;
	let sxr = 0;
	for (let i = 0; i < n; i++) (sxx += (xs[i] - mx) ** 2), (sxr += (xs[i] - mx) * (rs[i] - mr));
	const slope = sxr / sxx;
	return { offsetDb: mr - slope * mx, slopeDbPerDecade: slope };
}

/** Calibrates every group with enough cells; groups with fewer keep no correction (and say so by `fitted`). */
export function calibrate(points: readonly CalibrationPoint[]): GroupCalibration[] {
	const byGroup = new Map<string, CalibrationPoint[]>();
	for (const p of points) {
		let list = byGroup.get(p.group);
		if (!list) byGroup.set(p.group, (list = []));
		list.push(p);
	}
	return [...byGroup]
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
		.map(([group, list]) => {
			const fit = list.filter((p) => !isHeldBack(p.cell));
			const held = list.filter((p) => isHeldBack(p.cell));
			const correction = fit.length >= MIN_FIT_CELLS ? fitCorrection(fit) : { offsetDb: 0, slopeDbPerDecade: 0 };
			return { group, correction, fitted: fit.length, before: errorStats(held), after: errorStats(held, correction) };
		});
}
