import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import jsQR from 'jsqr';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, watchedPage } from '../helpers/browser';
import { pdfText } from '../helpers/pdf';
import { signInAs } from '../helpers/session';

/**
 * The residents' report form (issue 18) in Chromium as a phone (360 px, touch): sent online, made
 * offline (context offline AND route aborts, which also reach the service worker's own fetches),
 * reloaded offline, delivered once when the connection returns; tracked; checked with axe-core;
 * the poster printed to PDF.
 */
const baseUrl = inject('baseUrl');
const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
// A hamlet of the demo province (Cao Bằng); each test reports from its own point.
const HERE = { latitude: 22.7311, longitude: 106.2417, accuracy: 18 };

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

let shift = 0;
async function phone(): Promise<{ context: BrowserContext; page: Page }> {
	shift += 0.004;
	const { context, page } = await watchedPage(browser, problems, {
		viewport: { width: 360, height: 740 },
		deviceScaleFactor: 2,
		isMobile: true,
		hasTouch: true,
		geolocation: { ...HERE, longitude: HERE.longitude + shift },
		permissions: ['geolocation']
	});
	contexts.push(context);
	return { context, page };
}

async function openForm(page: Page) {
	await page.goto(`${baseUrl}/report`);
	await page.locator('[data-testid="report-form"][data-ready="true"]').waitFor();
}

/** Fills the form by touch: position from the (emulated) GPS, an operator, a problem, a note. */
async function fillForm(page: Page, note: string) {
	await page.tap('#field-position');
	await expect.poll(() => page.textContent('[data-testid="position-state"]')).toMatch(/sai số khoảng 18 m/);
	await page.getByLabel('Viettel').tap();
	await page.getByLabel('Không có dịch vụ / SOS').tap();
	await page.getByLabel('Không có sóng').tap();
	await page.getByLabel('Trong nhà').tap();
	await page.getByLabel('Tầng').fill('2');
	await page.getByLabel('Ghi chú (không bắt buộc)').fill(note);
}

/** How many stored reports carry this note, as a planner's moderation list (all statuses) shows them. */
async function reportsWithNote(note: string): Promise<number> {
	const { cookie } = await signInAs(baseUrl, 'planner');
	const html = await (await fetch(`${baseUrl}/moderation?status=all`, { headers: { cookie } })).text();
	// Each report's row quotes its note once (the page's data repeats it for the map).
	return html.split(`${note}</q>`).length - 1;
}

/** The text a QR image on the page encodes, read back from its pixels with jsQR (not the library that made it). */
async function decodeQr(page: Page, selector: string): Promise<string | null> {
	const { width, height, data } = await page.$eval(selector, async (el) => {
		const img = el as HTMLImageElement;
		await img.decode();
		const canvas = document.createElement('canvas');
		[canvas.width, canvas.height] = [320, 320];
		const g = canvas.getContext('2d')!;
		g.fillStyle = '#fff';
		g.fillRect(0, 0, 320, 320);
		g.drawImage(img, 0, 0, 320, 320);
		return { width: 320, height: 320, data: [...g.getImageData(0, 0, 320, 320).data] };
	});
	return jsQR(Uint8ClampedArray.from(data), width, height)?.data ?? null;
}

