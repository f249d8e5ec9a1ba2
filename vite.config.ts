import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

const integration = (name: string, env: Record<string, string>) => ({
	extends: true as const,
	test: {
		name,
		include: ['tests/integration/**/*.test.ts'],
		env,
		testTimeout: 60_000,
		hookTimeout: 120_000,
		// Files share one database per project; running them one after another keeps
		// one file's TRUNCATE from landing in another's test.
		fileParallelism: false
	}
});

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		projects: [
			{ extends: true, test: { name: 'unit', include: ['src/**/*.test.ts'] } },
			integration('integration-pglite', { TEST_DB: 'pglite' }),
			integration('integration-postgres', { TEST_DB: 'postgres' }),
			{
				extends: true,
				test: {
					name: 'e2e',
					include: ['tests/e2e/**/*.test.ts'],
					testTimeout: 60_000,
					hookTimeout: 180_000,
					fileParallelism: false,
					globalSetup: ['tests/e2e/global-setup.ts']
				}
			}
		]
	}
});
