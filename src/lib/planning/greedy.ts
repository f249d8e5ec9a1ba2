import type { ReducedProblem } from './problem';

/**
 * Greedy with lazy evaluation (Minoux, 1978): a candidate's gain only falls as sites open
 * (coverage is submodular), so a gain computed earlier is an upper bound and only the top of a
 * max-heap needs recomputing. Under a count p it picks the largest gain (within 1 − 1/e of the
 * optimum, Nemhauser, Wolsey & Fisher 1978); under a budget, the largest gain per cost and the
 * largest gain alone are both run and the better kept (Khuller, Moss & Naor 1999).
 */

export interface Selection {
	/** Chosen candidates (indices of the reduced problem), in the order chosen. */
	chosen: number[];
	/** Weight they cover (without the existing sites' base). */
	covered: number;
	cost: number;
}

/** A max-heap of candidate indices keyed by a score array. */
class MaxHeap {
	private items: number[] = [];
	constructor(private readonly score: Float64Array) {}
	get size() {
		return this.items.length;
	}
	push(i: number) {
		const a = this.items;
		a.push(i);
		let k = a.length - 1;
		while (k > 0) {
			const parent = (k - 1) >> 1;
			if (this.better(a[parent], a[k])) break;
			[a[parent], a[k]] = [a[k], a[parent]];
			k = parent;
		}
	}
	peek(): number {
		return this.items[0];
	}
	pop(): number {
		const a = this.items;
		const top = a[0];
		const last = a.pop()!;
		if (a.length > 0) {
			a[0] = last;
			this.siftDown(0);
		}
		return top;
	}
	/** The top's score changed (it only falls): restore the order. */
	update() {
		this.siftDown(0);
	}
	private siftDown(k: number) {
		const a = this.items;
		for (;;) {
			const l = 2 * k + 1;
			const r = l + 1;
			let best = k;
			if (l < a.length && this.better(a[l], a[best])) best = l;
			if (r < a.length && this.better(a[r], a[best])) best = r;
			if (best === k) return;
			[a[best], a[k]] = [a[k], a[best]];
			k = best;
		}
	}
	/** Higher score first; equal scores by lower index, so runs are deterministic. */
	private better(i: number, j: number) {
		return this.score[i] > this.score[j] || (this.score[i] === this.score[j] && i < j);
	}
}

/** One greedy pass: `byRatio` ranks by gain per cost (a free site ranks first), else by gain. */
function greedyPass(p: ReducedProblem, byRatio: boolean, start: readonly number[] = []): Selection {
	const { weights, costs, covers } = p;
	const m = costs.length;
	const covered = new Uint8Array(weights.length);
	const gain = new Float64Array(m);
	const score = new Float64Array(m);
	const open = new Uint8Array(m);
	const chosen: number[] = [];
	let coveredWeight = 0;
	let cost = 0;
	const take = (c: number) => {
		open[c] = 1;
		chosen.push(c);
		cost += costs[c];
		for (const d of covers[c])
			if (!covered[d]) {
				covered[d] = 1;
				coveredWeight += weights[d];
			}
	};
	for (const c of start) take(c);
	const limit = p.maxSites ?? Infinity;
	const scoreOf = (c: number) => (byRatio ? (costs[c] > 0 ? gain[c] / costs[c] : gain[c] > 0 ? Infinity : 0) : gain[c]);
	const heap = new MaxHeap(score);
	for (let c = 0; c < m; c++) {
		if (open[c]) continue;
		let g = 0;
		for (const d of covers[c]) if (!covered[d]) g += weights[d];
		gain[c] = g;
		score[c] = scoreOf(c);
		if (g > 0) heap.push(c);
	}
	while (chosen.length < limit && heap.size > 0) {
		const c = heap.peek();
		if (p.budget !== null && cost + costs[c] > p.budget + 1e-9) {
			heap.pop();
			continue;
		}
		// Recompute the top's gain; if it is still the best, take it.
		let g = 0;
		for (const d of covers[c]) if (!covered[d]) g += weights[d];
		if (g <= 0) {
			heap.pop();
			continue;
		}
		if (g < gain[c]) {
			gain[c] = g;
			score[c] = scoreOf(c);
			heap.update();
			if (heap.peek() !== c) continue;
		}
		heap.pop();
		take(c);
	}
	return { chosen, covered: coveredWeight, cost };
}

/** Plain greedy under the problem's count and budget; under a budget the better of ratio and gain. */
export function greedy(p: ReducedProblem, start: readonly number[] = []): Selection {
	const byGain = greedyPass(p, false, start);
	if (p.budget === null) return byGain;
	const byRatio = greedyPass(p, true, start);
	return byRatio.covered > byGain.covered ? byRatio : byGain;
}

/** The chosen sites ordered by marginal gain: each next the one that adds most to those before it. */
export function orderByMarginalGain(p: ReducedProblem, chosen: readonly number[]): number[] {
	const restricted: ReducedProblem = { ...p, covers: chosen.map((c) => p.covers[c]), costs: Float64Array.from(chosen.map((c) => p.costs[c])), maxSites: null, budget: null };
	const order = greedyPass(restricted, false).chosen.map((i) => chosen[i]);
	// Sites that add nothing (all they cover is covered by the others) go last, in their given order.
	return [...order, ...chosen.filter((c) => !order.includes(c))];
}
