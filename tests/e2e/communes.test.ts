import { readFile } from 'node:fs/promises';
import { strFromU8, unzipSync } from 'fflate';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { launchChromium, watchedPage } from '../helpers/browser';

const baseUrl = inject('baseUrl');

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
	({ context, page } = await watchedPage(browser, problems, { acceptDownloads: true }));
});
afterEach(async () => {
	await context?.close();
	expect(problems).toEqual([]);
});

const rows = () => page.locator('[data-testid=scorecard-row]');
const cellTexts = (column: number) => rows().evaluateAll((trs, i) => trs.map((tr) => (tr.children[i] as HTMLElement).innerText.trim()), column);
/** "1.234" (vi) → 1234; "12,5 %" → 12.5; "—" → NaN. */
const numberOf = (text: string) => Number(text.replace(/\s*%$/, '').replace(/\./g, '').replace(',', '.'));

async function download(testId: string): Promise<Buffer> {
	const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
	return readFile((await file.path())!);
}

/** An .xlsx sheet's rows as text cells placed by their references (shared strings resolved), read with fflate alone. */
function xlsxRows(bytes: Uint8Array): string[][] {
	const files = unzipSync(bytes);
	const shared = [...strFromU8(files['xl/sharedStrings.xml']).matchAll(/<si>(.*?)<\/si>/gs)].map((m) => [...m[1].matchAll(/<t[^>]*>([^<]*)<\/t>/g)].map((t) => t[1]).join(''));
	const column = (ref: string) => [...ref.replace(/\d+$/, '')].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
	const sheet = strFromU8(files['xl/worksheets/sheet1.xml']);
	return [...sheet.matchAll(/<row[^>]*>(.*?)<\/row>/gs)].map((row) => {
		const cells: string[] = [];
		for (const [, attrs, inner = ''] of row[1].matchAll(/<c ([^>]*?)(?:\/>|>(.*?)<\/c>)/gs)) {
			const ref = /r="([A-Z]+\d+)"/.exec(attrs)![1];
			const type = /t="(\w+)"/.exec(attrs)?.[1];
			const v = /<v>([^<]*)<\/v>/.exec(inner)?.[1] ?? /<t[^>]*>([^<]*)<\/t>/.exec(inner)?.[1] ?? '';
			cells[column(ref)] = type === 's' ? shared[Number(v)] : v;
		}
		return cells;
	});
}

describe('commune scorecards page in Chromium', () => {
	it('lists every demo commune by priority, sorts, searches without diacritics, and downloads exactly what is shown', async () => {
		await page.goto(`${baseUrl}/communes`);
		await expect.poll(() => rows().count()).toBe(56);
		await expect(page.textContent('[data-testid=synthetic-notice]')).resolves.toMatch(/TỔNG HỢP/);
		const ranks = (await cellTexts(0)).map(Number);
		expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
		expect(ranks[0]).toBe(1);

		// Sort by households, largest first, then smallest first.
		await page.getByTestId('sort-households').click();
		const households = (await cellTexts(2)).map(numberOf);
		expect(households).toEqual([...households].sort((a, b) => b - a));
		await expect(page.locator('th[aria-sort=descending]').innerText()).resolves.toMatch(/Số hộ|Households/);
		await page.getByTestId('sort-households').click();
		expect((await cellTexts(2)).map(numberOf)).toEqual([...households].reverse());

		// Search without diacritics.
		await page.getByTestId('scorecard-search').fill('dam thuy');
		await expect.poll(() => rows().count()).toBe(1);
		await expect(rows().first().innerText()).resolves.toMatch(/Đàm Thuỷ/);
		const shownHouseholds = numberOf((await cellTexts(2))[0]);

		// The CSV holds the row shown, with the same households.
		const csv = (await download('download-csv')).toString('utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
		expect(csv).toHaveLength(2);
		const header = csv[0].split(',');
		const line = csv[1].split(',');
		expect(line[header.indexOf('name')]).toBe('Đàm Thuỷ');
		expect(Number(line[header.indexOf('households')])).toBe(shownHouseholds);

		// All rows again, sorted by the 4G share: the Excel file has them in that order.
		await page.getByTestId('scorecard-search').fill('');
		await page.getByTestId('sort-share_4g').click();
		const namesShown = await rows().evaluateAll((trs) => trs.map((tr) => tr.querySelector('th a')!.textContent!.trim()));
		const sheet = xlsxRows(await download('download-xlsx'));
		expect(sheet[0].slice(0, 3)).toEqual(['commune_code', 'name', 'set']);
		expect(sheet.slice(1).map((r) => r[1])).toEqual(namesShown);
	});

	it("switches to one operator's view and to the pre-2025 set through the URL", async () => {
		await page.goto(`${baseUrl}/communes`);
		await page.getByTestId('operator-filter').selectOption('viettel');
		await page.waitForURL(/operator=viettel/);
		await expect.poll(() => page.textContent('[data-testid=scorecard-count]')).toMatch(/Viettel/);
		expect(await rows().count()).toBe(56);
		const response = await page.goto(`${baseUrl}/communes?set=pre2025`);
		expect(response?.status()).toBe(200);
		// The demo has no crosswalk: no old commune is reached.
		await expect.poll(() => rows().count()).toBe(0);
		expect((await page.goto(`${baseUrl}/communes?province=4`))?.status()).toBe(400);
	});

	it('fits a phone: the table scrolls sideways, the commune names stay in view', async () => {
		await context.close();
		({ context, page } = await watchedPage(browser, problems, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }));
		await page.goto(`${baseUrl}/communes`);
		await expect.poll(() => rows().count()).toBe(56);
		const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
		expect(pageWidth).toBeLessThanOrEqual(400);
		const scroller = page.locator('.scroll');
		expect(await scroller.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
		await scroller.evaluate((el) => (el.scrollLeft = 400));
		const box = await rows().first().locator('th').boundingBox();
		expect(box!.x).toBeLessThan(30);
	});
});
