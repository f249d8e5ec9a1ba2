/**
 * The maximal covering location problem (Church & ReVelle, 1974) as the solver sees it: demand
 * points with weights (households), candidate sites with a cost and the demand each would cover;
 * choose new sites under a count `p` and/or a budget to maximise the weight covered. Sites marked
 * existing are always open. Everything is by index, in typed arrays: instances reach 100,000
 * demand points × 5,000 candidates.
 */

export interface CoverProblem {
	/** Weight of each demand point (≥ 0). */
	weights: Float64Array;
	/** Cost of each candidate (≥ 0). */
	costs: Float64Array;
	/** The demand indices each candidate covers (ascending, no repeats). */
	covers: Int32Array[];
	/** 1 where the candidate is an existing site: always open, counted against neither p nor the budget. */
	existing: Uint8Array;
	/** At most this many new sites, or null for no limit. */
	maxSites: number | null;
	/** At most this total cost of new sites, or null for no limit. */
	budget: number | null;
}

/**
 * The problem the search works on: demand the existing sites already cover taken out (its weight
 * in `baseWeight`), demand nobody can cover dropped, demand with identical candidate sets merged,
 * candidates that cover nothing, cost more than the budget or are dominated (another covers at
 * least the same for no more) left out. An optimum of it, mapped back, is an optimum of the whole.
 */
export interface ReducedProblem {
	weights: Float64Array;
	costs: Float64Array;
	covers: Int32Array[];
	/** The candidates covering each demand point (the inverse of `covers`). */
	coveredBy: Int32Array[];
	maxSites: number | null;
	budget: number | null;
	/** Weight covered by existing sites. */
	baseWeight: number;
	/** All demand weight of the original problem. */
	totalWeight: number;
	/** The original index of each kept candidate. */
	candidateOf: Int32Array;
}

/** The candidates covering each demand point, from the candidates' cover lists. */
export function invertCovers(covers: readonly Int32Array[], demandCount: number): Int32Array[] {
	const counts = new Int32Array(demandCount);
	for (const list of covers) for (let k = 0; k < list.length; k++) counts[list[k]]++;
	const out = Array.from({ length: demandCount }, (_, d) => new Int32Array(counts[d]));
	counts.fill(0);
	covers.forEach((list, c) => {
		for (let k = 0; k < list.length; k++) {
			const d = list[k];
			out[d][counts[d]++] = c;
		}
	});
	return out;
}

/** Past this many (demand, candidate, candidate) steps the dominance check is skipped: it only prunes. */
const DOMINANCE_WORK_LIMIT = 30_000_000;

