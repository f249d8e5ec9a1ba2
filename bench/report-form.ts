/**
 * bench/report-form — the residents' report form's first load on a 2G-like link (issue 18).
 *
 *   npm run build && npm run bench:report-form -- [--runs 3] [--baseline-runs 1]
 *
 * The built app is started as `npm start` starts it (compression on, embedded database with the
 * demo province). Chromium opens each page in a fresh profile (nothing cached) with DevTools
 * network emulation: 250 kbit/s down and up, 300 ms round trip. Figures per page:
 * - bytes on the wire: what the server sent for the first load (headers included), counted by a
 *   TCP relay in front of the app; for the form, again once its service worker has precached it;
 * - time to interactive: navigation start → the form's send button enabled (hydrated,
 *   `data-ready`), or for the map page its map's first frame (`data-map-loaded`);
 * - first contentful paint (the server-rendered form is readable before it is interactive), and
 *   the server's memory.
 * Baseline, same run: the planners' map page (`/`), the app's other front door.
 * Goals (issue 18): first load ≤ 100 kB on the wire; time to interactive ≤ 6 s.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../tests/helpers/browser';
import { spawnApp, waitForHealth } from '../tests/helpers/app-process';
import { percentile, printTable } from './lib/stats';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, 'baseline-runs': { type: 'string', default: '1' } } });
const RUNS = Math.max(1, Number(values.runs));
const BASELINE_RUNS = Math.max(1, Number(values['baseline-runs']));
// "2G-like" as issue 18 names it; DevTools takes bytes per second.
const LINK = { offline: false, latency: 300, downloadThroughput: 250_000 / 8, uploadThroughput: 250_000 / 8 };
const GOAL_BYTES = 100_000;
const GOAL_TTI_MS = 6_000;

/** A TCP relay that counts the bytes the app sends back: what crossed the wire, headers and all. */
async function countingRelay(target: URL): Promise<{ url: string; sent: () => number; reset: () => void; close: () => void }> {
	let sent = 0;
	const server = net.createServer((client) => {
		const upstream = net.connect(Number(target.port), target.hostname);
		client.pipe(upstream);
		upstream.on('data', (chunk) => {
			sent += chunk.length;
			client.write(chunk);
		});
		upstream.on('end', () => client.end());
		const drop = () => (client.destroy(), upstream.destroy());
		client.on('error', drop);
		upstream.on('error', drop);
		client.on('close', drop);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as net.AddressInfo;
	return { url: `http://127.0.0.1:${port}`, sent: () => sent, reset: () => (sent = 0), close: () => server.close() };
}

interface Load {
	/** Sent until the page was interactive. */
	bytes: number;
	/** Sent for the whole first visit: the page, then the worker's precache (null without a worker). */
	bytesWithPrecache: number | null;
	ttiMs: number;
	fcpMs: number;
}

async function firstLoad(browser: Browser, relay: Awaited<ReturnType<typeof countingRelay>>, page: string, ready: string, worker: boolean): Promise<Load> {
	const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
	const tab = await context.newPage();
	const cdp = await context.newCDPSession(tab);
	await cdp.send('Network.enable');
	await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
	await cdp.send('Network.emulateNetworkConditions', LINK);
	relay.reset();
	const started = Date.now();
	await tab.goto(`${relay.url}${page}`, { waitUntil: 'commit', timeout: 180_000 });
	await tab.locator(ready).waitFor({ timeout: 180_000 });
	const ttiMs = Date.now() - started;
	const bytes = relay.sent();
	const fcpMs = await tab.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN);
	let bytesWithPrecache: number | null = null;
	if (worker) {
		// Installed and in control: its precache is complete (install waits for it).
		await tab.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 180_000 });
		await tab.waitForLoadState('networkidle', { timeout: 180_000 });
		bytesWithPrecache = relay.sent();
	}
	await context.close();
	return { bytes, bytesWithPrecache, ttiMs, fcpMs };
}

const kB = (b: number) => `${(b / 1000).toFixed(1)} kB`;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main() {
	const dataDir = await mkdtemp(path.join(os.tmpdir(), 'phu-song-bench-form-'));
	const app = await spawnApp({ PHU_SONG_DATA_DIR: dataDir });
	const browser = await launchChromium();
	try {
		await waitForHealth(app);
		const relay = await countingRelay(new URL(app.baseUrl));
		const runs = async (n: number, page: string, ready: string, worker: boolean) => {
			const loads: Load[] = [];
			for (let i = 0; i < n; i++) loads.push(await firstLoad(browser, relay, page, ready, worker));
			return loads;
		};
		const form = await runs(RUNS, '/report', '[data-testid="report-form"][data-ready="true"]', true);
		const map = await runs(BASELINE_RUNS, '/', '[data-map-loaded="true"]', false);
		relay.close();
		const rss = Number((await import('node:child_process')).execFileSync('ps', ['-o', 'rss=', '-p', String(app.process.pid)]).toString().trim()) * 1024;

		const med = (loads: Load[], pick: (l: Load) => number | null) => {
			const v = loads.map(pick).filter((x): x is number => x !== null).sort((a, b) => a - b);
			return v.length ? { p50: percentile(v, 50), max: v[v.length - 1] } : null;
		};
		const cell = (loads: Load[], pick: (l: Load) => number | null, fmt: (n: number) => string) => {
			const m = med(loads, pick);
			return m ? (loads.length > 1 ? `${fmt(m.p50)} (max ${fmt(m.max)})` : fmt(m.p50)) : '—';
		};
		printTable(
			`First load on a 2G-like link (250 kbit/s, 300 ms RTT), fresh profile, phone viewport; p50 of ${RUNS} form / ${BASELINE_RUNS} map runs`,
			['/report (form)', '/ (map, baseline)', 'goal'],
			[
				['bytes until interactive', [cell(form, (l) => l.bytes, kB), cell(map, (l) => l.bytes, kB), '']],
				['bytes, whole first visit (+ precache)', [cell(form, (l) => l.bytesWithPrecache, kB), '—', `≤ ${kB(GOAL_BYTES)}`]],
				['first contentful paint', [cell(form, (l) => l.fcpMs, s), cell(map, (l) => l.fcpMs, s), '']],
				['time to interactive', [cell(form, (l) => l.ttiMs, s), cell(map, (l) => l.ttiMs, s), `≤ ${s(GOAL_TTI_MS)}`]]
			]
		);
		console.log(`server RSS after the runs: ${(rss / 1e6).toFixed(0)} MB`);
		const worst = Math.max(...form.map((l) => l.bytesWithPrecache ?? l.bytes));
		console.log(`form: ${worst <= GOAL_BYTES ? 'meets' : 'MISSES'} the ${kB(GOAL_BYTES)} goal (worst ${kB(worst)}); time to interactive ${med(form, (l) => l.ttiMs)!.max <= GOAL_TTI_MS ? 'meets' : 'MISSES'} the ${s(GOAL_TTI_MS)} goal`);
	} finally {
		await browser.close();
		app.process.kill('SIGTERM');
		await app.exited;
		await rm(dataDir, { recursive: true, force: true });
	}
}

await main();
