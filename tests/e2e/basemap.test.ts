import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, watchedPage } from '../helpers/browser';
import { sampleBasemap } from '../helpers/basemap';
import { mapPixelsIn } from '../helpers/pixels';
import { spawnApp, waitForHealth, type AppProcess } from '../helpers/app-process';

/**
 * The offline vector basemap (issue 19): a second app process pointed at a small PMTiles file the
 * test builds, drawn in Chromium with the Protomaps style and the bundled glyphs, read in byte ranges.
 */
const CENTRE: [number, number] = [106.0, 21.4];
const LAKE: [number, number, number, number] = [105.9, 21.3, 106.1, 21.5];
const PLACE = { position: [106.0, 21.0] as [number, number], vi: 'Thôn Nậm Đét', en: 'Nam Det' };
// @protomaps/basemaps' light flavour.
const WATER = [128, 222, 234];
const EARTH = [226, 223, 218];

let dir: string;
let app: AppProcess;
let browser: Browser;

beforeAll(async () => {
	dir = await mkdtemp(path.join(os.tmpdir(), 'phu-song-basemap-'));
	const archive = path.join(dir, 'vietnam-sample.pmtiles');
	await writeFile(archive, sampleBasemap({ bbox: [105.0, 20.5, 107.0, 22.5], lake: LAKE, place: PLACE, maxZoom: 9 }));
	app = await spawnApp({ PHU_SONG_DATA_DIR: path.join(dir, 'db'), PHU_SONG_NO_DEMO: '1', PHU_SONG_BASEMAP_PMTILES: archive });
	[browser] = await Promise.all([launchChromium(), waitForHealth(app)]);
}, 180_000);

afterAll(async () => {
	await browser?.close();
	app?.process.kill('SIGTERM');
	if (app) await app.exited;
	await rm(dir, { recursive: true, force: true });
});

/** The map canvas's pixel at (x, y) CSS pixels from its top left. */
const pixelAt = async (page: import('playwright-core').Page, x: number, y: number) => (await mapPixelsIn(page, [x, y, 1, 1]))[0];

const near = (a: number[], b: number[], tolerance = 12) => a.every((v, i) => Math.abs(v - b[i]) <= tolerance);

describe('the offline PMTiles basemap', () => {
	it('is drawn from the local archive with range requests, in Vietnamese with bundled glyphs', async () => {
		const problems: string[] = [];
		const { context, page } = await watchedPage(browser, problems);
		const ranges: { status: number; range: string | undefined }[] = [];
		const glyphs: { url: string; bytes: number }[] = [];
		let styleUrl = '';
		page.on('request', (r) => {
			if (!r.url().startsWith(app.baseUrl) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) problems.push(`external request: ${r.url()}`);
		});
		page.on('response', async (r) => {
			const url = new URL(r.url());
			if (url.pathname === '/basemap/tiles.pmtiles') ranges.push({ status: r.status(), range: r.request().headers().range });
			if (url.pathname === '/basemap/style.json') styleUrl = r.url();
			if (url.pathname.startsWith('/basemap/fonts/')) glyphs.push({ url: decodeURIComponent(url.pathname), bytes: (await r.body()).length });
		});
		await page.goto(`${app.baseUrl}/?at=${CENTRE.join(',')},9&layers=`);
		await page.waitForSelector('[data-map-loaded]', { state: 'attached', timeout: 30_000 });
		const box = (await page.getByTestId('map').boundingBox())!;
		const centre = { x: box.width / 2, y: box.height / 2 };
		// The lake is drawn under the map's centre, land around it.
		await expect.poll(() => pixelAt(page, centre.x, centre.y), { timeout: 30_000 }).toSatisfy((p: number[]) => near(p, WATER));
		expect(near(await pixelAt(page, centre.x + 200, centre.y - 150), EARTH)).toBe(true);
		expect(styleUrl).toMatch(/\/basemap\/style\.json\?lang=vi$/);
		// Only byte ranges of the archive were read (the header and root directory, then tiles).
		expect(ranges.length).toBeGreaterThan(1);
		for (const r of ranges) {
			expect(r.status).toBe(206);
			expect(r.range).toMatch(/^bytes=\d+-\d+$/);
		}
		// The village's name needs the Vietnamese glyph ranges, answered from the bundle.
		await expect.poll(() => glyphs.filter((g) => g.url.includes('DejaVu Sans') && g.bytes > 10_000).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
		expect(glyphs.map((g) => g.url).some((u) => u.endsWith('/7680-7935.pbf'))).toBe(true);
		// Label pixels: dark text where the name is written, 0.4° south of the centre ≈ 0.4 × (512 · 2⁹ / 360) px × sec 21° ≈ 312 px at zoom 9 (MapLibre’s 512-px tiles).
		const [lx, ly] = [centre.x, centre.y + 0.4 * 780];
		const text = (await mapPixelsIn(page, [lx - 90, ly - 20, 180, 40])).filter(([r, g, b]) => r < 140 && g < 140 && b < 140).length;
		await page.screenshot({ path: 'test-results/basemap-pmtiles.png' });
		expect(text).toBeGreaterThan(40);
		await context.close();
		expect(problems).toEqual([]);
	});

	it('answers a range past the end with 416 and a replaced file with a new ETag', async () => {
		const head = await fetch(`${app.baseUrl}/basemap/tiles.pmtiles`, { headers: { range: 'bytes=0-126' } });
		expect(head.status).toBe(206);
		expect(head.headers.get('content-range')).toMatch(/^bytes 0-126\/\d+$/);
		const bytes = new Uint8Array(await head.arrayBuffer());
		expect(new TextDecoder().decode(bytes.subarray(0, 7))).toBe('PMTiles');
		expect(bytes[7]).toBe(3);
		const size = Number(head.headers.get('content-range')!.split('/')[1]);
		expect((await fetch(`${app.baseUrl}/basemap/tiles.pmtiles`, { headers: { range: `bytes=${size}-${size + 10}` } })).status).toBe(416);
		const etag = head.headers.get('etag')!;
		expect((await fetch(`${app.baseUrl}/basemap/tiles.pmtiles`, { headers: { 'if-none-match': etag } })).status).toBe(304);
	});
});
