import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { greedy } from './greedy';
import { coveredWeight, reduceProblem, type CoverProblem } from './problem';
import { solveMclp } from './solve';

/** A problem from plain arrays. */
const problemOf = (weights: number[], covers: number[][], o: { costs?: number[]; existing?: number[]; p?: number | null; budget?: number | null } = {}): CoverProblem => ({
	weights: Float64Array.from(weights),
	costs: Float64Array.from(o.costs ?? covers.map(() => 1)),
	covers: covers.map((c) => Int32Array.from([...new Set(c)].sort((a, b) => a - b))),
	existing: Uint8Array.from(covers.map((_, i) => ((o.existing ?? []).includes(i) ? 1 : 0))),
	maxSites: o.p === undefined ? null : o.p,
	budget: o.budget ?? null
});

/** The best covered weight over every feasible choice (existing sites always open). */
function bruteForce(p: CoverProblem): number {
	const m = p.costs.length;
	const always = [...Array(m).keys()].filter((c) => p.existing[c]);
	let best = 0;
	for (let mask = 0; mask < 1 << m; mask++) {
		const chosen = [...Array(m).keys()].filter((c) => mask & (1 << c) && !p.existing[c]);
		if (chosen.length !== [...Array(m).keys()].filter((c) => mask & (1 << c)).length) continue;
		if (p.maxSites !== null && chosen.length > p.maxSites) continue;
		if (p.budget !== null && chosen.reduce((s, c) => s + p.costs[c], 0) > p.budget + 1e-9) continue;
		best = Math.max(best, coveredWeight(p.weights, p.covers, [...always, ...chosen]));
	}
	return best;
}

describe('solveMclp on hand-computable instances', () => {
	it.each([
		{
			// Greedy takes the big middle site (6) and then 2 → 8; the optimum is the two side sites (5 + 5).
			name: 'greedy is fooled, the swap finds the optimum',
			problem: problemOf([1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [2, 3, 4, 5, 6, 7]], { p: 2 }),
			covered: 10,
			greedyCovered: 8
		},
		{ name: 'p = 1 picks the heaviest cover', problem: problemOf([5, 1, 1, 1], [[0], [1, 2, 3]], { p: 1 }), covered: 5, greedyCovered: 5 },
		{
			// Budget 3: the cheap pair (cost 1 + 2, weight 4 + 4) beats the one expensive site (cost 3, weight 7).
			name: 'a budget',
			problem: problemOf([4, 4, 7], [[0], [1], [2]], { costs: [1, 2, 3], budget: 3 }),
			covered: 8,
			greedyCovered: 8
		},
		{
			// The existing site covers demand 0 (weight 9) already: the new site goes to demand 2.
			name: 'an existing site',
			problem: problemOf([9, 1, 3], [[0, 1], [0], [2]], { existing: [0], p: 1 }),
			covered: 13,
			greedyCovered: 13
		}
	])('$name', async ({ problem, covered, greedyCovered }) => {
		const result = await solveMclp(problem, { timeLimitS: 5 });
		expect(result.coveredWeight).toBe(covered);
		expect(result.coveredWeight).toBe(bruteForce(problem));
		expect(result.greedyWeight).toBe(greedyCovered);
		expect(result.upperBound).toBeGreaterThanOrEqual(covered - 1e-9);
		expect(result.gap).toBeLessThan(0.2);
	});

	it('orders the chosen sites by marginal gain and never reports an existing site', async () => {
		const problem = problemOf([1, 1, 1, 1, 1, 1, 1, 1], [[0, 1, 2], [3, 4, 5, 6, 7], [0, 1], [0]], { existing: [3], p: 2 });
		const result = await solveMclp(problem);
		expect(result.selected).toEqual([1, 0]);
		expect(result.coveredWeight).toBe(8);
		expect(result.upperBound).toBe(8);
		expect(result.gap).toBe(0);
	});

	it('refuses a problem without p and budget', async () => {
		await expect(solveMclp(problemOf([1], [[0]]))).rejects.toThrow(/p and budget/);
	});

	it('exact mode proves the optimum (HiGHS) where the heuristic leaves a gap', async () => {
		const problem = problemOf([3, 3, 3, 2, 2, 2, 1], [[0, 1, 3], [1, 2, 4], [0, 2, 5], [3, 4, 5, 6], [6]], { p: 2 });
		const result = await solveMclp(problem, { exact: true, timeLimitS: 10 });
		expect(result.coveredWeight).toBe(bruteForce(problem));
		expect(result.upperBound).toBeCloseTo(result.coveredWeight, 6);
		expect(result.gap).toBeCloseTo(0, 9);
	});
});

