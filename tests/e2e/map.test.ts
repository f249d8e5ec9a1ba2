import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { SIGNAL_CLASS_RGB } from '../../src/lib/signal/classes';
import { DEAD_ZONE_RGB, DISPUTED_RGB, VILLAGE_STATUS_RGB } from '../../src/lib/components/map/layers';
import { SITE_TYPE_RGB } from '../../src/lib/components/map/colors';
import { launchChromium } from '../helpers/browser';
import { findColour, mapPixelStats, mapPixelsIn } from '../helpers/pixels';
import { DENSITY_RGB, FIBER_RGB } from '../../src/lib/components/map/choropleth';
import { signInAs } from '../helpers/session';

const baseUrl = inject('baseUrl');
const COLOURS = { dead: SIGNAL_CLASS_RGB.dead, good: SIGNAL_CLASS_RGB.good, selected: [180, 90, 0] as [number, number, number] };

let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: string[];

beforeAll(async () => {
	browser = await launchChromium();
});
afterAll(() => browser?.close());

beforeEach(async () => {
	problems = [];
	context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	page = await context.newPage();
	page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
	page.on('request', (request) => {
		const url = request.url();
		// The map must work offline: nothing but this app, blob: workers and data: icons.
		if (!url.startsWith(baseUrl) && !url.startsWith('blob:') && !url.startsWith('data:')) problems.push(`external request: ${url}`);
	});
});
afterEach(async () => {
	await context?.close();
	expect(problems).toEqual([]);
});

/** Signs the browser context in (through the real login form post) as a planner. */
async function signInPlanner() {
	const { token } = await signInAs(baseUrl, 'planner');
	await context.addCookies([{ name: 'ps_session', value: token, url: baseUrl }]);
}

/** Opens the map and waits until its data is loaded and drawn. */
async function openMap() {
	await page.goto(baseUrl);
	await page.waitForSelector('[data-map-loaded]', { state: 'attached', timeout: 30_000 });
	await expect.poll(() => page.textContent('[data-testid=counts]'), { timeout: 30_000 }).toMatch(/56 .* 298 /);
	await expect.poll(async () => (await mapPixelStats(page, COLOURS)).reddish, { timeout: 20_000 }).toBeGreaterThan(2000);
}

