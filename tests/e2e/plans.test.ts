import { readFile } from 'node:fs/promises';
import { kml as kmlToGeoJson } from '@tmcw/togeojson';
import { DOMParser } from '@xmldom/xmldom';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, watchedPage } from '../helpers/browser';
import { signInAs, type Who } from '../helpers/session';

const baseUrl = inject('baseUrl');

let browser: Browser;
const contexts: BrowserContext[] = [];
let problems: string[] = [];

beforeAll(async () => {
	browser = await launchChromium();
});
afterAll(() => browser?.close());
afterEach(async () => {
	for (const c of contexts.splice(0)) await c.close();
	expect(problems).toEqual([]);
	problems = [];
});

/** A page signed in as `who` (through the real login form post), at a desktop or phone size. */
async function pageAs(who: Exclude<Who, 'public'>, viewport = { width: 1280, height: 900 }): Promise<Page> {
	const { context, page } = await watchedPage(browser, problems, { viewport, acceptDownloads: true });
	contexts.push(context);
	const { token } = await signInAs(baseUrl, who);
	await context.addCookies([{ name: 'ps_session', value: token, url: baseUrl }]);
	return page;
}

/** Runs a scenario from the /plan form for Viettel in Đàm Thuỷ and waits for its page; returns its id. */
async function runScenario(page: Page, name: string, limits: { p?: string; budget?: string }): Promise<number> {
	await page.goto(`${baseUrl}/plan`);
	await page.fill('input[placeholder]', name);
	await page.selectOption('[data-testid=plan-operator]', 'viettel');
	await page.selectOption('[data-testid=plan-communes]', ['01501']);
	await page.fill('[data-testid=plan-p]', limits.p ?? '');
	await page.fill('[data-testid=plan-budget]', limits.budget ?? '');
	await page.click('[data-testid=plan-run]');
	// Progress shows while the scenario runs (stages over server-sent events).
	await page.locator('[data-testid=plan-progress]').waitFor({ timeout: 10_000 });
	await page.waitForURL(/\/plan\/\d+$/, { timeout: 90_000 });
	return Number(/\/plan\/(\d+)$/.exec(page.url())![1]);
}

