import { readFile } from 'node:fs/promises';
import { InstanceError, problemFromInstance } from '../lib/planning/instance';
import { solveMclp } from '../lib/planning/solve';

/**
 * `solve-mclp <instance.json>`: the site-planning solver on a plain instance (README, "Site-planning
 * solver"). Only the answer, as JSON, goes to stdout; a bad instance is a message naming the field
 * on stderr and exit code 2.
 */

export const SOLVE_MCLP_USAGE = 'solve-mclp <instance.json> [--time-limit S] [--exact] [--seed N]';
export const SOLVE_MCLP_OPTIONS = {
	'time-limit': { type: 'string' },
	exact: { type: 'boolean' },
	seed: { type: 'string' }
} as const;

export async function runSolveMclp(values: Record<string, string | boolean | string[] | undefined>, positionals: readonly string[], log: (line: string) => void, warn: (line: string) => void): Promise<number> {
	const [file] = positionals;
	if (!file || positionals.length > 1) {
		warn(`Give one instance file.\nUsage: npm run -s cli -- ${SOLVE_MCLP_USAGE}`);
		return 2;
	}
	const timeLimitS = values['time-limit'] === undefined ? 20 : Number(values['time-limit']);
	if (!(timeLimitS > 0)) {
		warn(`--time-limit: must be a number of seconds > 0, got "${values['time-limit']}"`);
		return 2;
	}
	// The search is deterministic (ties go to the lower index); --seed is accepted for reproducible scripts.
	if (values.seed !== undefined && !/^\d+$/.test(String(values.seed))) {
		warn(`--seed: must be a whole number, got "${values.seed}"`);
		return 2;
	}
	let instance: unknown;
	try {
		instance = JSON.parse(await readFile(file, 'utf8'));
	} catch (err) {
		warn(`${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not valid JSON (${(err as Error).message})`}`);
		return 2;
	}
	let built;
	try {
		built = problemFromInstance(instance);
	} catch (err) {
		if (err instanceof InstanceError) {
			warn(err.message);
			return 2;
		}
		throw err;
	}
	const result = await solveMclp(built.problem, { timeLimitS, exact: values.exact === true });
	log(
		JSON.stringify({
			selected: result.selected.map((c) => built.candidateIds[c]),
			coveredWeight: result.coveredWeight,
			totalWeight: result.totalWeight,
			upperBound: result.upperBound,
			gap: result.gap,
			timeMs: result.timeMs
		})
	);
	return 0;
}
