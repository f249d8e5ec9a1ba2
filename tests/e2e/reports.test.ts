import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { launchChromium, watchedPage } from '../helpers/browser';
import { readParquet } from '../helpers/parquet';
import { pdfText } from '../helpers/pdf';

const baseUrl = inject('baseUrl');

let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: string[];

beforeAll(async () => {
	browser = await launchChromium();
});
afterAll(() => browser?.close());

async function open(viewport = { width: 1280, height: 900 }) {
	({ context, page } = await watchedPage(browser, problems, { viewport, acceptDownloads: true }));
}
beforeEach(async () => {
	problems = [];
	await open();
});
afterEach(async () => {
	await context?.close();
	expect(problems).toEqual([]);
});

/** A chart is drawn when its SVG is in the page with at least one bar. */
const chartBars = (testid: string) => page.locator(`[data-testid=${testid}] .plot svg rect`).count();

describe('commune page, province report and open data in Chromium', () => {
	it('a commune page draws its map, figures, charts, villages and dead zones; it links to the map and the province', async () => {
		await page.goto(`${baseUrl}/communes`);
		await page.locator('[data-testid=scorecard-row] th a', { hasText: 'Đàm Thuỷ' }).click();
		await page.waitForURL(/\/communes\/01501\?set=2025/);
		await page.locator('[data-testid=commune-map][data-map-loaded=true]').waitFor({ timeout: 30_000 });
		await expect(page.textContent('h1')).resolves.toBe('Đàm Thuỷ');
		await expect(page.textContent('[data-testid=rank]')).resolves.toMatch(/^1 \/ 56/);
		await expect.poll(() => chartBars('coverage-chart')).toBeGreaterThanOrEqual(12);
		await expect.poll(() => chartBars('reports-chart')).toBeGreaterThan(5);
		await expect.poll(() => page.locator('[data-testid=village-list] tbody tr').count()).toBeGreaterThan(5);
		await expect.poll(() => page.locator('[data-testid=zone-list] tbody tr').count()).toBeGreaterThan(0);
		// The map shows the outline (dark blue) and the villages' statuses (dark red: trắng sóng).
		const colours = await page.evaluate(() => {
			const source = document.querySelector<HTMLCanvasElement>('[data-testid=commune-map] canvas')!;
			const copy = document.createElement('canvas');
			[copy.width, copy.height] = [source.width, source.height];
			const ctx = copy.getContext('2d')!;
			ctx.drawImage(source, 0, 0);
			const { data } = ctx.getImageData(0, 0, copy.width, copy.height);
			let outline = 0;
			let trang = 0;
			for (let i = 0; i < data.length; i += 4) {
				const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
				if (Math.abs(r - 29) < 25 && Math.abs(g - 78) < 25 && Math.abs(b - 137) < 25) outline++;
				if (Math.abs(r - 150) < 30 && g < 40 && b < 50) trang++;
			}
			return { outline, trang };
		});
		expect(colours.outline).toBeGreaterThan(200);
		expect(colours.trang).toBeGreaterThan(10);
		// The figures' table under a chart holds the same shares the chart draws.
		// (Collapsed <details>: textContent, not innerText.)
		const anyRow = (await page.locator('[data-testid=coverage-chart] details tbody tr').last().textContent())!;
		const covered = (await page.textContent('[data-testid=covered-share] strong'))!.trim();
		expect(anyRow).toContain(covered);
		await expect(page.getAttribute('[data-testid=open-map]', 'href')).resolves.toMatch(/^\/\?bbox=[\d.]+,[\d.]+,[\d.]+,[\d.]+&commune=01501&layers=communes,towers,deadZones,villages$/);
		await page.getByTestId('province-link').click();
		await page.waitForURL(/\/province\/04$/);
	});

	it('a commune page fits a phone', async () => {
		await context.close();
		await open({ width: 390, height: 844 });
		await page.goto(`${baseUrl}/communes/01501`);
		await page.locator('[data-testid=commune-map][data-map-loaded=true]').waitFor({ timeout: 30_000 });
		await expect.poll(() => chartBars('coverage-chart')).toBeGreaterThanOrEqual(12);
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(400);
		const map = await page.getByTestId('commune-map').boundingBox();
		const figures = await page.getByTestId('commune-figures').boundingBox();
		// One column: the figures come under the map.
		expect(figures!.y).toBeGreaterThan(map!.y + map!.height - 1);
	});

	it('an unknown commune or province is a 404 page in Vietnamese, a malformed code a 400', async () => {
		expect((await page.goto(`${baseUrl}/communes/99999`))?.status()).toBe(404);
		await expect(page.textContent('[data-testid=error-status]')).resolves.toMatch(/404/);
		expect((await page.goto(`${baseUrl}/province/99`))?.status()).toBe(404);
		expect((await page.goto(`${baseUrl}/communes/12`))?.status()).toBe(400);
		expect((await page.goto(`${baseUrl}/communes/01501?set=1990`))?.status()).toBe(400);
	});

	it('the province report shows KPI cards with targets and sources, and prints to a Vietnamese PDF', async () => {
		await page.goto(`${baseUrl}/province/04`);
		await expect(page.locator('[data-testid=kpis] li').count()).resolves.toBe(5);
		for (const key of ['villages_served', 'population_4g', 'population_5g', 'speed_4g', 'fiber_households']) {
			const card = page.getByTestId(`kpi-${key}`);
			await expect(card.getAttribute('data-status')).resolves.toMatch(/^(met|short|unknown)$/);
			await expect(card.innerText()).resolves.toMatch(/Nguồn: \S/);
		}
		await expect(page.locator('[data-testid=top-communes] tbody tr').count()).resolves.toBe(10);
		await expect.poll(() => chartBars('operators-chart')).toBeGreaterThanOrEqual(4);
		await expect.poll(() => chartBars('distribution-chart')).toBeGreaterThan(3);
		await expect.poll(() => chartBars('unserved-chart')).toBeGreaterThan(10);

		const pdf = await page.pdf({ format: 'A4', printBackground: true, margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' } });
		const { pages, text } = await pdfText(pdf);
		expect(pages).toBeGreaterThanOrEqual(1);
		expect(pages).toBeLessThanOrEqual(6);
		expect(text).toContain('Báo cáo phủ sóng tỉnh Cao Bằng');
		expect(text).toContain('Đàm Thuỷ');
		expect(text).toContain('TỔNG HỢP');
		expect(text).toMatch(/Quyết định 2269\/QĐ-TTg/);
		// The button is not printed.
		expect(text).not.toContain('In / lưu PDF');
	});

	it('the open-data page lists every dataset; the GeoParquet download reads back with hyparquet and matches the API', async () => {
		await page.goto(`${baseUrl}/open-data`);
		await expect(page.locator('[data-testid=datasets] tbody tr').count()).resolves.toBe(5);
		await expect.poll(() => page.locator('[data-testid=endpoints] dt').count()).toBeGreaterThan(10);
		const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-scorecards-parquet').click()]);
		expect(file.suggestedFilename()).toMatch(/^phu-song-scorecards-\d{4}-\d{2}-\d{2}\.parquet$/);
		const { rows, kv } = await readParquet(new Uint8Array(await readFile((await file.path())!)));
		const api = await (await page.request.get(`${baseUrl}/api/communes/scorecards?province=04`)).json();
		expect(rows).toHaveLength(api.scorecards.length);
		const damThuy = rows.find((r) => r.name === 'Đàm Thuỷ')!;
		const apiRow = api.scorecards.find((r: { name: string }) => r.name === 'Đàm Thuỷ');
		for (const key of ['commune_code', 'households', 'covered_share', 'unserved_households', 'priority_rank']) expect(damThuy[key], key).toEqual(apiRow[key]);
		expect((damThuy.geometry as GeoJSON.Geometry).type).toMatch(/Polygon/);
		expect(JSON.parse(kv.geo).columns.geometry.encoding).toBe('WKB');

		const pkg = await (await page.request.get(`${baseUrl}/api/open-data/datapackage.json`)).json();
		expect(pkg.licenses[0].name).toBe('CC-BY-4.0');
		expect(pkg.resources).toHaveLength(15);
		const missing = await page.request.get(`${baseUrl}/api/open-data/passwords.csv`);
		expect(missing.status()).toBe(404);
		await expect(missing.text()).resolves.toMatch(/file: no dataset/);
		const openapi = await (await page.request.get(`${baseUrl}/api/openapi.json`)).json();
		expect(Object.keys(openapi.paths)).toContain('/api/open-data/{file}');
	});
});
