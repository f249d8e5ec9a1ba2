import { lagrangianBound } from './bound';
import { solveExact } from './exact';
import { greedy, orderByMarginalGain } from './greedy';
import { improveBySwaps } from './local-search';
import { coveredWeight, reduceProblem, type CoverProblem } from './problem';

/**
 * Solves a maximal covering problem: reduce, greedy, interchange, then a Lagrangian upper bound so
 * every answer states how far from the best possible it can be at most. With `exact`, HiGHS
 * (started from the heuristic's answer) proves optimality where it can within the time limit.
 */

export interface SolveOptions {
	/** Seconds for the whole solve (default 20). */
	timeLimitS?: number;
	/** Prove optimality with HiGHS where it can. */
	exact?: boolean;
}

export interface SolveResult {
	/** Chosen new sites (indices of the problem's candidates), ordered by marginal gain. */
	selected: number[];
	/** Weight covered, existing sites included. */
	coveredWeight: number;
	totalWeight: number;
	/** No choice of sites covers more than this (existing sites included). */
	upperBound: number;
	/** (upperBound − coveredWeight) / upperBound, 0 when both are 0. */
	gap: number;
	/** How the answer was reached. */
	method: 'greedy+swap' | 'exact';
	/** Plain greedy's covered weight, for comparison (existing sites included). */
	greedyWeight: number;
	timeMs: number;
	stats: {
		demand: number;
		candidates: number;
		reducedDemand: number;
		reducedCandidates: number;
		swapRounds: number;
		boundIterations: number;
		exactStatus?: string;
		/** Where the time went: the answer is known after reduce + greedy + swaps; the bound proves how good it is. */
		ms: { reduce: number; greedy: number; swaps: number; bound: number };
	};
}

export async function solveMclp(problem: CoverProblem, { timeLimitS = 20, exact = false }: SolveOptions = {}): Promise<SolveResult> {
	const started = performance.now();
	const deadline = started + timeLimitS * 1000;
	if (problem.maxSites === null && problem.budget === null) throw new RangeError('p and budget: at least one must be given');
	const reduced = reduceProblem(problem);
	const reducedAt = performance.now();
	const first = greedy(reduced);
	const greedyAt = performance.now();
	// The search gets the time up to 60 % of the limit; the bound what is left of the next 30 %.
	const improved = improveBySwaps(reduced, first, { deadline: started + (deadline - started) * 0.6 });
	let chosen = improved.chosen;
	let covered = coveredWeight(reduced.weights, reduced.covers, chosen);
	const searchedAt = performance.now();
	const { bound: lagrangian, iterations } = lagrangianBound(reduced, covered, { deadline: performance.now() + (deadline - performance.now()) * (exact ? 0.2 : 0.9) });
	const boundAt = performance.now();
	let bound = lagrangian;
	let method: SolveResult['method'] = 'greedy+swap';
	let exactStatus: string | undefined;
	if (exact && bound - covered > 1e-9 * Math.max(1, bound)) {
		const remainingS = Math.max(1, (deadline - performance.now()) / 1000);
		const result = await solveExact(reduced, { timeLimitS: remainingS, startWith: chosen });
		exactStatus = result.status;
		if (result.chosen) {
			const exactCovered = coveredWeight(reduced.weights, reduced.covers, result.chosen);
			if (exactCovered > covered + 1e-9) {
				chosen = result.chosen;
				covered = exactCovered;
				method = 'exact';
			}
		}
		bound = Math.max(covered, Math.min(bound, result.bound));
	}
	const coveredAll = reduced.baseWeight + covered;
	const upperBound = reduced.baseWeight + Math.max(bound, covered);
	return {
		selected: orderByMarginalGain(reduced, chosen).map((c) => reduced.candidateOf[c]),
		coveredWeight: coveredAll,
		totalWeight: reduced.totalWeight,
		upperBound,
		gap: upperBound > 0 ? Math.max(0, (upperBound - coveredAll) / upperBound) : 0,
		method,
		greedyWeight: reduced.baseWeight + first.covered,
		timeMs: Math.round(performance.now() - started),
		stats: {
			demand: problem.weights.length,
			candidates: problem.costs.length,
			reducedDemand: reduced.weights.length,
			reducedCandidates: reduced.costs.length,
			swapRounds: improved.rounds,
			boundIterations: iterations,
			exactStatus,
			ms: { reduce: reducedAt - started, greedy: greedyAt - reducedAt, swaps: searchedAt - greedyAt, bound: boundAt - searchedAt } /* fractions of a millisecond */
		}
	};
}