describe('the residents’ report form on a phone', () => {
	it('sends a report and shows its tracking code, link and QR code; the code tracks it', async () => {
		const { page } = await phone();
		await openForm(page);
		expect(await page.getAttribute('html', 'lang')).toBe('vi');
		const note = `e2e-online-${Date.now()}`;
		await fillForm(page, note);
		await page.tap('[data-testid="send"]');
		const result = page.locator('[data-testid="form-result"]');
		await expect.poll(() => result.getAttribute('data-kind')).toBe('sent');
		const code = (await page.textContent('[data-testid="tracking-code"]'))!.trim();
		expect(code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}$/);
		expect(await page.getByRole('link', { name: 'Xem tình trạng báo cáo' }).getAttribute('href')).toBe(`/report/${code}`);
		expect(await decodeQr(page, 'img.qr')).toBe(`${baseUrl}/report/${code}`);
		// Focus moves to the answer, so a screen reader reads it.
		expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('form-result');
		await expect.poll(() => page.locator('[data-testid="outbox"] li[data-state="sent"]').count()).toBe(1);

		await page.getByRole('link', { name: 'Xem tình trạng báo cáo' }).tap();
		await page.locator('[data-testid="track-status"]').waitFor();
		expect(await page.getAttribute('[data-testid="track-status"]', 'data-status')).toMatch(/^(counted|held)$/);
		expect(await page.textContent('main')).toContain(code);
		expect(await reportsWithNote(note)).toBe(1);
	});

	it('names what is missing and sends nothing until it is there', async () => {
		const { page } = await phone();
		await openForm(page);
		let posts = 0;
		page.on('request', (r) => r.url().endsWith('/api/reports') && r.method() === 'POST' && posts++);
		await page.tap('[data-testid="send"]');
		expect(await page.textContent('[data-testid="position-state"]')).toContain('Cần vị trí');
		expect(await page.textContent('form')).toContain('Chọn nhà mạng.');
		expect(await page.textContent('form')).toContain('Chọn vấn đề.');
		expect(await page.evaluate(() => document.activeElement?.id)).toBe('field-position');
		// A contact needs consent (Nghị định 13/2023/NĐ-CP).
		await fillForm(page, 'e2e-consent');
		await page.getByLabel(/Số điện thoại hoặc email/).fill('0912 345 678');
		await page.tap('[data-testid="send"]');
		expect(await page.evaluate(() => document.activeElement?.id)).toBe('field-consent');
		expect(posts).toBe(0);
	});

	it('loads the tap-map only when asked, takes a tapped position, and runs the bounded speed test', async () => {
		const { page } = await phone();
		const loaded: string[] = [];
		page.on('response', (r) => loaded.push(new URL(r.url()).pathname));
		await openForm(page);
		const mapCode = () => loaded.filter((p) => p.startsWith('/_app/immutable/') && p.endsWith('.js'));
		const before = mapCode().length;
		expect(await page.locator('[data-testid="tap-map"]').count()).toBe(0);
		await page.tap('[data-testid="open-map"]');
		const map = page.locator('[data-testid="tap-map"][data-map-loaded="true"]');
		await map.waitFor({ timeout: 30_000 });
		expect(mapCode().length).toBeGreaterThan(before); // MapLibre came on demand
		const box = (await map.boundingBox())!;
		await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
		await expect.poll(() => page.textContent('[data-testid="position-state"]')).toContain('Đã chọn vị trí trên bản đồ');

		// A refusal (the address spent its budget) says so and shows no figure made of an error's bytes.
		await page.route('**/api/speedtest*', (route) => route.fulfill({ status: 429, headers: { 'retry-after': '30' }, json: { message: 'Too many speed tests', retryAfterS: 30 } }));
		await page.tap('[data-testid="speed-test"]');
		await expect.poll(() => page.textContent('[data-testid="speed-result"]')).toContain('Mạng này vừa đo tốc độ quá nhiều lần');
		expect(await page.textContent('[data-testid="speed-result"]')).not.toMatch(/Mbit/);
		await page.unrouteAll();
		loaded.length = 0;

		await page.tap('[data-testid="speed-test"]');
		await expect.poll(() => page.textContent('[data-testid="speed-result"]'), { timeout: 30_000 }).toMatch(/Tải xuống [\d.,]+ Mbit\/s · tải lên [\d.,]+ Mbit\/s · độ trễ \d+ ms/);
		const downloaded = loaded.filter((p) => p === '/api/speedtest').length;
		expect(downloaded).toBeGreaterThanOrEqual(5); // 3 latency probes, 1–2 downloads, 1 upload
		// The report goes with its speed test and its tapped position.
		await page.getByLabel('MobiFone').tap();
		await page.getByLabel('Mạng chậm').tap();
		await page.tap('[data-testid="send"]');
		await expect.poll(() => page.getAttribute('[data-testid="form-result"]', 'data-kind')).toBe('sent');
	});

	it('keeps a report made with no connection, opens offline, and delivers it exactly once when the connection returns', async () => {
		const { context, page } = await phone();
		await openForm(page);
		// The worker installs on the first visit and takes the page over.
		await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });

		const aborted: string[] = [];
		await context.setOffline(true);
		await context.route('**/*', (route) => {
			aborted.push(new URL(route.request().url()).pathname);
			return route.abort('internetdisconnected');
		});
		const note = `e2e-offline-${Date.now()}`;
		await fillForm(page, note);
		await page.tap('[data-testid="send"]');
		await expect.poll(() => page.getAttribute('[data-testid="form-result"]', 'data-kind')).toBe('queued');
		expect(await page.textContent('[data-testid="outbox-waiting"]')).toContain('1 báo cáo đang chờ gửi');
		expect(aborted).toContain('/api/reports');

		// With no network at all, the form still opens (from the worker's copy) and lists the report.
		const reloaded = await page.reload();
		expect(reloaded?.fromServiceWorker()).toBe(true);
		await page.locator('[data-testid="report-form"][data-ready="true"]').waitFor();
		expect(aborted).toContain('/report'); // the worker did try the network first
		expect(await page.locator('[data-testid="outbox"] li').evaluateAll((items) => items.map((li) => li.getAttribute('data-state')))).toEqual(['waiting']);
		expect(await page.getAttribute('[data-testid="net-state"]', 'data-online')).toBe('false');
		expect(await reportsWithNote(note)).toBe(0);

		await context.unroute('**/*');
		await context.setOffline(false);
		// The `online` event sends it, with the id it was made with.
		const sent = page.locator('[data-testid="outbox"] li[data-state="sent"]');
		await sent.waitFor({ timeout: 30_000 });
		const code = (await sent.locator('a').textContent())!.trim();
		expect(code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}$/);
		expect(await page.locator('[data-testid="outbox-waiting"]').count()).toBe(0);
		expect(await reportsWithNote(note)).toBe(1);

		// Another visit sends nothing again; the server still has one report.
		let posts = 0;
		page.on('request', (r) => r.url().endsWith('/api/reports') && r.method() === 'POST' && posts++);
		await page.reload();
		await page.locator('[data-testid="report-form"][data-ready="true"]').waitFor();
		expect(posts).toBe(0);
		expect(await reportsWithNote(note)).toBe(1);
		expect((await fetch(`${baseUrl}/api/reports/track/${code}`)).status).toBe(200);
		// Chromium's own verdict: manifest, icons, worker and scope make it installable (a test
		// profile is incognito, which alone keeps Chromium from offering to install).
		const cdp = await context.newCDPSession(page);
		const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
		expect(installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito')).toEqual([]);
	});

	it('sends a report left waiting from the worker once the connection is back, with the page closed (Background Sync)', async () => {
		const { context, page } = await phone();
		await openForm(page);
		await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
		await context.setOffline(true);
		await context.route('**/*', (route) => route.abort('internetdisconnected'));
		const note = `e2e-background-${Date.now()}`;
		await fillForm(page, note);
		await page.tap('[data-testid="send"]');
		await expect.poll(() => page.getAttribute('[data-testid="form-result"]', 'data-kind')).toBe('queued');
		await page.close();
		await context.unroute('**/*');
		await context.setOffline(false);
		expect(await reportsWithNote(note)).toBe(0);

		// Chromium's "the connection is back", dispatched through DevTools as the browser would on its own.
		const probe = await context.newPage();
		await probe.goto(`${baseUrl}/api/health`);
		const cdp = await context.newCDPSession(probe);
		const scope = new Promise<string>((resolve) =>
			cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
				const form = registrations.find((r) => r.scopeURL.endsWith('/report') && !r.isDeleted);
				if (form) resolve(form.registrationId);
			})
		);
		await cdp.send('ServiceWorker.enable');
		await cdp.send('ServiceWorker.dispatchSyncEvent', { origin: new URL(baseUrl).origin, registrationId: await scope, tag: 'phu-song-outbox', lastChance: false });
		await expect.poll(() => reportsWithNote(note), { timeout: 30_000 }).toBe(1);

		// Opened again, the form lists it as sent, with its code, and sends nothing more.
		const again = await context.newPage();
		let posts = 0;
		again.on('request', (r) => r.url().endsWith('/api/reports') && r.method() === 'POST' && posts++);
		await openForm(again);
		const sent = again.locator('[data-testid="outbox"] li[data-state="sent"]');
		await sent.waitFor({ timeout: 10_000 });
		expect((await sent.locator('a').textContent())!.trim()).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}$/);
		expect(posts).toBe(0);
		expect(await reportsWithNote(note)).toBe(1);
	});

	it('passes axe-core’s WCAG 2 A/AA checks, empty and answered, in both languages, with a sensible focus order', async () => {
		const { page } = await phone();
		await openForm(page);
		const axe = async () => {
			await page.evaluate(AXE_SOURCE);
			return page.evaluate(async () => {
				const r = await (window as unknown as { axe: { run: (o: unknown) => Promise<{ violations: { id: string; nodes: unknown[] }[] }> } }).axe.run({ runOnly: ['wcag2a', 'wcag2aa'] });
				return r.violations.map((v) => `${v.id} ×${v.nodes.length}`);
			});
		};
		expect(await axe()).toEqual([]);
		// Focus order follows the form: position first, then the operators, then the problem, last send.
		const order: string[] = [];
		await page.focus('#field-position');
		for (let i = 0; i < 40; i++) {
			order.push(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.id || (document.activeElement as HTMLInputElement | null)?.name || document.activeElement?.getAttribute('data-testid') || ''));
			await page.keyboard.press('Tab');
		}
		const at = (name: string) => order.indexOf(name);
		expect(at('field-position')).toBe(0);
		expect(at('field-operator')).toBeGreaterThan(at('open-map'));
		expect(at('field-problem')).toBeGreaterThan(at('field-operator'));
		expect(at('send')).toBeGreaterThan(at('field-problem'));

		await page.getByTestId('lang-switch').tap();
		await expect.poll(() => page.textContent('h1')).toBe('Report weak or no signal');
		expect(await page.getAttribute('html', 'lang')).toBe('en');
		await page.tap('[data-testid="send"]');
		expect(await axe()).toEqual([]);
	});

	it('prints an A5 poster with the form’s QR code and address', async () => {
		const { page } = await phone();
		await page.goto(`${baseUrl}/report/poster`);
		expect(await page.textContent('[data-testid="poster-link"]')).toBe(`${baseUrl}/report`);
		const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
		const { pages, text } = await pdfText(pdf);
		expect(pages).toBe(1);
		expect(text).toContain('Nơi bạn ở có sóng yếu, mất sóng?');
		expect(text).toContain(`${baseUrl}/report`);
		const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
		const doc = await getDocument({ data: new Uint8Array(pdf) }).promise;
		const [, , width, height] = (await doc.getPage(1)).view;
		await doc.destroy();
		// A5 is 148 × 210 mm = 419.5 × 595.3 pt.
		expect(Math.round(width)).toBe(420);
		expect(Math.round(height)).toBe(595);
		// The printed QR reads back as the form's address.
		const svg = (await page.innerHTML('[data-testid="poster-qr"]')).trim();
		await page.setContent(`<img id="qr" src="data:image/svg+xml;base64,${Buffer.from(svg.slice(svg.indexOf('<svg'))).toString('base64')}">`);
		expect(await decodeQr(page, '#qr')).toBe(`${baseUrl}/report`);
	});
});
