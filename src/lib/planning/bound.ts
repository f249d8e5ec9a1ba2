import type { ReducedProblem } from './problem';

/**
 * An upper bound on the weight any choice of sites can cover, by Lagrangian relaxation of the
 * coverage constraints y_d ≤ Σ_{j covers d} x_j with multipliers 0 ≤ λ_d ≤ w_d (Galvão & ReVelle,
 * 1996):  L(λ) = Σ_d (w_d − λ_d) + max { Σ_j x_j Σ_{d ∈ N(j)} λ_d : x within the count and budget },
 * where the inner problem is the p largest values under a count, and the fractional knapsack (its
 * LP relaxation, still a bound) under a budget; with both, the smaller of the two. Every L(λ) is a
 * valid bound; subgradient steps (Held, Wolfe & Crowder, 1974; Polyak step towards the best known
 * solution) lower it. Returns the best bound found, never below `lowerBound`. `deadline` is a
 * `performance.now()` reading.
 */
export function lagrangianBound(
	p: ReducedProblem,
	lowerBound: number,
	{ deadline = Infinity, maxIterations = 400 }: { deadline?: number; maxIterations?: number } = {}
): { bound: number; iterations: number } {
	const { weights, costs } = p;
	// Flat (CSR) copies of the two incidence lists: each step walks every (site, demand) pair twice.
	const covers = flatten(p.covers);
	const coveredBy = flatten(p.coveredBy);
	const n = weights.length;
	const m = costs.length;
	let all = 0;
	for (let d = 0; d < n; d++) all += weights[d];
	if (m === 0 || n === 0) return { bound: Math.max(lowerBound, 0), iterations: 0 };
	const lambda = Float64Array.from(weights);
	const value = new Float64Array(m);
	const x = new Float64Array(m);
	const g = new Float64Array(n);
	const byCount = p.maxSites ?? Infinity;
	const byRatio = [...Array(m).keys()];
	let best = all;
	let mu = 2;
	let sinceImproved = 0;
	let iterations = 0;

	/** The inner problem's value with x filled, for the count or the budget (the smaller when both). */
	const inner = (): number => {
		const ranked = byRatio.filter((j) => value[j] > 0);
		let countValue = Infinity;
		let countX: Float64Array | null = null;
		if (Number.isFinite(byCount)) {
			ranked.sort((a, b) => value[b] - value[a]);
			countX = new Float64Array(m);
			countValue = 0;
			for (let i = 0; i < Math.min(byCount, ranked.length); i++) {
				countValue += value[ranked[i]];
				countX[ranked[i]] = 1;
			}
		}
		let budgetValue = Infinity;
		let budgetX: Float64Array | null = null;
		if (p.budget !== null) {
			const ratio = (j: number) => (costs[j] > 0 ? value[j] / costs[j] : Infinity);
			ranked.sort((a, b) => ratio(b) - ratio(a));
			budgetX = new Float64Array(m);
			budgetValue = 0;
			let left = p.budget;
			for (const j of ranked) {
				if (costs[j] <= left) {
					budgetX[j] = 1;
					budgetValue += value[j];
					left -= costs[j];
				} else {
					budgetX[j] = left / costs[j];
					budgetValue += value[j] * budgetX[j];
					break;
				}
			}
		}
		if (countX === null && budgetX === null) {
			// Neither limit: every site may open.
			x.fill(0);
			let v = 0;
			for (const j of ranked) {
				x[j] = 1;
				v += value[j];
			}
			return v;
		}
		x.set(countValue <= budgetValue ? countX! : budgetX!);
		return Math.min(countValue, budgetValue);
	};

	while (iterations < maxIterations && performance.now() <= deadline) {
		iterations++;
		for (let j = 0; j < m; j++) {
			let v = 0;
			for (let k = covers.start[j], end = covers.start[j + 1]; k < end; k++) v += lambda[covers.index[k]];
			value[j] = v;
		}
		let L = inner();
		for (let d = 0; d < n; d++) L += weights[d] - lambda[d];
		if (L < best - 1e-9 * Math.max(1, best)) {
			best = L;
			sinceImproved = 0;
		} else if (++sinceImproved >= 15) {
			mu /= 2;
			sinceImproved = 0;
		}
		if (best - lowerBound <= 1e-7 * Math.max(1, best) || mu < 1e-4) break;
		// Subgradient: how many chosen sites cover d, less y_d (1 where w_d − λ_d > 0).
		let norm = 0;
		for (let d = 0; d < n; d++) {
			let s = 0;
			for (let k = coveredBy.start[d], end = coveredBy.start[d + 1]; k < end; k++) s += x[coveredBy.index[k]];
			g[d] = s - (weights[d] - lambda[d] > 1e-12 ? 1 : 0);
			norm += g[d] * g[d];
		}
		if (norm === 0) break;
		const step = (mu * (L - lowerBound)) / norm;
		for (let d = 0; d < n; d++) lambda[d] = Math.min(weights[d], Math.max(0, lambda[d] - step * g[d]));
	}
	return { bound: Math.max(best, lowerBound), iterations };
}

/** Lists as one index array and the offsets of each list (compressed sparse rows). */
function flatten(lists: readonly Int32Array[]): { start: Int32Array; index: Int32Array } {
	const start = new Int32Array(lists.length + 1);
	for (let i = 0; i < lists.length; i++) start[i + 1] = start[i] + lists[i].length;
	const index = new Int32Array(start[lists.length]);
	lists.forEach((list, i) => index.set(list, start[i]));
	return { start, index };
}
