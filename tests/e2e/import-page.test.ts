import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { signInAs } from '../helpers/session';

const baseUrl = inject('baseUrl');
let browser: Browser;
let dir: string;

beforeAll(async () => {
	browser = await launchChromium();
	dir = await mkdtemp(path.join(os.tmpdir(), 'phu-song-e2e-import-'));
});
afterAll(async () => {
	await browser?.close();
	await rm(dir, { recursive: true, force: true });
});

/** A drive-test log whose time and RSRP columns have Vietnamese names the importer does not know; row 4 has an impossible RSRP. */
const DRIVE_TEST = [
	'thoi_gian,lat,lon,operator,technology,muc_song,rssi',
	'2026-03-01T08:00:00Z,22.6612,106.2511,Viettel,LTE,-101,',
	'2026-03-01T08:00:05Z,22.6620,106.2530,Viettel,LTE,-108,',
	'2026-03-01T08:00:10Z,22.6631,106.2552,Viettel,LTE,-117,',
	'2026-03-01T08:00:15Z,22.6645,106.2570,Viettel,LTE,-20,',
	'2026-03-01T08:00:20Z,22.6650,106.2590,Viettel,LTE,-125,'
].join('\n');

async function plannerPage() {
	const { token } = await signInAs(baseUrl, 'planner');
	const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
	await context.addCookies([{ name: 'ps_session', value: token, url: baseUrl }]);
	const page = await context.newPage();
	const problems: string[] = [];
	page.on('pageerror', (err) => problems.push(err.message));
	return { page, problems };
}