async function download(page: Page, testid: string): Promise<string> {
	const [file] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid=${testid}]`)]);
	return readFile((await file.path())!, 'utf8');
}

describe('plans and proposals in Chromium', () => {
	let scenarioA = 0;
	let scenarioB = 0;
	let proposalId = 0;

	it('a planner runs a scenario: progress, ranked explained sites, a map with the sites, a chart, and each export opens', async () => {
		const page = await pageAs('planner');
		scenarioA = await runScenario(page, 'E2E Đàm Thuỷ p4', { p: '4' });
		await page.locator('[data-testid=plan-map][data-map-loaded=true]').waitFor({ timeout: 30_000 });
		const rows = page.locator('[data-testid=plan-sites] tbody tr');
		const count = await rows.count();
		expect(count).toBeGreaterThan(0);
		expect(count).toBeLessThanOrEqual(4);
		await expect(page.textContent('[data-testid=plan-site-count]')).resolves.toBe(String(count));
		await expect(rows.first().textContent()).resolves.toMatch(/hộ có sóng ở Đàm Thuỷ/);
		// The map draws the proposed sites (violet macro towers or teal small cells) over their cells.
		const sitePixels = await page.evaluate(() => {
			const source = document.querySelector<HTMLCanvasElement>('[data-testid=plan-map] canvas')!;
			const copy = document.createElement('canvas');
			[copy.width, copy.height] = [source.width, source.height];
			const ctx = copy.getContext('2d')!;
			ctx.drawImage(source, 0, 0);
			const { data } = ctx.getImageData(0, 0, copy.width, copy.height);
			let n = 0;
			for (let i = 0; i < data.length; i += 4) {
				const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
				if ((Math.abs(r - 110) < 25 && Math.abs(g - 60) < 25 && Math.abs(b - 170) < 25) || (r < 30 && Math.abs(g - 128) < 25 && Math.abs(b - 128) < 25)) n++;
			}
			return n;
		});
		expect(sitePixels).toBeGreaterThan(50);
		await expect.poll(() => page.locator('[data-testid=communes-chart] .plot svg rect').count()).toBeGreaterThanOrEqual(2);
		// Exports: the same sites in every format.
		const geojson = JSON.parse(await download(page, 'export-geojson'));
		expect(geojson.features).toHaveLength(count);
		expect(geojson.features[0].properties).toMatchObject({ type: expect.stringMatching(/^(small-cell|macro)$/), communeCode: '01501' });
		const csv = parseCsv(await download(page, 'export-csv'), { columns: true, bom: true }) as Record<string, string>[];
		expect(csv.map((r) => r.id)).toEqual(geojson.features.map((f: { properties: { id: string } }) => f.properties.id));
		const kml = kmlToGeoJson(new DOMParser().parseFromString(await download(page, 'export-kml'), 'text/xml') as unknown as Document);
		expect(kml.features.map((f) => (f.geometry as { coordinates: number[] }).coordinates)).toEqual(geojson.features.map((f: { geometry: { coordinates: number[] } }) => f.geometry.coordinates));
		await page.screenshot({ path: 'test-results/plan-result.png', fullPage: true });
	}, 180_000);

	it('saves a second scenario and compares the two side by side', async () => {
		const page = await pageAs('planner');
		scenarioB = await runScenario(page, 'E2E Đàm Thuỷ budget 6', { budget: '6' });
		await page.goto(`${baseUrl}/plan`);
		for (const name of ['E2E Đàm Thuỷ p4', 'E2E Đàm Thuỷ budget 6']) await page.getByRole('checkbox', { name: `So sánh ${name}` }).check();
		await page.click('[data-testid=compare-link]');
		await page.waitForURL(new RegExp(`/plan/compare\\?ids=(${scenarioA},${scenarioB}|${scenarioB},${scenarioA})$`));
		const header = await page.locator('[data-testid=compare-table] thead th').allTextContents();
		expect(header.slice(1)).toEqual(expect.arrayContaining(['E2E Đàm Thuỷ p4', 'E2E Đàm Thuỷ budget 6']));
		await expect.poll(() => page.locator('[data-testid=compare-communes] tbody tr').count()).toBeGreaterThan(0);
		await page.locator('[data-testid=plan-map][data-map-loaded=true]').waitFor({ timeout: 30_000 });
	}, 180_000);

	it('the planner sends a site; the Viettel liaison accepts it; the planner sees it accepted; VNPT cannot see it', async () => {
		const planner = await pageAs('planner');
		await planner.goto(`${baseUrl}/plan/${scenarioA}`);
		await planner.locator('[data-testid=plan-sites] tbody tr').first().locator('input[type=checkbox]').check();
		await planner.click('[data-testid=send-proposals]');
		await expect(planner.locator('[data-testid=send-result]').textContent()).resolves.toMatch(/Đã gửi 1 đề xuất cho Viettel/);
		const link = planner.locator('[data-testid=plan-sites] tbody tr').first().locator('a[href^="/proposals/"]');
		proposalId = Number((await link.getAttribute('href'))!.split('/').pop());
		await expect(link.textContent()).resolves.toBe('Đã gửi');

		const liaison = await pageAs('operatorA');
		await liaison.goto(`${baseUrl}/proposals`);
		await liaison.locator(`[data-testid=proposal-list] a[href="/proposals/${proposalId}"]`).click();
		await liaison.click('[data-testid=move-accepted]');
		await expect.poll(() => liaison.textContent('[data-testid=proposal-state]')).toBe('Đã chấp nhận');
		await expect.poll(() => liaison.locator('[data-testid=proposal-history] tbody tr').count()).toBe(3);
		// A rejection needs a reason: the next moves are building only (accepted → building).
		expect(await liaison.locator('[data-testid^=move-]').allTextContents()).toEqual(['Bắt đầu xây dựng']);

		await planner.goto(`${baseUrl}/proposals?state=accepted`);
		await expect(planner.locator(`[data-testid=proposal-list] tr[data-state=accepted] a[href="/proposals/${proposalId}"]`).count()).resolves.toBe(1);

		const other = await pageAs('operatorB');
		await other.goto(`${baseUrl}/proposals`);
		await expect(other.locator(`a[href="/proposals/${proposalId}"]`).count()).resolves.toBe(0);
		const response = await other.goto(`${baseUrl}/proposals/${proposalId}`);
		expect(response?.status()).toBe(404);
		problems = problems.filter((p) => !/404/.test(p));
	}, 180_000);

	it('a commune officer follows the proposals of the commune and cannot move them', async () => {
		const page = await pageAs('commune');
		await page.goto(`${baseUrl}/proposals/${proposalId}`);
		await expect(page.textContent('[data-testid=proposal-state]')).resolves.toBe('Đã chấp nhận');
		await expect(page.locator('[data-testid^=move-]').count()).resolves.toBe(0);
	});

	it('an area drawn on the map and a site position added there go into the scenario', async () => {
		const page = await pageAs('planner');
		await page.goto(`${baseUrl}/plan`);
		await page.click('[data-testid=plan-draw] summary');
		const map = page.locator('[data-testid=plan-draw-map][data-map-loaded=true]');
		await map.waitFor({ timeout: 30_000 });
		await page.click('[data-testid=draw-area]');
		// Clicks go where the map is on screen.
		await map.scrollIntoViewIfNeeded();
		const box = (await map.boundingBox())!;
		for (const [fx, fy] of [[0.3, 0.3], [0.7, 0.3], [0.7, 0.7], [0.3, 0.7]]) await page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
		await page.click('[data-testid=finish-area]');
		await expect(page.textContent('[data-testid=draw-summary]')).resolves.toMatch(/4 góc/);
		await page.click('[data-testid=add-sites]');
		await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.5);
		await expect(page.locator('[data-testid=planner-points] li').count()).resolves.toBe(1);
		await page.selectOption('[data-testid=plan-operator]', 'viettel');
		await page.fill('[data-testid=plan-p]', '2');
		await page.click('[data-testid=plan-run]');
		await page.waitForURL(/\/plan\/\d+$/, { timeout: 90_000 });
		const saved = await (await page.request.get(`${baseUrl}/api/plans/${/\/plan\/(\d+)$/.exec(page.url())![1]}`)).json();
		expect(saved.options.polygon.coordinates[0]).toHaveLength(5);
		expect(saved.options.communes).toEqual([]);
		expect(saved.options.plannerPoints).toHaveLength(1);
	}, 120_000);

	it('on a phone the scenario page fits the screen: each site a card, no sideways scroll', async () => {
		const page = await pageAs('planner', { width: 390, height: 844 });
		await page.goto(`${baseUrl}/plan/${scenarioA}`);
		await page.locator('[data-testid=plan-map][data-map-loaded=true]').waitFor({ timeout: 30_000 });
		expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
		const card = await page.locator('[data-testid=plan-sites] tbody tr').first().boundingBox();
		expect(card!.width).toBeLessThanOrEqual(390);
		await page.screenshot({ path: 'test-results/plan-result-phone.png', fullPage: true });
	}, 60_000);
});
