import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
		server.on('error', reject);
	});
}

/** The built app running as its own process, as `npm start` runs it. */
export interface AppProcess {
	process: ChildProcess;
	baseUrl: string;
	/** Everything it printed so far. */
	output(): string;
	/** Resolves with the exit code (or signal name) once it has exited. */
	exited: Promise<number | string>;
}

/** Starts `scripts/start.js` (the BUILT app) with `env` on a free port; does not wait for it. */
export async function spawnApp(env: Record<string, string>, onOutput?: (chunk: Buffer) => void): Promise<AppProcess> {
	const port = await freePort();
	const child = spawn(process.execPath, ['scripts/start.js'], {
		env: { ...process.env, PHU_SONG_SKIP_BUILD_CHECK: '1', PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: '', ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	const collect = (d: Buffer) => ((output += d), onOutput?.(d));
	child.stdout?.on('data', collect);
	child.stderr?.on('data', collect);
	const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
	return { process: child, baseUrl: `http://127.0.0.1:${port}`, output: () => output, exited };
}

/** Waits until the app answers /api/health with 200, or fails naming what it printed. */
export async function waitForHealth(app: AppProcess, timeoutMs = 150_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (app.process.exitCode !== null) throw new Error(`the app exited with ${app.process.exitCode}:\n${app.output()}`);
		try {
			if ((await fetch(`${app.baseUrl}/api/health`)).ok) return;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) throw new Error(`the app did not answer within ${timeoutMs / 1000} s:\n${app.output()}`);
		await new Promise((r) => setTimeout(r, 200));
	}
}
