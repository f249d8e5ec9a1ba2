import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import type { Database } from '../../src/lib/server/db/index';
import { checkHealth } from '../../src/lib/server/health';
import { openTestDatabase, resetDatabase } from '../helpers/db';

let db: Database;
beforeAll(async () => {
	db = await openTestDatabase();
	await resetDatabase(db);
});
afterAll(() => db?.close());

/** Runs the CLI on the test database, collecting what it prints. */
async function cli(...argv: string[]) {
	const lines: string[] = [];
	const code = await runCli(argv, { log: (l) => lines.push(l), open: async () => ({ ...db, close: async () => {} }) });
	return { code, out: lines.join('\n') };
}

describe(`cli (${process.env.TEST_DB})`, () => {
	it('lists its commands with --help', async () => {
		const { code, out } = await cli('--help');
		expect(code).toBe(0);
		expect(out).toMatch(/seed --province 04\|75/);
		expect(out).toMatch(/health/);
	});

	it('refuses an unknown command or option with exit code 2', async () => {
		expect((await cli('frobnicate')).code).toBe(2);
		const bad = await cli('seed', '--provence', '04');
		expect(bad.code).toBe(2);
		expect(bad.out).toMatch(/provence/);
	});

	it('names the valid provinces when given another', async () => {
		const { code, out } = await cli('seed', '--province', '01');
		expect(code).toBe(2);
		expect(out).toContain('04 (Cao Bằng), 75 (Đồng Nai)');
	});

	it('seeds Đồng Nai, then says it is already there', async () => {
		const first = await cli('seed', '--province', '75');
		expect(first.code).toBe(0);
		expect(first.out).toMatch(/SYNTHETIC/);
		const health = await checkHealth(db);
		expect(health.counts.communes).toBe(95);
		expect(health.counts.reports).toBe(60_000);
		const second = await cli('seed', '--province', '75');
		expect(second.out).toMatch(/already seeded/);
		expect((await checkHealth(db)).counts).toEqual(health.counts);
	});

	it('prints health as JSON', async () => {
		const { code, out } = await cli('health');
		expect(code).toBe(0);
		expect(JSON.parse(out)).toMatchObject({ status: 'ok', database: process.env.TEST_DB });
	});
});
