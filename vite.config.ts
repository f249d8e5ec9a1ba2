import { existsSync } from 'node:fs';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

const inCi = process.env.CI === 'true';
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Suites that need something outside npm (a PostGIS server, Chromium) are left out with a notice
 * on a laptop that lacks it, and fail the run in CI, where leaving them out would hide a gap.
 */
function needs(suite: string, present: boolean, howToEnable: string): boolean {
	if (present) return true;
	if (inCi) throw new Error(`CI=true but ${suite} cannot run: ${howToEnable}`);
	// Vitest loads this config once per project; say it once.
	const flag = `PHU_SONG_NOTICE_${suite.replace(/\W/g, '_')}`;
	if (!process.env[flag]) console.warn(`\n[phu-song] Skipping the ${suite} tests: ${howToEnable}\n`);
	process.env[flag] = '1';
	return false;
}

const integration = (name: string, env: Record<string, string>, parallel: boolean) => ({
	extends: true as const,
	test: {
		name,
		include: ['tests/integration/**/*.test.ts'],
		env,
		globalSetup: ['tests/integration/global-setup.ts'],
		testTimeout: 60_000,
		hookTimeout: 120_000,
		// On the PostGIS server the files share one database, so they run one after another and one
		// file's TRUNCATE cannot land in another's test. Embedded databases are per file.
		fileParallelism: parallel,
		sequence: { groupOrder: 0 }
	}
});

const isTestRun = process.env.VITEST !== undefined;
const projects = isTestRun
	? [
			{ extends: true as const, test: { name: 'unit', include: ['src/**/*.test.ts'], sequence: { groupOrder: 0 } } },
			integration('integration-pglite', { TEST_DB: 'pglite' }, true),
			...(needs('integration-postgres', Boolean(process.env.TEST_DATABASE_URL), 'set TEST_DATABASE_URL=postgres://user@host:5432/db (a database with PostGIS; .ci/run makes one)')
				? [integration('integration-postgres', { TEST_DB: 'postgres' }, false)]
				: []),
			...(needs('end-to-end (browser)', existsSync(chromiumPath), `install Chromium (apt-get install chromium) or set CHROMIUM_PATH; looked for ${chromiumPath}`)
				? [
						{
							extends: true as const,
							test: {
								name: 'e2e',
								include: ['tests/e2e/**/*.test.ts'],
								testTimeout: 60_000,
								hookTimeout: 180_000,
								// One retry: on this 2-core machine a browser test now and then waits 30 s on a
								// request the shared app never answers (a sign-in, a map's first load; seen in 2 of
								// 4 full runs on 2026-12-07, never when the file runs alone). Under investigation
								// (see the stop note); a test that fails twice still fails the run.
								retry: 1,
								fileParallelism: false,
								// After unit and integration tests: the browser tests share one app on two cores,
								// and time out when the integration seeds take the CPU from it.
								sequence: { groupOrder: 1 },
								globalSetup: ['tests/e2e/global-setup.ts']
							}
						}
					]
				: [])
		]
	: [];

export default defineConfig({
	plugins: [sveltekit()],
	test: { projects }
});
