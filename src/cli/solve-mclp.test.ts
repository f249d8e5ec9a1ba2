import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let dir: string;
beforeAll(async () => {
	dir = await mkdtemp(path.join(os.tmpdir(), 'phu-song-mclp-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The CLI as its own process; a DATABASE_URL nobody answers proves no database is opened. */
function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
	return new Promise((resolve) => {
		execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' } }, (err, stdout, stderr) =>
			resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr })
		);
	});
}

async function instanceFile(name: string, instance: unknown): Promise<string> {
	const file = path.join(dir, name);
	await writeFile(file, JSON.stringify(instance));
	return file;
}

// Ten households on a line, 1 km apart; three candidates whose 2.5 km discs reach a few each.
const demand = [...Array(10).keys()].map((i) => ({ id: `h${i}`, lat: 22.6 + i * (1 / 111.195), lon: 106.2, weight: i === 9 ? 5 : 1 }));
const candidates = [
	{ id: 'north', lat: 22.6 + 8 / 111.195, lon: 106.2, cost: 3, radiusKm: 1.5 },
	{ id: 'south', lat: 22.6 + 1 / 111.195, lon: 106.2, cost: 1, radiusKm: 1.5 },
	{ id: 'tower', lat: 22.6 + 4 / 111.195, lon: 106.2, cost: 0, radiusKm: 0.5 }
];

// Each case starts a Node process that loads tsx (seconds on a loaded machine).
describe('npm run cli -- solve-mclp', { timeout: 30_000 }, () => {
	it('prints only the JSON answer: sites by marginal gain, weights, bound and gap', async () => {
		const r = await cli('solve-mclp', await instanceFile('p2.json', { demand, candidates, p: 2, budget: null, existing: ['tower'], coverage: null }));
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		const answer = JSON.parse(r.stdout);
		expect(Object.keys(answer)).toEqual(['selected', 'coveredWeight', 'totalWeight', 'upperBound', 'gap', 'timeMs']);
		// north covers h7–h9 (weight 7), south h0–h2 (3), the existing tower h4 (1).
		expect(answer).toMatchObject({ selected: ['north', 'south'], coveredWeight: 11, totalWeight: 14, upperBound: 11, gap: 0 });
	});

	it('keeps within a budget, with --exact and a time limit', async () => {
		const r = await cli('solve-mclp', await instanceFile('budget.json', { demand, candidates, p: null, budget: 2, existing: [], coverage: null }), '--exact', '--time-limit', '5');
		expect(r.code).toBe(0);
		expect(JSON.parse(r.stdout)).toMatchObject({ selected: ['south', 'tower'], coveredWeight: 4, upperBound: 4, gap: 0 });
	});

	it('refuses a bad instance with exit code 2 and a message naming the field, nothing on stdout', async () => {
		const r = await cli('solve-mclp', await instanceFile('bad.json', { demand, candidates, p: 2, existing: ['nowhere'] }));
		expect(r).toMatchObject({ code: 2, stdout: '' });
		expect(r.stderr).toMatch(/^existing\[0\]: "nowhere" is not among the candidates/);
		const neither = await cli('solve-mclp', await instanceFile('neither.json', { demand, candidates, p: null, budget: null }));
		expect(neither.code).toBe(2);
		expect(neither.stderr).toMatch(/p and budget/);
	});
});
