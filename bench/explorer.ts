/**
 * bench/explorer — the coverage explorer's province view (issue 19) with the demo province grown to
 * 1,000,000 SYNTHETIC reports, on the embedded database and on a PostGIS server.
 *
 *   npm run build && npm run bench:explorer -- [--reports N] [--runs 3] [--database-url …] [--skip-embedded]
 *
 * For each database the built app is started as `npm start` starts it, and headless Chromium
 * (software WebGL: --disable-gpu, SwiftShader) opens `/` as the public does — communes, towers and
 * the measured cells of the whole province. Figures:
 * - first meaningful render: navigation start → the map's first `idle` (MapLibre: nothing left to
 *   load or draw) after the first frame that drew the measured cells (deck.gl's onAfterRender,
 *   `data-drawn-cells` > 0), by performance.now();
 *   cold (a fresh profile: nothing cached) and cached (the same profile again: assets from the
 *   HTTP cache, data revalidated by ETag — 304s);
 * - bytes the browser downloaded for that view (encoded, as on the wire), cold and cached;
 * - filter redraw: the confidence filter changed → the first frame drawn with it (the GPU filter:
 *   nothing fetched or rebuilt); and the operator filter → cells of that operator fetched and drawn;
 * - baseline, same run: the map's own first frame (MapLibre `load`, before any layer data) in the
 *   same cold navigation.
 * The app is warmed once (server caches) before the measured runs. Goals (issue 19): first render
 * ≤ 2 s cached and ≤ 3 s cold; filter redraw ≤ 300 ms.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { inTransaction, openDatabase, type Database } from '../src/lib/server/db/index';
import { seedDemoProvince } from '../src/lib/server/demo-seed';
import { rebuildMeasured } from '../src/lib/server/measured';
import { launchChromium } from '../tests/helpers/browser';
import { spawnApp, waitForHealth } from '../tests/helpers/app-process';
import { freshPostgisDatabase, growReports, timed, type Column } from './lib/province';
import { percentile, printTable } from './lib/stats';

const { values } = parseArgs({
	options: {
		reports: { type: 'string', default: '1000000' },
		runs: { type: 'string', default: '3' },
		'database-url': { type: 'string' },
		'skip-embedded': { type: 'boolean', default: false }
	}
});
const target = Number(values.reports);
const RUNS = Math.max(1, Number(values.runs));
const serverUrl = values['database-url'] ?? process.env.TEST_DATABASE_URL;
const migrationsDir = path.resolve('drizzle');
const GOALS = { cachedMs: 2000, coldMs: 3000, redrawMs: 300 };

async function seedAndGrow(db: Database, column: Column): Promise<void> {
	await seedDemoProvince(db, '04', { dataRoot: path.resolve('data'), log: () => {} });
	const [ms, reports] = await timed(async () => {
		const n = await growReports(db, target);
		await inTransaction(db, (tx) => rebuildMeasured(tx));
		return n;
	});
	column['reports (synthetic)'] = reports.toLocaleString('en');
	column['growing them, rebuilding measured (s, not measured work)'] = (ms / 1000).toFixed(1);
}

/** Bytes received (encoded) by a page, counted by the DevTools protocol. */
async function countBytes(context: BrowserContext, page: Page): Promise<() => number> {
	const cdp = await context.newCDPSession(page);
	await cdp.send('Network.enable');
	let bytes = 0;
	cdp.on('Network.loadingFinished', (e) => (bytes += e.encodedDataLength));
	return () => bytes;
}

interface View {
	renderMs: number;
	/** Navigation → the last time the map went idle within 10 s. */
	settledMs: number;
	mapFrameMs: number;
	bytes: number;
}

/**
 * What the map reported and when (performance.now()), recorded in the page from its first script:
 * every idle, and every frame deck.gl drew with how many measured cells.
 * Read afterwards, so a main thread busy drawing cannot delay the figures the way polling would.
 */
