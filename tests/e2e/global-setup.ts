import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { spawnApp, waitForHealth } from '../helpers/app-process';

/**
 * Starts the BUILT app (`npm test` builds first) on a fresh embedded database, as `npm start`
 * would, and waits until it answers /api/health with the demo province loaded.
 */
export default async function setup(project: TestProject) {
	if (!existsSync('build/index.js')) throw new Error('build/index.js is missing: run `npm run build` first (`npm test` does).');
	const dataDir = await mkdtemp(path.join(os.tmpdir(), 'phu-song-e2e-'));
	// Everything the server prints goes to a file, so tests can check no secret is logged.
	const logPath = path.join(dataDir, '..', `${path.basename(dataDir)}-server.log`);
	const log = createWriteStream(logPath);
	const app = await spawnApp({ PHU_SONG_DATA_DIR: dataDir, PHU_SONG_UPLOAD_DIR: path.join(dataDir, 'uploads') }, (d) => log.write(d));
	await waitForHealth(app);
	const baseUrl = app.baseUrl;
	project.provide('baseUrl', baseUrl);
	project.provide('serverLogPath', logPath);
	project.provide('e2eDataDir', dataDir);
	return async () => {
		app.process.kill('SIGTERM');
		await app.exited;
		log.end();
		await rm(dataDir, { recursive: true, force: true });
		await rm(logPath, { force: true });
	};
}
