import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let dir: string;
beforeAll(async () => {
	dir = await mkdtemp(path.join(os.tmpdir(), 'phu-song-pathloss-'));
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

// Each case starts a Node process that loads tsx (seconds on a loaded machine).
describe('npm run cli -- pathloss', { timeout: 30_000 }, () => {
	it('prints the loss as a bare number with two decimals, and nothing else on stdout', async () => {
		const r = await cli('pathloss', '--model', 'cost231', '--env', 'medium', '--freq', '1800', '--hb', '30', '--hm', '1.5', '--dist-km', '2');
		expect(r).toEqual({ code: 0, stdout: '146.80\n', stderr: '' });
	});
	it('warns on stderr outside the validity range, still answering', async () => {
		const r = await cli('pathloss', '--model', 'hata', '--env', 'open', '--freq', '900', '--hb', '30', '--hm', '1.5', '--dist-km', '40');
		expect(r.code).toBe(0);
		expect(r.stdout).toMatch(/^\d+\.\d\d\n$/);
		expect(r.stderr).toMatch(/warning: hata: distanceKm 40 is outside 1–20/);
	});
	it('names the allowed environments for an unknown one', async () => {
		const r = await cli('pathloss', '--model', 'cost231', '--env', 'suburban', '--freq', '1800', '--hb', '30', '--hm', '1.5', '--dist-km', '2');
		expect(r.code).toBe(2);
		expect(r.stdout).toBe('');
		expect(r.stderr).toMatch(/environment "suburban" is unknown for cost231; use one of: medium, metropolitan/);
	});
	it('answers a batch CSV in input order, unquoted, with an unrounded lossDb column', async () => {
		const file = path.join(dir, 'batch.csv');
		await writeFile(file, 'model,env,freq,hb,hm,distKm\nhata,urban-large,869,30,1,2\nfspl,,900,,,5\ncost231,medium,1800,30,1.5,2\nhata,open,500,30,2,1\n');
		const r = await cli('pathloss', '--batch', file);
		expect(r.code).toBe(0);
		const lines = r.stdout.trim().split('\n');
		expect(lines[0]).toBe('model,env,freq,hb,hm,distKm,lossDb');
		expect(lines.slice(1).map((l) => l.split(',').slice(0, 6).join(','))).toEqual(['hata,urban-large,869,30,1,2', 'fspl,,900,,,5', 'cost231,medium,1800,30,1.5,2', 'hata,open,500,30,2,1']);
		const losses = lines.slice(1).map((l) => Number(l.split(',')[6]));
		expect(losses[0]).toBeCloseTo(137.93, 2);
		expect(losses[2]).toBeCloseTo(146.8, 2);
		expect(losses[3]).toBeCloseTo(92.326, 3);
		expect(lines[1].split(',')[6].length).toBeGreaterThan(6); // not rounded
	});
	it('refuses a batch with a bad row, naming the row and field, printing nothing', async () => {
		const file = path.join(dir, 'bad.csv');
		await writeFile(file, 'model,env,freq,hb,hm,distKm\nhata,open,900,30,1.5,2\nhata,open,9oo,30,1.5,2\nokumura,,900,30,1.5,2\n');
		const r = await cli('pathloss', '--batch', file);
		expect(r.code).toBe(2);
		expect(r.stdout).toBe('');
		expect(r.stderr).toMatch(/row 3, freq must be a number, got "9oo"/);
		expect(r.stderr).toMatch(/row 4: model "okumura" is unknown/);
	});
});