const RECORD_MAP_EVENTS = () => {
	const events: { attr: string; at: number; cells: number }[] = ((window as unknown as { __mapEvents: typeof events }).__mapEvents = []);
	new MutationObserver((changes) => {
		for (const c of changes) {
			const el = c.target as HTMLElement;
			events.push({ attr: c.attributeName!, at: Number(el.getAttribute(c.attributeName!)), cells: Number(el.dataset.drawnCells ?? 0) });
		}
	}).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-idle-at', 'data-drawn-at'] });
};

type MapEvent = { attr: string; at: number; cells: number };

/** The map's first idle at or after the first `attr` event with at least `minCells` cells (ms since navigation). */
async function firstIdleAfter(page: Page, attr: string, minCells = 0): Promise<number> {
	const handle = await page.waitForFunction(
		({ attr, minCells }) => {
			const events = (window as unknown as { __mapEvents: MapEvent[] }).__mapEvents;
			const start = events.find((e) => e.attr === attr && e.cells >= minCells);
			return start && events.find((e) => e.attr === 'data-idle-at' && e.at >= start.at)?.at;
		},
		{ attr, minCells },
		{ timeout: 120_000, polling: 100 }
	);
	return Number(await handle.jsonValue());
}

/** Opens the province view in `page` and waits for the measured cells' first frame and an idle map. */
async function openView(context: BrowserContext, page: Page, baseUrl: string): Promise<View> {
	const bytes = await countBytes(context, page);
	await page.addInitScript(RECORD_MAP_EVENTS);
	await page.goto(baseUrl, { waitUntil: 'commit' });
	// The first frame that drew measured cells, then the map's first idle after it (labels placed,
	// nothing left to load or draw): the render counts until then.
	const renderMs = await firstIdleAfter(page, 'data-drawn-at', 1);
	const mapFrameMs = await page.evaluate(() => performance.getEntriesByType('mark').find((m) => m.name === 'map-load')?.startTime ?? NaN);
	// Under software WebGL deck.gl keeps redrawing after that first complete frame (textures and
	// programs it finishes lazily), the page busy meanwhile: settled = the last idle within 10 s.
	await page.waitForFunction(() => performance.now() > 10_000, undefined, { timeout: 60_000, polling: 500 });
	const settledMs = Math.max(...(await page.evaluate(() => (window as unknown as { __mapEvents: MapEvent[] }).__mapEvents)).filter((e) => e.attr === 'data-idle-at').map((e) => e.at));
	return { renderMs, settledMs, mapFrameMs, bytes: bytes() };
}

/**
 * Changes a filter and returns the time to the first frame drawn with it (ms); `refetch`: the
 * filter brings new cells, so the frame counted is the first with them.
 */
async function redraw(page: Page, select: string, value: string, drawnFilter: string, refetch = false): Promise<number> {
	const map = '[data-testid=map]';
	const dataBefore = Number(await page.getAttribute(map, 'data-drawn-data'));
	const t0 = await page.evaluate(
		({ select, value }) => {
			const el = document.querySelector<HTMLSelectElement>(`[data-testid=${select}]`)!;
			const t = performance.now();
			el.value = value;
			el.dispatchEvent(new Event('change', { bubbles: true }));
			return t;
		},
		{ select, value }
	);
	await page.waitForFunction(
		({ f, before, refetch }) => {
			const d = document.querySelector<HTMLElement>('[data-testid=map]')!.dataset;
			return d.drawnFilter === f && (!refetch || Number(d.drawnData) > before);
		},
		{ f: drawnFilter, before: dataBefore, refetch },
		{ timeout: 60_000, polling: 'raf' }
	);
	return Number(await page.getAttribute(map, 'data-drawn-at')) - t0;
}