describe('the upload page in Chromium', () => {
	it('uploads, previews, changes the mapping, imports with quarantine, survives a reload, downloads the quarantine and undoes', async () => {
		const file = path.join(dir, 'do-song-dam-thuy.csv');
		await writeFile(file, DRIVE_TEST);
		const { page, problems } = await plannerPage();
		await page.goto(`${baseUrl}/import`);
		await page.getByTestId('import-file').setInputFiles(file);

		// Preview: detected encoding and delimiter, suggested kind, the time column not found.
		const preview = page.getByTestId('import-preview');
		await expect.poll(() => preview.isVisible(), { timeout: 10_000 }).toBe(true);
		expect(await page.getByTestId('import-detected').textContent()).toMatch(/Bảng mã\s*utf-8.*Dấu phân cách\s*,/s);
		expect(await page.getByTestId('import-kind').inputValue()).toBe('measurements');
		expect(await page.getByTestId('import-sample').locator('tbody tr').count()).toBe(5);
		expect(await page.getByTestId('import-problem').textContent()).toMatch(/the header lacks observedAt/);
		expect(await page.getByTestId('import-start').isDisabled()).toBe(true);

		// Mapping change: time ← thoi_gian, RSRP ← muc_song.
		await page.getByTestId('map-observedAt').selectOption('thoi_gian');
		await expect.poll(() => page.getByTestId('import-problem').count(), { timeout: 10_000 }).toBe(0);
		await page.getByTestId('map-rsrpDbm').selectOption('muc_song');
		// "(bắt buộc)" marks the required fields only, separated by a space.
		const mappingText = (await page.getByTestId('import-mapping').locator('tbody th').allTextContents()).map((t) => t.trim());
		expect(mappingText).toContain('latitude (bắt buộc)');
		expect(mappingText).toContain('rsrpDbm');
		await page.getByTestId('import-skip-invalid').check();
		await page.screenshot({ path: 'test-results/import-preview.png', fullPage: true });
		await page.getByTestId('import-start').click();

		// Progress streams over server-sent events and ends in the summary.
		const result = page.getByTestId('import-result');
		await expect.poll(() => result.textContent(), { timeout: 20_000 }).toMatch(/Đã nhập do-song-dam-thuy\.csv \(lần nhập #\d+\)/);
		const importId = Number(/#(\d+)/.exec((await result.textContent())!)![1]);
		expect(await page.getByTestId('import-counts').textContent()).toMatch(/Đọc 5 · mới 4 .* lỗi 1/);
		const issues = await page.getByTestId('import-issues').textContent();
		expect(issues).toContain('-20');
		expect(issues).toMatch(/−140…−44|-140/);
		expect(page.url()).toMatch(/[?&]job=/);
		await page.screenshot({ path: 'test-results/import-result.png', fullPage: true });

		// A reload reconnects to the job (held in the server's memory) and shows the same summary.
		await page.reload();
		await expect.poll(() => page.getByTestId('import-result').textContent(), { timeout: 10_000 }).toContain(`#${importId}`);

		// The quarantine downloads as CSV, with the row, column, value and reason.
		const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-issues-download').click()]);
		const csv = await readFile((await download.path())!, 'utf8');
		expect(csv.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('row,line,column,value,reason');
		expect(csv).toMatch(/\n4,5,muc_song,-20,/);

		// Past imports list it; undo removes its rows.
		const rowOf = page.getByTestId(`import-${importId}`);
		expect(await rowOf.textContent()).toContain('đã nhập');
		expect(await page.getByTestId('import-view-map').getAttribute('href')).toBe('/');
		await page.getByTestId(`undo-${importId}`).click();
		await expect.poll(() => page.getByTestId('import-undone').textContent(), { timeout: 10_000 }).toContain(`#${importId}: xoá 4 dòng`);
		await expect.poll(() => rowOf.textContent(), { timeout: 10_000 }).toContain('đã hoàn tác');
		await page.screenshot({ path: 'test-results/import-history.png', fullPage: true });
		expect(problems).toEqual([]);
		await page.context().close();
	});

	it('lets the encoding be named when detection refuses the file (UTF-16 without a BOM)', async () => {
		const file = path.join(dir, 'utf16.csv');
		await writeFile(file, Buffer.from('lat,lon,rsrp,operator,technology,timestamp\n22.6671,106.2580,-95,Viettel,LTE,2026-10-01 07:00\n', 'utf16le'));
		const { page, problems } = await plannerPage();
		await page.goto(`${baseUrl}/import`);
		await page.getByTestId('import-file').setInputFiles(file);
		await expect.poll(() => page.getByTestId('import-problem').textContent(), { timeout: 10_000 }).toMatch(/UTF-16 without a byte-order mark/);
		await page.getByTestId('import-encoding').selectOption('utf-16le');
		await expect.poll(() => page.getByTestId('import-problem').count(), { timeout: 10_000 }).toBe(0);
		expect(await page.getByTestId('import-kind').inputValue()).toBe('measurements');
		expect(await page.getByTestId('import-sample').textContent()).toContain('106.2580');
		expect(problems).toEqual([]);
		await page.context().close();
	});

	it('takes a 200 MB upload, streamed to disk, and previews it', async () => {
		const file = path.join(dir, 'big.csv');
		const row = '2026-03-01T08:00:00Z,22.6612,106.2511,Viettel,LTE,-101\n';
		const out = createWriteStream(file);
		out.write('timestamp,lat,lon,operator,technology,rsrp\n');
		const block = row.repeat(20_000);
		for (let size = 0; size < 200 * 2 ** 20; size += block.length) if (!out.write(block)) await new Promise<void>((r) => out.once('drain', () => r()));
		await new Promise<void>((r) => out.end(() => r()));
		const { cookie } = await signInAs(baseUrl, 'planner');
		const response = await fetch(`${baseUrl}/api/imports/uploads?name=big.csv`, {
			method: 'POST',
			headers: { cookie, origin: baseUrl, 'content-type': 'application/octet-stream' },
			body: Readable.toWeb(createReadStream(file)) as ReadableStream,
			duplex: 'half'
		} as RequestInit);
		expect(response.status).toBe(200);
		const body = await response.json();
		expect(body.upload.sizeBytes).toBe((await stat(file)).size);
		expect(body.upload.sizeBytes).toBeGreaterThan(200 * 2 ** 20);
		expect(body.preview).toMatchObject({ suggestedKind: 'measurements', problem: null });
		expect(body.preview.rows).toHaveLength(5);
	});

	it('shows why a file is refused, before anything is written', async () => {
		const file = path.join(dir, 'no-shapefile.zip');
		const { zipSync, strToU8 } = await import('fflate');
		await writeFile(file, zipSync({ 'readme.txt': strToU8('only text') }));
		const { page, problems } = await plannerPage();
		await page.goto(`${baseUrl}/import`);
		await page.getByTestId('import-file').setInputFiles(file);
		await expect.poll(() => page.getByTestId('import-problem').textContent(), { timeout: 10_000 }).toMatch(/the zip holds no shapefile \(\.shp\) and no \.kml/);
		expect(await page.getByTestId('import-start').isDisabled()).toBe(true);
		expect(problems).toEqual([]);
		await page.context().close();
	});

	it('warns before importing rows that are not in Vietnam, then says why nothing was written, with no undo', async () => {
		const { page, problems } = await plannerPage();
		await page.goto(`${baseUrl}/import`);
		await page.getByTestId('import-file').setInputFiles(path.resolve('tests/fixtures/import/ocid_diff_2022-09-10_sample.csv'));
		await expect.poll(() => page.getByTestId('import-warning').textContent(), { timeout: 10_000 }).toMatch(/Không dòng nào trong 5 dòng đầu có MCC 452 \(Việt Nam\); thấy MCC \d+/);
		expect(await page.getByTestId('import-kind').inputValue()).toBe('towers');
		await page.getByTestId('import-start').click();
		const explanation = page.getByTestId('import-explanation');
		await expect.poll(() => explanation.textContent(), { timeout: 20_000 }).toMatch(/Không ghi dòng nào\..*198 dòng bị bỏ qua: MCC [\d, …]+ không phải của Việt Nam \(452\)/s);
		expect(await page.getByTestId('import-view-map').count()).toBe(0);
		const importId = Number(/#(\d+)/.exec((await page.getByTestId('import-result').textContent())!)![1]);
		expect(await page.getByTestId(`undo-${importId}`).count()).toBe(0);
		await page.screenshot({ path: 'test-results/import-nothing-written.png', fullPage: true });
		expect(problems).toEqual([]);
		await page.context().close();
	});

	it('refuses a zip bomb with 413 naming the limit, without the server inflating it', async () => {
		const { makeZipBomb } = await import('../helpers/zip-bomb');
		const bomb = makeZipBomb(400 * 2 ** 20, { declaredBytes: 1000 });
		expect(bomb.length).toBeLessThan(2 * 2 ** 20);
		const { cookie } = await signInAs(baseUrl, 'planner');
		const started = Date.now();
		const response = await fetch(`${baseUrl}/api/imports/uploads?name=bando.kmz`, { method: 'POST', headers: { cookie, origin: baseUrl, 'content-type': 'application/octet-stream' }, body: bomb });
		expect(response.status).toBe(413);
		expect((await response.json()).message).toMatch(/refused as a zip bomb; the limit is a ratio of 100:1/);
		expect(Date.now() - started).toBeLessThan(5000);
	});
});
