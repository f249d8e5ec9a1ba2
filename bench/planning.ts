/**
 * bench/planning — the site-planning solver (issue 15) on generated, SEEDED instances from
 * 1,000 demand × 100 candidates to 100,000 × 5,000: p = 10, 50, 100, a budget case and an
 * existing-sites case, demand uniform or clustered around villages. For each, in one run: our
 * solver (greedy + interchange + Lagrangian bound), plain greedy, and HiGHS exact (60 s limit,
 * alone, from no start) — time, covered weight and gap; plus the time to build the cover sets from
 * the radii. Goals: within 0.5 % of the proven optimum where one is known and never below greedy;
 * ≥ 10× faster than HiGHS to reach that quality; 100,000 × 5,000, p = 50 in ≤ 2 s (cover sets
 * given), and its cover sets from radii in ≤ 2 s more.
 *
 *   npm run bench:planning -- [--only NAME] [--highs-limit S] [--skip-highs-above N]
 */
import { parseArgs } from 'node:util';
import { solveExact } from '../src/lib/planning/exact';
import { greedy } from '../src/lib/planning/greedy';
import { coversByRadius } from '../src/lib/planning/instance';
import { reduceProblem, type CoverProblem } from '../src/lib/planning/problem';
import { solveMclp } from '../src/lib/planning/solve';
import { createRandom } from '../src/lib/random/prng';

const { values } = parseArgs({ options: { only: { type: 'string' }, 'highs-limit': { type: 'string', default: '60' }, 'skip-highs-above': { type: 'string', default: '1000000000' } } });
const highsLimitS = Number(values['highs-limit']);

interface Spec {
	name: string;
	/** The solver's time limit (default 20 s); a short one trades bound iterations for time. */
	timeLimitS?: number;
	demand: number;
	candidates: number;
	layout: 'uniform' | 'clustered';
	p: number | null;
	budget: number | null;
	existing: number;
	seed: number;
}

const SPECS: Spec[] = [
	{ name: '1k×100 p10 uniform', demand: 1_000, candidates: 100, layout: 'uniform', p: 10, budget: null, existing: 0, seed: 1 },
	{ name: '1k×100 p10 clustered', demand: 1_000, candidates: 100, layout: 'clustered', p: 10, budget: null, existing: 0, seed: 2 },
	{ name: '10k×500 p10 clustered', demand: 10_000, candidates: 500, layout: 'clustered', p: 10, budget: null, existing: 0, seed: 3 },
	{ name: '10k×500 p50 uniform', demand: 10_000, candidates: 500, layout: 'uniform', p: 50, budget: null, existing: 0, seed: 4 },
	{ name: '10k×1000 budget clustered', demand: 10_000, candidates: 1_000, layout: 'clustered', p: null, budget: 60, existing: 0, seed: 5 },
	{ name: '10k×1000 p20 +50 existing', demand: 10_000, candidates: 1_000, layout: 'clustered', p: 20, budget: null, existing: 50, seed: 6 },
	{ name: '100k×5000 p50 clustered', demand: 100_000, candidates: 5_000, layout: 'clustered', p: 50, budget: null, existing: 0, seed: 7 },
	{ name: '100k×5000 p50 clustered, 2 s', demand: 100_000, candidates: 5_000, layout: 'clustered', p: 50, budget: null, existing: 0, seed: 7, timeLimitS: 2 },
	{ name: '100k×5000 p50 uniform', demand: 100_000, candidates: 5_000, layout: 'uniform', p: 50, budget: null, existing: 0, seed: 8 },
	{ name: '100k×5000 p100 clustered', demand: 100_000, candidates: 5_000, layout: 'clustered', p: 100, budget: null, existing: 0, seed: 9 }
];

/**
 * A province-sized box (~110 × 110 km at Cao Bằng's latitude). Demand: households (weight 1–40)
 * spread evenly, or in villages (normal clusters of ~1 km around 300 centres). Candidates anywhere,
 * small cells (2 km) and macro sites (5 km) in equal parts; costs 1 (p cases) or 1–5 (budget).
 */
function generate(spec: Spec) {
	const rnd = createRandom(spec.seed);
	const [lat0, lon0, size] = [22.2, 105.6, 1];
	const villages = [...Array(300)].map(() => [lat0 + rnd.next() * size, lon0 + rnd.next() * size] as const);
	const demand = [...Array(spec.demand)].map(() => {
		if (spec.layout === 'uniform') return { lat: lat0 + rnd.next() * size, lon: lon0 + rnd.next() * size };
		const [vLat, vLon] = villages[rnd.int(0, villages.length - 1)];
		return { lat: vLat + rnd.normal(0, 0.009), lon: vLon + rnd.normal(0, 0.009) };
	});
	const weights = Float64Array.from(demand.map(() => rnd.int(1, 40)));
	const candidates = [...Array(spec.candidates)].map((_, i) => ({ lat: lat0 + rnd.next() * size, lon: lon0 + rnd.next() * size, radiusKm: i % 2 ? 5 : 2 }));
	const costs = Float64Array.from(candidates.map((c) => (spec.budget === null ? 1 : c.radiusKm === 5 ? rnd.int(3, 5) : rnd.int(1, 2))));
	const existing = new Uint8Array(spec.candidates);
	for (let i = 0; i < spec.existing; i++) existing[rnd.int(0, spec.candidates - 1)] = 1;
	return { demand, candidates, weights, costs, existing };
}