describe('map page in Chromium', () => {
	it('draws communes, towers and report cells with a legend for the public, offline', async () => {
		await openMap();
		const stats = await mapPixelStats(page, COLOURS);
		expect(stats.distinctColours).toBeGreaterThan(100);
		// The public gets cells, not points, and no exact-points toggle.
		expect(await page.getByTestId('toggle-reports').count()).toBe(0);
		await expect(page.textContent('[data-testid=demo-banner]')).resolves.toMatch(/TỔNG HỢP/);
		const legend = await page.textContent('section.legend');
		expect(legend).toContain('Mất sóng');
		expect(legend).toContain('Viettel');
		await page.screenshot({ path: 'test-results/map.png' });
	});

	it('hides the report cells when their box is unchecked', async () => {
		await openMap();
		// Viettel's triangles are red too: only the cells should carry the colour measured.
		await page.getByTestId('toggle-towers').uncheck();
		const before = (await mapPixelStats(page, COLOURS)).reddish;
		await page.getByTestId('toggle-report-cells').uncheck();
		await expect.poll(async () => (await mapPixelStats(page, COLOURS)).reddish, { timeout: 10_000 }).toBeLessThan(before / 5);
		await page.getByTestId('toggle-report-cells').check();
		await expect.poll(async () => (await mapPixelStats(page, COLOURS)).reddish, { timeout: 10_000 }).toBeGreaterThan(before / 2);
	});

	it('states the class thresholds in the legend and filters the measured layer by operator and technology', async () => {
		await openMap();
		const classes = await page.getByTestId('legend-classes').textContent();
		expect(classes).toContain('RSRP ≥ −90');
		expect(classes).toContain('Chưa đủ bằng chứng');
		const asked = page.waitForResponse((r) => r.url().includes('/api/coverage/cells') && r.url().includes('operator=viettel') && r.url().includes('technology=4G') && r.url().includes('res=7'));
		await page.getByTestId('filter-operator').selectOption('viettel');
		await page.getByTestId('filter-technology').selectOption('4G');
		const answer = await (await asked).json();
		// The province view draws res 7 (res 8 is fetched once the map is zoomed past 10.5).
		expect(answer).toMatchObject({ operator: 'viettel', technology: '4G', res: 7 });
		expect(answer.cells.length).toBeGreaterThan(0);
		expect(answer.reporters.every((n: number) => n >= answer.minReporters)).toBe(true);
		await page.screenshot({ path: 'test-results/map-viettel-4g.png' });
	});

	it('shows a planner the exact report points, which toggle too', async () => {
		await signInPlanner();
		await openMap();
		// The demo's 30,000 reports, plus any other browser files sent before this one (report-form, intake).
		const counts = (await page.textContent('[data-testid=counts]'))!;
		const reports = Number(counts.match(/([\d.]+) báo cáo/)![1].replace(/\./g, ''));
		expect(reports).toBeGreaterThanOrEqual(30_000);
		expect(reports).toBeLessThan(30_100);
		// Viettel's triangles are red too: hide towers so only report points carry the dead colour.
		await page.getByTestId('toggle-report-cells').uncheck();
		await page.getByTestId('toggle-towers').uncheck();
		await expect.poll(async () => (await mapPixelStats(page, COLOURS)).near.dead, { timeout: 10_000 }).toBeGreaterThan(300);
		const before = (await mapPixelStats(page, COLOURS)).near.dead;
		await page.getByTestId('toggle-reports').uncheck();
		await expect.poll(async () => (await mapPixelStats(page, COLOURS)).near.dead, { timeout: 10_000 }).toBeLessThan(before / 5);
		await page.screenshot({ path: 'test-results/planner-map.png' });
	});

	it('shows the predicted layer, outlined in the class colours, with its legend entry and a tooltip', async () => {
		await openMap();
		expect(await page.getByTestId('legend-predicted').count()).toBe(0);
		// Only the prediction on the map: no measured cells, towers or communes.
		for (const id of ['toggle-report-cells', 'toggle-towers', 'toggle-communes']) await page.getByTestId(id).uncheck();
		await expect.poll(async () => (await mapPixelStats(page, COLOURS)).near.good, { timeout: 10_000 }).toBeLessThan(50);
		const predicted = page.waitForResponse((r) => r.url().includes('source=predicted') && r.url().includes('res=7'));
		await page.getByTestId('toggle-predicted').check();
		expect((await predicted).status()).toBe(200);
		await expect.poll(async () => (await mapPixelStats(page, COLOURS)).near.good, { timeout: 20_000 }).toBeGreaterThan(500);
		expect((await mapPixelStats(page, COLOURS)).near.dead).toBeGreaterThan(50); // karst shadows
		expect(await page.getByTestId('legend-predicted').textContent()).toMatch(/dự báo/i);
		const box = (await page.getByTestId('map').boundingBox())!;
		await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.5);
		await expect.poll(() => page.getByTestId('map-tooltip').textContent(), { timeout: 10_000 }).toMatch(/Dự báo · ô .*dBm/s);
		await page.screenshot({ path: 'test-results/map-predicted.png' });
		await page.setViewportSize({ width: 390, height: 844 });
		await page.screenshot({ path: 'test-results/map-predicted-phone.png', fullPage: true });
	});

	it('shows the fused best estimate to everyone, and disputed cells with their evidence package to a planner', async () => {
		await openMap();
		expect(await page.getByTestId('toggle-disputed').count()).toBe(0);
		for (const id of ['toggle-report-cells', 'toggle-towers', 'toggle-communes']) await page.getByTestId(id).uncheck();
		await expect.poll(async () => (await mapPixelStats(page, COLOURS)).near.dead, { timeout: 10_000 }).toBeLessThan(50);
		const bare = (await mapPixelStats(page, COLOURS)).distinctColours;
		const best = page.waitForResponse((r) => r.url().includes('source=best') && r.url().includes('res=7'));
		await page.getByTestId('toggle-best').check();
		const answer = await (await best).json();
		expect(answer).toMatchObject({ source: 'best', minReporters: 3 });
		// At res 7 there is no parent fallback (that is res 9's, from res 8).
		expect(new Set(answer.decidedBy)).toEqual(new Set(['measured', 'predicted', 'declared']));
		// Translucent fills in four class colours at four strengths: many colours where there were few.
		await expect.poll(async () => (await mapPixelStats(page, COLOURS)).distinctColours, { timeout: 30_000 }).toBeGreaterThan(bare + 30);
		expect(await page.getByTestId('legend-best').textContent()).toMatch(/dự báo truyền sóng/);
		await page.screenshot({ path: 'test-results/map-best.png' });

		await context.close();
		context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
		page = await context.newPage();
		await signInPlanner();
		await openMap();
		for (const id of ['toggle-report-cells', 'toggle-towers', 'toggle-communes', 'toggle-reports']) await page.getByTestId(id).uncheck();
		await page.getByTestId('filter-operator').selectOption('viettel');
		await page.getByTestId('filter-technology').selectOption('4G');
		const disputed = page.waitForResponse((r) => r.url().includes('source=disputed') && r.url().includes('res=8'));
		await page.getByTestId('toggle-disputed').check();
		const d = await (await disputed).json();
		expect(d.cells.length).toBeGreaterThan(10);
		expect(d.operators.every((o: string) => o === 'viettel')).toBe(true);
		await expect.poll(async () => (await mapPixelStats(page, { magenta: DISPUTED_RGB })).near.magenta, { timeout: 30_000 }).toBeGreaterThan(100);
		expect(await page.getByTestId('legend-disputed').textContent()).toMatch(/≥ 3 người báo, ≥ 2 ngày, mất\/yếu sóng cách nhau ≥ 4 giờ/);
		const link = page.getByTestId('dispute-package').locator('a');
		expect(await link.getAttribute('href')).toBe('/api/disputes/package?operator=viettel&format=zip');
		const zip = await page.request.get(`${baseUrl}/api/disputes/package?operator=viettel&format=zip`);
		expect(zip.status()).toBe(200);
		expect(zip.headers()['content-type']).toBe('application/zip');
		await page.screenshot({ path: 'test-results/map-disputed.png' });
	});

	it('shows the public dead zones and villages by status, with their legend, figures on a tap and the stale-cell download', async () => {
		await openMap();
		for (const id of ['toggle-report-cells', 'toggle-towers', 'toggle-communes']) await page.getByTestId(id).uncheck();
		const zonesAnswer = page.waitForResponse((r) => r.url().includes('/api/dead-zones'));
		const villagesAnswer = page.waitForResponse((r) => r.url().includes('/api/villages'));
		await page.getByTestId('toggle-dead-zones').check();
		await page.getByTestId('toggle-villages').check();
		const zones = await (await zonesAnswer).json();
		const villages = await (await villagesAnswer).json();
		expect(zones).toMatchObject({ type: 'FeatureCollection', res: 8, operator: null, minReporters: 3 });
		expect(zones.features.length).toBeGreaterThan(5);
		expect(villages.counts.trang_song).toBeGreaterThan(0);
		expect(villages.counts.lom_song).toBeGreaterThan(0);
		expect(villages.counts.co_song).toBeGreaterThan(0);
		await expect.poll(async () => (await mapPixelStats(page, { zone: DEAD_ZONE_RGB })).near.zone, { timeout: 30_000 }).toBeGreaterThan(50);
		const stats = await mapPixelStats(page, { trang: VILLAGE_STATUS_RGB.trang_song, co: VILLAGE_STATUS_RGB.co_song });
		expect(stats.near.trang).toBeGreaterThan(20);
		expect(stats.near.co).toBeGreaterThan(20);
		const legend = await page.getByTestId('legend-dead-zones').textContent();
		expect(legend).toMatch(new RegExp(`${zones.totals.zones} vùng`));
		expect(await page.getByTestId('legend-villages').textContent()).toMatch(/Trắng sóng.*Lõm sóng.*Có sóng/s);
		expect(await page.getByTestId('stale-download').locator('a').first().getAttribute('href')).toBe('/api/coverage/stale?format=csv');
		const csv = await page.request.get(`${baseUrl}/api/coverage/stale?format=csv`);
		expect(csv.status()).toBe(200);
		expect((await csv.text()).split('\n')[0]).toBe('h3,lng,lat,households,last_observed,communes');
		// A tap on a village shows its figures: find one on screen by its colour.
		const dot = await findColour(page, [VILLAGE_STATUS_RGB.co_song]);
		expect(dot).not.toBeNull();
		const box = (await page.getByTestId('map').boundingBox())!;
		await page.mouse.click(box.x + dot!.x, box.y + dot!.y);
		await expect.poll(async () => (await page.getByTestId('map-tooltip').count()) > 0 && (await page.getByTestId('map-tooltip').textContent()), { timeout: 5_000 }).toMatch(/Có sóng|Lõm sóng|Trắng sóng/);
		await page.screenshot({ path: 'test-results/map-dead-zones.png' });
	});

	it('shades communes by fiber share and cells by household density, with their legends, figures on a click and the operator filter', async () => {
		await openMap();
		for (const id of ['toggle-report-cells', 'toggle-towers']) await page.getByTestId(id).uncheck();
		const fiberColours = Object.fromEntries(FIBER_RGB.map((c, i) => [`f${i}`, c]));
		const fiberPixels = async () => Object.values((await mapPixelStats(page, fiberColours, 6)).near).reduce((a, b) => a + b, 0);
		const before = await fiberPixels();
		const fiberAnswer = page.waitForResponse((r) => r.url().includes('/api/communes/fiber'));
		await page.getByTestId('toggle-fiber').check();
		const fiber = await (await fiberAnswer).json();
		expect(fiber.operator).toBeNull();
		expect(fiber.codes.length).toBeGreaterThan(40);
		await expect.poll(fiberPixels, { timeout: 20_000 }).toBeGreaterThan(before + 20_000);
		expect(await page.getByTestId('legend-fiber').textContent()).toMatch(/< 20 %.*20–40 %.*≥ 80 %.*Chưa có số liệu/s);
		// A click on a commune gives its fiber figures and selects it.
		const box = (await page.getByTestId('map').boundingBox())!;
		await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.5);
		await expect.poll(() => page.getByTestId('details').getAttribute('data-kind'), { timeout: 10_000 }).toBe('fiber');
		expect(await page.getByTestId('details-body').textContent()).toMatch(/Cáp quang: [\d.]+ \/ [\d.]+ hộ được phủ \(\d+%\)|Chưa có số liệu cáp quang/);
		// One operator's figures come on the operator filter.
		const viettelAnswer = page.waitForResponse((r) => r.url().includes('/api/communes/fiber?operator=viettel'));
		await page.getByTestId('filter-operator').selectOption('viettel');
		expect((await (await viettelAnswer).json()).operator).toBe('viettel');
		await expect.poll(() => page.getByTestId('legend-fiber').textContent()).toMatch(/Viettel/);
		await page.screenshot({ path: 'test-results/map-fiber.png' });

		await page.getByTestId('toggle-fiber').uncheck();
		await expect.poll(fiberPixels, { timeout: 10_000 }).toBeLessThan(before + 5_000);
		// Drawn at alpha 190 over the background (#e9eee9).
		const overBackground = (c: readonly number[]) => c.map((v, i) => Math.round((v * 190 + [233, 238, 233][i] * 65) / 255)) as [number, number, number];
		const densityColours = Object.fromEntries(DENSITY_RGB.slice(1).map((c, i) => [`d${i}`, overBackground(c)]));
		const densityPixels = async () => Object.values((await mapPixelStats(page, densityColours, 8)).near).reduce((a, b) => a + b, 0);
		const withoutDensity = await densityPixels();
		const populationAnswer = page.waitForResponse((r) => r.url().includes('/api/population/cells'));
		await page.getByTestId('toggle-population').check();
		const population = await (await populationAnswer).json();
		expect(population.cells.length).toBe(population.householdsPerKm2.length);
		await expect.poll(densityPixels, { timeout: 20_000 }).toBeGreaterThan(withoutDensity + 5_000);
		expect(await page.getByTestId('legend-population').textContent()).toMatch(/< 5.*5–25.*≥ 400/s);
		// The layers are in the shared link.
		await expect.poll(() => new URL(page.url()).searchParams.get('layers')).toMatch(/population/);
		await page.screenshot({ path: 'test-results/map-population.png' });
	});

	it("draws a signed-in caller's proposed sites over the cells they would cover, with their file a click away", async () => {
		await signInPlanner();
		// A small MobiFone scenario in Đàm Thuỷ, proposed (the API the plan page uses).
		const run = await page.request.post(`${baseUrl}/api/plans`, { data: { name: 'map e2e', operator: 'mobifone', communes: ['01501'], p: 2, timeLimitS: 5 } });
		const done = /event: done\ndata: (\{.*\})/.exec(await run.text());
		expect(done, 'the scenario finished').not.toBeNull();
		const scenarioId = JSON.parse(done![1]).id as number;
		const proposed = await page.request.post(`${baseUrl}/api/proposals`, { data: { scenarioId, sites: null } });
		expect(proposed.status()).toBe(201);
		const ids = (await proposed.json()).ids as number[];
		expect(ids.length).toBeGreaterThan(0);

		await page.goto(`${baseUrl}/?commune=01501&layers=communes,proposals&operator=mobifone`);
		await page.waitForSelector('[data-map-loaded]', { state: 'attached', timeout: 30_000 });
		// Fit to Đàm Thuỷ through the search, so the sites are large enough to click.
		await page.locator('input[role=combobox]').fill('Dam Thuy');
		await page.getByRole('option', { name: /Đàm Thuỷ/ }).waitFor({ timeout: 10_000 });
		await page.locator('input[role=combobox]').press('Enter');
		const siteColours = { small: SITE_TYPE_RGB['small-cell'], macro: SITE_TYPE_RGB.macro };
		await expect.poll(async () => { const n = (await mapPixelStats(page, siteColours, 10)).near; return n.small + n.macro; }, { timeout: 20_000 }).toBeGreaterThan(30);
		expect(await page.getByTestId('legend-proposals').textContent()).toMatch(/Trạm nhỏ.*Trạm vĩ mô|Trạm vĩ mô.*Trạm nhỏ/s);
		await page.waitForTimeout(800);
		const site = await findColour(page, Object.values(siteColours));
		expect(site).not.toBeNull();
		const box = (await page.getByTestId('map').boundingBox())!;
		await page.mouse.click(box.x + site!.x, box.y + site!.y);
		await expect.poll(() => page.getByTestId('details').getAttribute('data-kind'), { timeout: 10_000 }).toBe('proposal');
		expect(await page.getByTestId('details-body').textContent()).toMatch(/Đề xuất #\d+ · MobiFone/);
		const href = (await page.getByTestId('details-proposal').getAttribute('href'))!;
		expect(ids).toContain(Number(href.split('/').pop()));
		await page.screenshot({ path: 'test-results/map-proposals.png' });
	});

	it('gives planners the last 90 or 180 days of measurements, in the link; the public sees the default only', async () => {
		await openMap();
		expect(await page.getByTestId('filter-window').count()).toBe(0);
		const refused = await page.request.get(`${baseUrl}/api/coverage/cells?bbox=102,8,110,23.5&res=8&window=90`);
		expect(refused.status()).toBe(400);
		expect((await refused.json()).message).toMatch(/^window: /);

		await signInPlanner();
		const first = page.waitForResponse((r) => r.url().includes('/api/coverage/cells') && r.url().includes('res=7'));
		await page.goto(`${baseUrl}/?layers=communes,reportCells`);
		const reportsIn = (cells: { reports: number[] }) => cells.reports.reduce((a, b) => a + b, 0);
		const whole = await (await first).json();
		await page.waitForSelector('[data-map-loaded]', { state: 'attached', timeout: 30_000 });
		const windowed = page.waitForResponse((r) => r.url().includes('/api/coverage/cells') && r.url().includes('res=7') && r.url().includes('window=90'));
		await page.getByTestId('filter-window').selectOption('90');
		const last90 = await (await windowed).json();
		expect(last90.window).toBe(90);
		expect(reportsIn(last90)).toBeGreaterThan(0);
		expect(reportsIn(last90)).toBeLessThan(reportsIn(whole));
		await expect.poll(() => new URL(page.url()).searchParams.get('window')).toBe('90');
		// The link reopens on the same window.
		const again = page.waitForResponse((r) => r.url().includes('/api/coverage/cells') && r.url().includes('window=90'));
		await page.goto(page.url());
		await again;
		expect(await page.getByTestId('filter-window').inputValue()).toBe('90');
	});

	it('applies the confidence and tower filters on the GPU: what is drawn changes, nothing is fetched again', async () => {
		await openMap();
		await page.getByTestId('toggle-towers').uncheck();
		await page.getByTestId('toggle-communes').uncheck();
		// About one cell in nine of the demo is below 75 % confidence: hiding them bares the background.
		const background = async () => (await mapPixelStats(page, { bg: [233, 238, 233] }, 3)).near.bg;
		// Measured once the unchecked layers are gone: two equal readings in a row.
		let all = -1;
		for (let previous = -2; all !== previous; await page.waitForTimeout(300)) [previous, all] = [all, await background()];
		const fetched: string[] = [];
		page.on('request', (r) => r.url().includes('/api/') && fetched.push(r.url()));
		await page.getByTestId('filter-confidence').selectOption('0.75');
		await expect.poll(background, { timeout: 10_000 }).toBeGreaterThan(all + 3_000);
		await page.getByTestId('filter-confidence').selectOption('0');
		await expect.poll(background, { timeout: 10_000 }).toBeLessThan(all + 500);

		await page.getByTestId('toggle-report-cells').uncheck();
		await page.getByTestId('toggle-towers').check();
		const towerColours = { viettel: [228, 0, 43] as [number, number, number], vnpt: [0, 114, 188] as [number, number, number] };
		await expect.poll(async () => (await mapPixelStats(page, towerColours, 20)).near.vnpt, { timeout: 10_000 }).toBeGreaterThan(20);
		const before = (await mapPixelStats(page, towerColours, 20)).near;
		await page.getByTestId('filter-operator').selectOption('viettel');
		await expect.poll(async () => (await mapPixelStats(page, towerColours, 20)).near.vnpt, { timeout: 10_000 }).toBe(0);
		expect((await mapPixelStats(page, towerColours, 20)).near.viettel).toBeGreaterThan(before.viettel * 0.8);
		// The operator filter refetches the measured cells (other data); the confidence filter fetched nothing.
		expect(fetched.filter((u) => !u.includes('operator=viettel'))).toEqual([]);
	});

	it('finds "Dam Thuy" without diacritics, zooms there, highlights it and names it on hover', async () => {
		await openMap();
		expect((await mapPixelStats(page, COLOURS)).near.selected).toBe(0);
		await page.locator('input[role=combobox]').fill('Dam Thuy');
		const option = page.getByRole('option', { name: /Đàm Thuỷ/ });
		await option.waitFor({ timeout: 10_000 });
		// Zoomed in past 10.5, the finer cells and outlines are fetched (the province view had res 7, zoom-9 outlines).
		const finer = Promise.all([
			page.waitForResponse((r) => r.url().includes('/api/coverage/cells') && r.url().includes('res=8')),
			page.waitForResponse((r) => r.url().includes('/api/communes?') && r.url().includes('zoom=12'))
		]);
		await page.locator('input[role=combobox]').press('Enter');
		await finer;
		await expect.poll(() => page.getAttribute('[data-testid=map]', 'data-selected-code')).toBe('01501');
		await expect.poll(async () => (await mapPixelStats(page, COLOURS)).near.selected, { timeout: 10_000 }).toBeGreaterThan(200);
		await page.getByTestId('toggle-report-cells').uncheck();
		await page.getByTestId('toggle-towers').uncheck();
		const box = (await page.getByTestId('map').boundingBox())!;
		await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
		await expect.poll(() => page.getByTestId('map-tooltip').textContent(), { timeout: 10_000 }).toContain('Đàm Thuỷ');
		await page.screenshot({ path: 'test-results/search.png' });
	});

	it('switches to English and remembers it on reload', async () => {
		await openMap();
		await expect(page.textContent('fieldset legend')).resolves.toBe('Lớp bản đồ');
		await page.getByTestId('lang-switch').click();
		await expect.poll(() => page.textContent('fieldset legend')).toBe('Layers');
		expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
		await page.reload();
		await expect(page.textContent('fieldset legend')).resolves.toBe('Layers');
		expect(await page.getAttribute('html', 'lang')).toBe('en');
		await expect(page.textContent('[data-testid=demo-banner]')).resolves.toMatch(/SYNTHETIC/);
	});

	it('keeps the view in the address, so a shared link opens the same map', async () => {
		await openMap();
		// A minimum confidence hides thin evidence: fewer cells drawn.
		await page.getByTestId('toggle-towers').uncheck();
		await expect.poll(async () => (await mapPixelStats(page, COLOURS)).near.good, { timeout: 10_000 }).toBeGreaterThan(1000);
		const allCells = await mapPixelStats(page, COLOURS);
		await page.getByTestId('filter-confidence').selectOption('0.75');
		await expect.poll(async () => (await mapPixelStats(page, COLOURS)).near.good + (await mapPixelStats(page, COLOURS)).near.dead, { timeout: 10_000 }).toBeLessThan(allCells.near.good + allCells.near.dead);
		await page.getByTestId('toggle-dead-zones').check();
		await page.getByTestId('filter-operator').selectOption('vnpt');
		await page.getByTestId('filter-technology').selectOption('4G');
		// Zoom in one step with the map's own control, then wait for the address to follow.
		await page.getByRole('button', { name: 'Zoom in' }).click();
		await expect.poll(() => new URL(page.url()).searchParams.get('layers'), { timeout: 10_000 }).toBe('communes,reportCells,deadZones');
		await expect.poll(() => new URL(page.url()).searchParams.get('operator')).toBe('vnpt');
		const shared = page.url();
		const at = new URL(shared).searchParams.get('at')!.split(',').map(Number);
		expect(new URL(shared).searchParams.get('technology')).toBe('4G');
		expect(new URL(shared).searchParams.get('confidence')).toBe('0.75');

		const other = await context.newPage();
		await other.goto(shared);
		await other.waitForSelector('[data-map-loaded]', { state: 'attached', timeout: 30_000 });
		expect(await other.getByTestId('toggle-dead-zones').isChecked()).toBe(true);
		expect(await other.getByTestId('toggle-towers').isChecked()).toBe(false);
		expect(await other.getByTestId('filter-operator').inputValue()).toBe('vnpt');
		expect(await other.getByTestId('filter-technology').inputValue()).toBe('4G');
		expect(await other.getByTestId('filter-confidence').inputValue()).toBe('0.75');
		// The same centre and zoom (the map reports its view back into the address).
		await expect.poll(() => new URL(other.url()).searchParams.get('at')).not.toBeNull();
		const again = new URL(other.url()).searchParams.get('at')!.split(',').map(Number);
		expect(Math.abs(again[0] - at[0])).toBeLessThan(1e-4);
		expect(Math.abs(again[1] - at[1])).toBeLessThan(1e-4);
		expect(Math.abs(again[2] - at[2])).toBeLessThan(0.01);
		await other.close();
	});

	it('shows Hoàng Sa and Trường Sa as Vietnam’s at national scale', async () => {
		// Centred between the two archipelagos at a zoom where both fit a 1280 × 800 map.
		const [lon0, lat0, zoom] = [113, 13, 5];
		await page.goto(`${baseUrl}/?at=${lon0},${lat0},${zoom}&layers=`);
		await page.waitForSelector('[data-map-loaded]', { state: 'attached', timeout: 30_000 });
		const box = (await page.getByTestId('map').boundingBox())!;
		// Web Mercator with MapLibre's 512-px world at zoom 0: where a point falls on the canvas (CSS px).
		const project = ([lon, lat]: [number, number]) => {
			const world = 512 * 2 ** zoom;
			const y = (l: number) => Math.log(Math.tan(Math.PI / 4 + (l * Math.PI) / 360));
			return [box.width / 2 + ((lon - lon0) / 360) * world, box.height / 2 - ((y(lat) - y(lat0)) / (2 * Math.PI)) * world];
		};
		const darkAround = async ([x, y]: [number, number], radius: number) =>
			(await mapPixelsIn(page, [x - radius, y - radius, 2 * radius, 2 * radius])).filter(([r, g, b]) => r + g + b < 330).length;
		const { ARCHIPELAGOS } = await import('../../src/lib/components/map/archipelagos');
		for (const a of ARCHIPELAGOS) {
			// The label (name and province) is drawn where it belongs...
			await expect.poll(() => darkAround(project(a.label) as [number, number], 40), { timeout: 15_000 }).toBeGreaterThan(40);
			// ...and an island is marked.
			expect(await darkAround(project(a.islands[0].position) as [number, number], 6)).toBeGreaterThan(2);
		}
		// Open sea far from both (the Gulf of Thailand's south) stays blank.
		expect(await darkAround(project([104, 7]) as [number, number], 30)).toBe(0);
		await page.screenshot({ path: 'test-results/archipelagos.png' });
	});

	it('on a 390-px phone puts the map first, the panel in a bottom sheet and the legend one tap away', async () => {
		await context.close();
		context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
		page = await context.newPage();
		page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
		await page.goto(baseUrl);
		await page.waitForSelector('[data-map-loaded]', { state: 'attached', timeout: 30_000 });
		const map = (await page.getByTestId('map').boundingBox())!;
		// The map takes the screen but the closed sheet's bar.
		expect(map.height).toBeGreaterThan(844 * 0.85);
		// Reachable = on screen and not covered: a closed sheet clips its content away.
		const reachable = (selector: string) =>
			page.evaluate((selector) => {
				const el = document.querySelector(selector);
				if (!el) return false;
				const r = el.getBoundingClientRect();
				const hit = document.elementFromPoint(r.left + r.width / 2, r.top + Math.min(r.height / 2, 10));
				return hit !== null && (hit === el || el.contains(hit) || hit.contains(el));
			}, selector);
		expect(await reachable('[data-testid=toggle-towers]')).toBe(false);
		await page.getByTestId('sheet-legend').tap();
		await expect.poll(() => reachable('section.legend')).toBe(true);
		const legend = (await page.locator('section.legend').boundingBox())!;
		expect(legend.y).toBeGreaterThanOrEqual(0);
		expect(legend.y).toBeLessThan(844);
		await page.screenshot({ path: 'test-results/map-phone-legend.png' });
		await page.getByTestId('sheet-toggle').tap();
		await expect.poll(() => reachable('[data-testid=toggle-towers]')).toBe(false);
		await page.getByTestId('sheet-toggle').tap();
		await expect.poll(() => reachable('[data-testid=toggle-towers]')).toBe(true);
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
	});

	it('exports the view as PNG and PDF with the deck.gl layers in the picture, the title and the legend', async () => {
		await openMap();
		await page.getByTestId('toggle-towers').uncheck();
		const downloaded = async (button: string) => {
			const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(button).click()]);
			const path = await file.path();
			return { name: file.suggestedFilename(), bytes: new Uint8Array((await import('node:fs')).readFileSync(path!)) };
		};
		/** Counts the cell colours in an image (decoded by the browser): deck.gl's hexagons, not MapLibre's background. */
		const cellPixels = (bytes: Uint8Array, type: string) =>
			page.evaluate(
				async ({ b64, type, dead, good }) => {
					const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type }));
					const c = new OffscreenCanvas(bitmap.width, bitmap.height);
					const g = c.getContext('2d')!;
					g.drawImage(bitmap, 0, 0);
					const { data } = g.getImageData(0, 0, bitmap.width, bitmap.height);
					const near = (i: number, [r, gg, b]: number[]) => Math.abs(data[i] - r) < 40 && Math.abs(data[i + 1] - gg) < 40 && Math.abs(data[i + 2] - b) < 40;
					let [deadCount, goodCount] = [0, 0];
					for (let i = 0; i < data.length; i += 4) {
						if (near(i, dead)) deadCount++;
						if (near(i, good)) goodCount++;
					}
					return { width: bitmap.width, height: bitmap.height, dead: deadCount, good: goodCount };
				},
				{ b64: Buffer.from(bytes).toString('base64'), type, dead: COLOURS.dead, good: COLOURS.good }
			);

		const png = await downloaded('export-png');
		expect(png.name).toMatch(/^phu-song-\d{4}-\d{2}-\d{2}\.png$/);
		const canvas = await page.evaluate(() => { const c = document.querySelector<HTMLCanvasElement>('[data-testid=map] canvas')!; return { w: c.width, h: c.height }; });
		const inPng = await cellPixels(png.bytes, 'image/png');
		expect(inPng.width).toBe(canvas.w);
		// Taller than the map: the title above, the legend and notes below.
		expect(inPng.height).toBeGreaterThan(canvas.h + 100);
		expect(inPng.dead).toBeGreaterThan(2000);
		expect(inPng.good).toBeGreaterThan(500);

		const pdf = await downloaded('export-pdf');
		expect(pdf.name).toMatch(/\.pdf$/);
		const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
		const doc = await getDocument({ data: pdf.bytes.slice(), isEvalSupported: false }).promise;
		expect(doc.numPages).toBe(1);
		expect((await doc.getPage(1)).view.map(Math.round)).toEqual([0, 0, 842, 595]);
		const { info } = (await doc.getMetadata()) as unknown as { info: { Title: string } };
		expect(info.Title).toMatch(/^Phủ Sóng — Bản đồ vùng phủ sóng/);
		await doc.destroy();
		// The page's picture is the same composition: its JPEG holds the deck.gl cells too.
		const text = Buffer.from(pdf.bytes).toString('latin1');
		const start = text.indexOf('stream\n', text.indexOf('/DCTDecode')) + 'stream\n'.length;
		const jpeg = pdf.bytes.slice(start, text.indexOf('\nendstream', start));
		const inPdf = await cellPixels(jpeg, 'image/jpeg');
		expect(inPdf.width).toBe(inPng.width);
		expect(inPdf.dead).toBeGreaterThan(1500);
		(await import('node:fs')).writeFileSync('test-results/map-export.png', png.bytes);
	});

	it('a click shows what is there in the panel: the place first, its figures and a link to the commune page', async () => {
		await openMap();
		await page.getByTestId('toggle-towers').uncheck();
		const box = (await page.getByTestId('map').boundingBox())!;
		// The middle of the province: a measured cell inside some commune.
		await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.5);
		const details = page.getByTestId('details');
		await details.waitFor({ timeout: 10_000 });
		expect(await details.getAttribute('data-kind')).toBe('cell');
		const place = (await page.getByTestId('details-body').locator('.place').textContent())!;
		expect(place).toMatch(/^(Xã|Phường) /);
		expect(await page.getByTestId('details-body').textContent()).toMatch(/báo cáo từ .* người/);
		const link = (await page.getByTestId('details-commune').getAttribute('href'))!;
		expect(link).toMatch(/^\/communes\/\d{5}$/);
		// With no cells drawn, the same click selects the commune itself.
		await page.getByTestId('toggle-report-cells').uncheck();
		await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.5);
		await expect.poll(() => details.getAttribute('data-kind')).toBe('commune');
		await expect.poll(() => page.getAttribute('[data-testid=map]', 'data-selected-code')).toBe(link.slice('/communes/'.length));
		// The link's commune is the one named: its page says the same name.
		await page.getByTestId('details-commune').click();
		await page.waitForURL(/\/communes\/\d{5}$/);
		expect(await page.textContent('h1')).toBe(place.replace(/^(Xã|Phường) /, ''));
	});
});
