import type { ReducedProblem } from './problem';

/**
 * The MCLP as a mixed-integer programme solved by HiGHS (the `highs` package: HiGHS compiled to
 * WebAssembly, MIT, single-threaded): binary x_j per candidate, y_d ∈ [0, 1] per (merged) demand
 * point, maximise Σ w_d y_d subject to y_d ≤ Σ_{j covers d} x_j, Σ x_j ≤ p, Σ c_j x_j ≤ B.
 * y needs no integrality: at an optimum with integral x it is 1 exactly where d is covered.
 * Proves optimality when it can within the time limit; otherwise reports its best solution and
 * its dual bound.
 */

export interface ExactResult {
	/** Chosen candidates (indices of the reduced problem), or null when HiGHS found none in time. */
	chosen: number[] | null;
	/** The weight of its best solution, and its proven upper bound. */
	covered: number;
	bound: number;
	optimal: boolean;
	status: string;
}

type Highs = Awaited<ReturnType<typeof import('highs').default>>;
let loaded: Promise<Highs> | null = null;

/** HiGHS, loaded once (its WebAssembly module ships in the npm package: nothing is fetched). */
const loadHighs = () => (loaded ??= import('highs').then((m) => m.default()));

export async function solveExact(p: ReducedProblem, { timeLimitS = 60, startWith }: { timeLimitS?: number; startWith?: readonly number[] } = {}): Promise<ExactResult> {
	const highs = await loadHighs();
	const { weights, costs, coveredBy } = p;
	const n = weights.length;
	const m = costs.length;
	const numCols = m + n;
	const rows: { indices: number[]; values: number[]; upper: number }[] = [];
	for (let d = 0; d < n; d++) {
		const indices = [m + d];
		const values = [1];
		for (const j of coveredBy[d]) {
			indices.push(j);
			values.push(-1);
		}
		rows.push({ indices, values, upper: 0 });
	}
	if (p.maxSites !== null) rows.push({ indices: [...Array(m).keys()], values: Array(m).fill(1), upper: p.maxSites });
	if (p.budget !== null) rows.push({ indices: [...Array(m).keys()], values: Array.from(costs), upper: p.budget });
	const starts = [0];
	const indices: number[] = [];
	const values: number[] = [];
	for (const r of rows) {
		indices.push(...r.indices);
		values.push(...r.values);
		starts.push(indices.length);
	}
	const integrality = new Int32Array(numCols);
	integrality.fill(highs.constants.variableType.integer, 0, m);
	const colCost = new Float64Array(numCols);
	colCost.set(weights, m);
	const model = highs.createModel({
		numCols,
		numRows: rows.length,
		sense: highs.constants.objectiveSense.maximize,
		colCost,
		colLower: new Float64Array(numCols),
		colUpper: new Float64Array(numCols).fill(1),
		rowLower: new Float64Array(rows.length).fill(-highs.infinity),
		rowUpper: Float64Array.from(rows.map((r) => r.upper)),
		matrix: { format: 'csr', numRows: rows.length, numCols, starts: Int32Array.from(starts), indices: Int32Array.from(indices), values: Float64Array.from(values) },
		integrality
	});
	try {
		model.options.set({ output_flag: false, time_limit: timeLimitS, mip_rel_gap: 0, random_seed: 1 });
		if (startWith) {
			// The heuristic's answer as HiGHS's first incumbent.
			const start = new Float64Array(numCols);
			for (const j of startWith) start[j] = 1;
			for (let d = 0; d < n; d++) for (const j of coveredBy[d]) if (start[j] === 1) start[m + d] = 1;
			try {
				model.setSolution({ colValue: start });
			} catch {
				// A start is a hint: HiGHS solves without it.
			}
		}
		model.run();
		const status = model.getModelStatus();
		const optimal = status === highs.constants.modelStatus.optimal;
		const solution = model.getSolution();
		const hasSolution = solution.colValue && solution.colValue.length === numCols && Number.isFinite(model.getObjectiveValue());
		const chosen = hasSolution ? [...Array(m).keys()].filter((j) => solution.colValue![j] > 0.5) : null;
		const covered = hasSolution ? model.getObjectiveValue() : 0;
		const dual = Number(model.info.get('mip_dual_bound'));
		return { chosen, covered, bound: optimal ? covered : Number.isFinite(dual) ? dual : Infinity, optimal, status: String(status) };
	} finally {
		model.dispose();
	}
}
