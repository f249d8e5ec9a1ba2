import type { Selection } from './greedy';
import type { ReducedProblem } from './problem';

/**
 * Interchange local search (Teitz & Bart, 1968) with the bookkeeping of Whitaker's fast
 * interchange (1983; Resende & Werneck, 2004): per round, each open site's loss (weight only it
 * covers), each closed candidate's gain (weight nobody covers) and, for each pair, the weight the
 * candidate would take over from that site — from one pass over the demand covered exactly once.
 * The best improving swap (or add, where the count and budget leave room) is made until none
 * improves or the time runs out. Never worse than where it starts.
 */
/** `deadline` is a `performance.now()` reading. */
export function improveBySwaps(p: ReducedProblem, start: Selection, { deadline = Infinity }: { deadline?: number } = {}): Selection & { rounds: number } {
	const { weights, costs, covers, coveredBy } = p;
	const n = weights.length;
	const m = costs.length;
	const open = new Uint8Array(m);
	const count = new Int32Array(n);
	// Sum of the open sites covering each demand point: the site itself where exactly one does.
	const ownerSum = new Float64Array(n);
	let chosen = [...start.chosen];
	let cost = 0;
	let covered = 0;
	const openSite = (c: number) => {
		open[c] = 1;
		cost += costs[c];
		for (const d of covers[c]) {
			if (count[d]++ === 0) covered += weights[d];
			ownerSum[d] += c;
		}
	};
	const closeSite = (c: number) => {
		open[c] = 0;
		cost -= costs[c];
		for (const d of covers[c]) {
			if (--count[d] === 0) covered -= weights[d];
			ownerSum[d] -= c;
		}
	};
	for (const c of chosen) openSite(c);
	const maxSites = p.maxSites ?? Infinity;
	const budget = p.budget ?? Infinity;
	const eps = 1e-9 * Math.max(1, covered);
	let rounds = 0;
	const gain = new Float64Array(m);
	for (;;) {
		if (performance.now() > deadline) break;
		rounds++;
		const k = chosen.length;
		const position = new Int32Array(m).fill(-1);
		chosen.forEach((s, i) => (position[s] = i));
		const loss = new Float64Array(k);
		const extra = new Float64Array(m * k);
		gain.fill(0);
		for (let d = 0; d < n; d++) {
			const w = weights[d];
			if (count[d] === 0) {
				for (const c of coveredBy[d]) gain[c] += w;
			} else if (count[d] === 1) {
				const si = position[ownerSum[d]];
				loss[si] += w;
				for (const c of coveredBy[d]) if (!open[c]) extra[c * k + si] += w;
			}
		}
		let bestDelta = eps;
		let bestIn = -1;
		let bestOut = -1;
		for (let c = 0; c < m; c++) {
			if (open[c]) continue;
			if (k < maxSites && cost + costs[c] <= budget + 1e-9 && gain[c] > bestDelta) {
				bestDelta = gain[c];
				bestIn = c;
				bestOut = -1;
			}
			for (let si = 0; si < k; si++) {
				const delta = gain[c] + extra[c * k + si] - loss[si];
				if (delta > bestDelta && cost - costs[chosen[si]] + costs[c] <= budget + 1e-9) {
					bestDelta = delta;
					bestIn = c;
					bestOut = si;
				}
			}
		}
		if (bestIn < 0) break;
		if (bestOut >= 0) {
			closeSite(chosen[bestOut]);
			chosen = chosen.filter((_, i) => i !== bestOut);
		}
		openSite(bestIn);
		chosen.push(bestIn);
	}
	return { chosen, covered, cost, rounds };
}