const ms = (t: number) => (t < 10 ? t.toFixed(1) : t.toFixed(0));
const median = (xs: number[]) => {
	const sorted = [...xs].sort((a, b) => a - b);
	return sorted[Math.floor((sorted.length - 1) / 2)];
};

/**
 * Runs `run` up to 40 times while the runs so far took under 5 s (at least once): V8 optimises
 * loops in tiers over the first calls on an instance, so the median is the steady state a
 * long-lived server sees. The first result and all.
 */
async function repeat<T>(run: () => Promise<T>, msOf: (r: T) => number): Promise<{ result: T; all: T[] }> {
	const all: T[] = [];
	let spent = 0;
	while (all.length < 40 && (all.length === 0 || spent < 5000)) {
		const r = await run();
		all.push(r);
		spent += msOf(r);
	}
	return { result: all[0], all };
}

// Warm-up, not reported: the first solves of a process pay for compiling the code (ours and HiGHS's WebAssembly).
{
	const w = generate({ ...SPECS[0], seed: 99 });
	const warm: CoverProblem = { weights: w.weights, costs: w.costs, covers: coversByRadius(w.demand, w.candidates), existing: w.existing, maxSites: 10, budget: null };
	for (let i = 0; i < 50; i++) await solveMclp(warm);
	for (let i = 0; i < 5; i++) await solveExact(reduceProblem(warm), { timeLimitS: 10 });
}
const rows: string[][] = [];
const header = ['instance', 'cover sets (ms)', 'ours: answer (ms)', 'ours: + bound (ms)', 'ours covered', 'ours gap', 'greedy covered', 'vs greedy', 'HiGHS (ms)', 'HiGHS covered', 'HiGHS status', 'ours ÷ optimum', 'HiGHS time ÷ ours to answer'];
for (const spec of SPECS) {
	if (values.only && !spec.name.includes(values.only)) continue;
	const g = generate(spec);
	const t0 = performance.now();
	const covers = coversByRadius(g.demand, g.candidates);
	const coverMs = performance.now() - t0;
	const problem: CoverProblem = { weights: g.weights, costs: g.costs, covers, existing: g.existing, maxSites: spec.p, budget: spec.budget };
	// Both solvers run warm (a server is long-lived) and, where a run is short, several times: the median counts.
	const oursRuns = await repeat(() => solveMclp(problem, { timeLimitS: spec.timeLimitS ?? 20 }), (r) => r.timeMs);
	const ours = oursRuns.result;
	// The answer is known after reducing, greedy and the swaps; the rest of the time proves its bound.
	const answerMs = median(oursRuns.all.map((r) => r.stats.ms.reduce + r.stats.ms.greedy + r.stats.ms.swaps));
	const oursMs = median(oursRuns.all.map((r) => r.stats.ms.reduce + r.stats.ms.greedy + r.stats.ms.swaps + r.stats.ms.bound));
	const reduced = reduceProblem(problem);
	const plainGreedy = reduced.baseWeight + greedy(reduced).covered;
	let highs: { ms: number; covered: number; status: string; optimal: boolean } | null = null;
	if (spec.demand * spec.candidates <= Number(values['skip-highs-above']) && !spec.timeLimitS) {
		// HiGHS is timed on the whole call, model building included, as ours is.
		const runs = await repeat(async () => {
			const t = performance.now();
			const exact = await solveExact(reduced, { timeLimitS: highsLimitS });
			return { exact, ms: performance.now() - t };
		}, (r) => r.ms);
		const exact = runs.result.exact;
		highs = { ms: median(runs.all.map((r) => r.ms)), covered: reduced.baseWeight + exact.covered, status: exact.optimal ? 'optimal' : `limit (bound ${(reduced.baseWeight + exact.bound).toFixed(0)})`, optimal: exact.optimal };
	}
	rows.push([
		spec.name,
		ms(coverMs),
		ms(answerMs),
		ms(oursMs),
		ours.coveredWeight.toFixed(0),
		`${(ours.gap * 100).toFixed(2)} %`,
		plainGreedy.toFixed(0),
		`${(((ours.coveredWeight - plainGreedy) / plainGreedy) * 100).toFixed(2)} %`,
		highs ? ms(highs.ms) : '—',
		highs ? highs.covered.toFixed(0) : '—',
		highs ? highs.status : 'not run',
		highs?.optimal ? `${((ours.coveredWeight / highs.covered) * 100).toFixed(3)} %` : '—',
		highs ? `${(highs.ms / Math.max(1, answerMs)).toFixed(1)}×` : '—'
	]);
	console.error(`${spec.name}: done (${ms(ours.timeMs)} ms ours: ${JSON.stringify(ours.stats.ms, (_, v) => (typeof v === 'number' ? Number(v.toFixed(1)) : v))}; reduced to ${ours.stats.reducedDemand} demand × ${ours.stats.reducedCandidates} candidates, ${ours.stats.swapRounds} swap rounds, ${ours.stats.boundIterations} bound iterations)`);
}

const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
console.log(`\nbench/planning — seeded generated instances, ${(await import('node:os')).cpus().length} cores, Node ${process.version}; HiGHS limit ${highsLimitS} s; median of up to 40 runs or 5 s each`);
console.log('goals: ≤ 0.5 % below the proven optimum, never below greedy, ≥ 10× faster than HiGHS; 100k × 5k p50 ≤ 2 s (+ ≤ 2 s cover sets)');
console.log(header.map((h, i) => h.padStart(widths[i])).join('  '));
for (const r of rows) console.log(r.map((c, i) => c.padStart(widths[i])).join('  '));