export function reduceProblem(problem: CoverProblem): ReducedProblem {
	const { weights, costs, covers, existing, budget } = problem;
	const n = weights.length;
	const m = costs.length;
	let totalWeight = 0;
	for (let d = 0; d < n; d++) totalWeight += weights[d];

	// Demand the existing sites cover counts at once and leaves the problem.
	const coveredByExisting = new Uint8Array(n);
	for (let c = 0; c < m; c++) if (existing[c]) for (const d of covers[c]) coveredByExisting[d] = 1;
	let baseWeight = 0;
	for (let d = 0; d < n; d++) if (coveredByExisting[d]) baseWeight += weights[d];

	// Candidates that could be chosen at all.
	const usable: number[] = [];
	for (let c = 0; c < m; c++) if (!existing[c] && (budget === null || costs[c] <= budget) && covers[c].length > 0) usable.push(c);

	// Merge demand by its set of usable candidates (demand with the same set is one point).
	// Each demand point's usable candidates, ascending, as views of one array (no per-point arrays).
	const live = (d: number) => !coveredByExisting[d] && weights[d] > 0;
	const offsets = new Int32Array(n + 1);
	for (const c of usable) for (const d of covers[c]) if (live(d)) offsets[d + 1]++;
	for (let d = 0; d < n; d++) offsets[d + 1] += offsets[d];
	const flat = new Int32Array(offsets[n]);
	const fill = offsets.slice(0, n);
	for (const c of usable) for (const d of covers[c]) if (live(d)) flat[fill[d]++] = c;
	const candidatesOfDemand = (d: number) => flat.subarray(offsets[d], offsets[d + 1]);
	// Keyed by a hash of the list in an open-addressing table of typed arrays (a Map of boxed keys
	// and per-point closures costs ~5× more here); lists compared in full on a hash match.
	const mask = (1 << Math.ceil(Math.log2(2 * n + 2))) - 1;
	const table = new Int32Array(mask + 1).fill(-1);
	const groupHash = new Int32Array(n);
	const groupWeights = new Float64Array(n);
	const groupCandidates: Int32Array[] = [];
	const sameList = (a: Int32Array, b: Int32Array) => {
		if (a.length !== b.length) return false;
		for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
		return true;
	};
	for (let d = 0; d < n; d++) {
		const list = candidatesOfDemand(d);
		if (list.length === 0) continue;
		let h1 = 0x811c9dc5 ^ list.length;
		let h2 = 0x01000193;
		for (let k = 0; k < list.length; k++) {
			h1 = Math.imul(h1 ^ list[k], 0x01000193);
			h2 = Math.imul(h2 ^ (list[k] + 0x9e3779b9), 0x85ebca6b);
		}
		let slot = (h1 ^ (h1 >>> 16)) & mask;
		let g = table[slot];
		while (g !== -1 && !(groupHash[g] === h2 && sameList(groupCandidates[g], list))) {
			slot = (slot + 1) & mask;
			g = table[slot];
		}
		if (g === -1) {
			g = groupCandidates.length;
			table[slot] = g;
			groupHash[g] = h2;
			groupCandidates.push(list);
		}
		groupWeights[g] += weights[d];
	}
	const merged: number[][] = Array.from({ length: m }, () => []);
	groupCandidates.forEach((list, g) => list.forEach((c) => merged[c].push(g)));

	// Dominated candidates: another covers a superset for no more cost (ties: the lower index stays).
	const dominated = new Uint8Array(m);
	let work = 0;
	for (const list of groupCandidates) work += list.length * list.length;
	if (work <= DOMINANCE_WORK_LIMIT) {
		const seen = new Int32Array(m);
		for (const a of usable) {
			const mine = merged[a];
			if (mine.length === 0) continue;
			const touched: number[] = [];
			for (const g of mine)
				for (const b of groupCandidates[g]) {
					if (b === a || dominated[b]) continue;
					if (seen[b]++ === 0) touched.push(b);
				}
			for (const b of touched) {
				if (seen[b] === mine.length && (costs[b] < costs[a] || (costs[b] === costs[a] && (merged[b].length > mine.length || b < a)))) dominated[a] = 1;
				seen[b] = 0;
			}
		}
	}
	const kept = usable.filter((c) => !dominated[c] && merged[c].length > 0);
	const covers2 = kept.map((c) => Int32Array.from(merged[c]));
	const weights2 = groupWeights.slice(0, groupCandidates.length);
	return {
		weights: weights2,
		costs: Float64Array.from(kept.map((c) => costs[c])),
		covers: covers2,
		coveredBy: invertCovers(covers2, weights2.length),
		maxSites: problem.maxSites,
		budget,
		baseWeight,
		totalWeight,
		candidateOf: Int32Array.from(kept)
	};
}

/** The weight the chosen candidates (indices of `covers`) cover together. */
export function coveredWeight(weights: Float64Array, covers: readonly Int32Array[], chosen: Iterable<number>): number {
	const hit = new Uint8Array(weights.length);
	let sum = 0;
	for (const c of chosen)
		for (const d of covers[c])
			if (!hit[d]) {
				hit[d] = 1;
				sum += weights[d];
			}
	return sum;
}