describe('reduceProblem', () => {
	it('merges demand with the same candidates, drops dominated and useless candidates, counts existing cover apart', () => {
		const p = problemOf([1, 2, 3, 4, 5], [[0, 1], [0, 1, 2], [2], [3], []], { existing: [3], p: 2 });
		const r = reduceProblem(p);
		expect(r.baseWeight).toBe(4);
		expect(r.totalWeight).toBe(15);
		// Candidate 0 ⊂ 1 and 2 ⊂ 1 (same cost): only 1 is kept; 4 covers nothing; 3 is existing.
		expect([...r.candidateOf]).toEqual([1]);
		// Demand 0 and 1 have the same candidates {0, 1} and merge; 2 ({1, 2}) stays apart; 4 nobody covers.
		expect([...r.weights].sort()).toEqual([3, 3]);
	});

	it('keeps a dominated candidate that is cheaper', () => {
		const r = reduceProblem(problemOf([1, 1], [[0], [0, 1]], { costs: [1, 5], budget: 5 }));
		expect([...r.candidateOf]).toEqual([0, 1]);
	});
});

/** Small random instances: weights, cover sets, costs, existing sites, p and/or a budget. */
const smallProblem = fc
	.record({
		n: fc.integer({ min: 1, max: 12 }),
		m: fc.integer({ min: 1, max: 8 })
	})
	.chain(({ n, m }) =>
		fc.record({
			weights: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: n, maxLength: n }),
			covers: fc.array(fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: n }), { minLength: m, maxLength: m }),
			costs: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: m, maxLength: m }),
			existing: fc.uniqueArray(fc.integer({ min: 0, max: m - 1 }), { maxLength: 2 }),
			p: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }),
			budget: fc.option(fc.integer({ min: 0, max: 10 }), { nil: null })
		})
	)
	.filter((x) => x.p !== null || x.budget !== null)
	.map((x) => problemOf(x.weights, x.covers, x));

describe('solveMclp properties (fast-check)', () => {
	it('covers no more than its bound and no less than greedy, within p and budget, never an existing site; the bound is ≥ the true optimum', async () => {
		await fc.assert(
			fc.asyncProperty(smallProblem, async (p) => {
				const result = await solveMclp(p, { timeLimitS: 2 });
				const optimum = bruteForce(p);
				const plain = reduceProblem(p);
				const greedyWeight = plain.baseWeight + greedy(plain).covered;
				const cost = result.selected.reduce((s, c) => s + p.costs[c], 0);
				const always = [...p.existing.keys()].filter((c) => p.existing[c]);
				return (
					result.coveredWeight <= result.upperBound + 1e-6 &&
					result.upperBound >= optimum - 1e-6 &&
					result.coveredWeight <= optimum + 1e-6 &&
					result.coveredWeight >= greedyWeight - 1e-6 &&
					(p.maxSites === null || result.selected.length <= p.maxSites) &&
					(p.budget === null || cost <= p.budget + 1e-9) &&
					result.selected.every((c) => !p.existing[c]) &&
					Math.abs(coveredWeight(p.weights, p.covers, [...always, ...result.selected]) - result.coveredWeight) < 1e-6
				);
			}),
			{ numRuns: 150, seed: 20261206 }
		);
	});

	it('exact mode finds the optimum, and adding a candidate never lowers it', async () => {
		await fc.assert(
			fc.asyncProperty(smallProblem, fc.uniqueArray(fc.integer({ min: 0, max: 11 }), { maxLength: 6 }), async (p, extraCover) => {
				const exact = await solveMclp(p, { exact: true, timeLimitS: 5 });
				const n = p.weights.length;
				const more: CoverProblem = {
					...p,
					costs: Float64Array.from([...p.costs, 1]),
					covers: [...p.covers, Int32Array.from(extraCover.filter((d) => d < n).sort((a, b) => a - b))],
					existing: Uint8Array.from([...p.existing, 0])
				};
				const exactMore = await solveMclp(more, { exact: true, timeLimitS: 5 });
				return Math.abs(exact.coveredWeight - bruteForce(p)) < 1e-6 && exactMore.coveredWeight >= exact.coveredWeight - 1e-6;
			}),
			{ numRuns: 40, seed: 7 }
		);
	});
});
