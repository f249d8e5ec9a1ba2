import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
		server.on('error', reject);
	});
}

/**
 * Starts the BUILT app (`npm test` builds first) on a fresh embedded database, as `npm start`
 * would, and waits until it answers /api/health with the demo province loaded.
 */
export default async function setup(project: TestProject) {
	if (!existsSync('build/index.js')) throw new Error('build/index.js is missing: run `npm run build` first (`npm test` does).');
	const dataDir = await mkdtemp(path.join(os.tmpdir(), 'phu-song-e2e-'));
	const port = await freePort();
	const baseUrl = `http://127.0.0.1:${port}`;
	const server: ChildProcess = spawn(process.execPath, ['scripts/start.js'], {
		env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', PHU_SONG_DATA_DIR: dataDir, PHU_SONG_UPLOAD_DIR: path.join(dataDir, 'uploads'), DATABASE_URL: '' },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	// Everything the server prints goes to a file, so tests can check no secret is logged.
	const logPath = path.join(dataDir, '..', `${path.basename(dataDir)}-server.log`);
	const log = createWriteStream(logPath);
	server.stdout?.on('data', (d) => ((output += d), log.write(d)));
	server.stderr?.on('data', (d) => ((output += d), log.write(d)));

	const deadline = Date.now() + 150_000;
	for (;;) {
		if (server.exitCode !== null) throw new Error(`the app exited with ${server.exitCode}:\n${output}`);
		try {
			const response = await fetch(`${baseUrl}/api/health`);
			if (response.ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) throw new Error(`the app did not answer within 150 s:\n${output}`);
		await new Promise((r) => setTimeout(r, 250));
	}
	project.provide('baseUrl', baseUrl);
	project.provide('serverLogPath', logPath);
	return async () => {
		server.kill('SIGTERM');
		await new Promise((r) => server.once('exit', r));
		log.end();
		await rm(dataDir, { recursive: true, force: true });
		await rm(logPath, { force: true });
	};
}