const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);
const fmt = (xs: number[]) => `${median(xs).toFixed(0)} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;
const kB = (xs: number[]) => (median(xs) / 1000).toFixed(1);

async function measureBrowser(browser: Browser, baseUrl: string, column: Column): Promise<void> {
	// Warm the server's caches (first computation of the layers) once, untimed.
	{
		const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
		await openView(context, await context.newPage(), baseUrl);
		await context.close();
	}
	const cold: View[] = [];
	const cached: View[] = [];
	const confidence: number[] = [];
	const operator: number[] = [];
	for (let i = 0; i < RUNS; i++) {
		const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
		// The cold page is closed first: left open, its map goes on drawing (it settles seconds
		// later under software WebGL) and takes the CPU from the cached page being measured.
		const coldPage = await context.newPage();
		cold.push(await openView(context, coldPage, baseUrl));
		await coldPage.close();
		const page = await context.newPage();
		cached.push(await openView(context, page, baseUrl));
		confidence.push(await redraw(page, 'filter-confidence', '0.75', '0.75|'));
		confidence.push(await redraw(page, 'filter-confidence', '0', '0|'));
		operator.push(await redraw(page, 'filter-operator', 'viettel', '0|viettel', true));
		await context.close();
	}
	column['baseline: map first frame, no layers (ms)'] = fmt(cold.map((v) => v.mapFrameMs));
	column[`first render cold, p50 (min–max) ms (goal ≤ ${GOALS.coldMs})`] = fmt(cold.map((v) => v.renderMs));
	column[`first render cached, p50 (min–max) ms (goal ≤ ${GOALS.cachedMs})`] = fmt(cached.map((v) => v.renderMs));
	column['settled: last idle within 10 s, cold / cached p50 (ms)'] = `${median(cold.map((v) => v.settledMs)).toFixed(0)} / ${median(cached.map((v) => v.settledMs)).toFixed(0)}`;
	column['downloaded cold / cached (kB)'] = `${kB(cold.map((v) => v.bytes))} / ${kB(cached.map((v) => v.bytes))}`;
	column[`confidence filter redraw, p50 (min–max) ms (goal ≤ ${GOALS.redrawMs})`] = fmt(confidence);
	column['operator filter: fetch + redraw, p50 (min–max) ms'] = fmt(operator);
}

async function measureApp(env: Record<string, string>, column: Column): Promise<void> {
	const app = await spawnApp(env);
	const browser = await launchChromium();
	try {
		await waitForHealth(app, 600_000);
		await measureBrowser(browser, app.baseUrl, column);
		const rss = Number((await import('node:child_process')).execFileSync('ps', ['-o', 'rss=', '-p', String(app.process.pid)]).toString().trim());
		column['app server RSS after the runs (MB)'] = (rss / 1024).toFixed(0);
	} finally {
		await browser.close();
		app.process.kill('SIGTERM');
		await app.exited;
	}
}

const columns: [string, Column][] = [];
if (serverUrl) {
	const url = await freshPostgisDatabase(serverUrl, 'phu_song_bench_explorer');
	const column: Column = {};
	const db = await openDatabase({ databaseUrl: url, dataDir: '', migrationsDir });
	try {
		await seedAndGrow(db, column);
	} finally {
		await db.close();
	}
	await measureApp({ DATABASE_URL: url }, column);
	columns.push(['PostGIS server', column]);
} else console.log('No PostGIS server given (--database-url or TEST_DATABASE_URL): the PostGIS column is left out.');
if (!values['skip-embedded']) {
	const dataDir = await mkdtemp(path.join(os.tmpdir(), 'phu-song-bench-explorer-'));
	const column: Column = {};
	try {
		const db = await openDatabase({ databaseUrl: undefined, dataDir, migrationsDir });
		await seedAndGrow(db, column);
		await db.close();
		await measureApp({ PHU_SONG_DATA_DIR: dataDir }, column);
	} finally {
		await rm(dataDir, { recursive: true, force: true });
	}
	columns.push(['embedded PGlite', column]);
}
const labels = [...new Set(columns.flatMap(([, c]) => Object.keys(c)))];
printTable(
	`bench/explorer — ${target.toLocaleString('en')} synthetic reports, ${os.cpus().length} cores, Node ${process.version}, Chromium software WebGL, 1280×800; goals: first render ≤ ${GOALS.cachedMs} ms cached, ≤ ${GOALS.coldMs} ms cold; filter redraw ≤ ${GOALS.redrawMs} ms`,
	columns.map(([name]) => name),
	labels.map((label) => [label, columns.map(([, c]) => c[label] ?? '—')])
);
