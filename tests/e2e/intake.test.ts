import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, watchedPage } from '../helpers/browser';
import { signInAs } from '../helpers/session';
import { weakSignalReportBody } from '../helpers/report-body';

/**
 * Residents' reports over HTTP against the built app: the intake's answers (201, 200, 400, 413,
 * 429), CORS for other sites' apps, geosubmit v2, the tracking page and moderation in Chromium.
 * Every report here comes from 127.0.0.1: fewer than reports.burst.reports (20) of the form's, so
 * none is held for a burst unless a test means it.
 */
const baseUrl = inject('baseUrl');
const OTHER_SITE = 'https://community-app.example.org';

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

async function newPage(viewport = { width: 1280, height: 900 }): Promise<Page> {
	const { context, page } = await watchedPage(browser, problems, { viewport });
	contexts.push(context);
	return page;
}

let n = 0;
function reportBody(over: Record<string, unknown> = {}) {
	n++;
	return weakSignalReportBody({ deviceKey: `e2e-device-${n}-${Date.now().toString(36)}`, lon: 106.18 + n * 0.003, ...over });
}

const post = (body: unknown, headers: Record<string, string> = {}, path = '/api/reports') =>
	fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('the intake over HTTP', () => {
	it('answers 201 with a tracking code and its page once stored, and 200 with the same code for the same id', async () => {
		const body = reportBody();
		const first = await post(body);
		expect(first.status).toBe(201);
		const created = await first.json();
		expect(created).toMatchObject({ id: body.id, status: 'counted' });
		expect(created.trackingCode).toMatch(/^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
		expect(first.headers.get('location')).toBe(`/report/${created.trackingCode}`);
		const again = await post(body);
		expect(again.status).toBe(200);
		expect((await again.json()).trackingCode).toBe(created.trackingCode);
		const tracked = await (await fetch(`${baseUrl}/api/reports/track/${created.trackingCode.toLowerCase()}`)).json();
		expect(tracked.steps.filter((s: { done: boolean }) => s.done).map((s: { key: string }) => s.key)).toEqual(['received', 'counted']);
		expect(JSON.stringify(tracked)).not.toContain(body.deviceKey);
	});

	it('names the field of a bad body, refuses non-JSON and oversized bodies, and stores nothing for them', async () => {
		const bad = await post(reportBody({ operator: 'vinaphone' }));
		expect(bad.status).toBe(400);
		expect(await bad.json()).toMatchObject({ field: 'operator', message: expect.stringMatching(/^operator: must be one of/) });
		const notJson = await post('lat=22');
		expect(notJson.status).toBe(400);
		expect((await notJson.json()).message).toBe('body: is not valid JSON');
		const huge = await post(reportBody({ note: 'x'.repeat(20_000) }));
		expect(huge.status).toBe(413);
	});

	it('lets another site’s app post without credentials (CORS), and still refuses cross-site writes elsewhere', async () => {
		const preflight = await fetch(`${baseUrl}/api/reports`, { method: 'OPTIONS', headers: { origin: OTHER_SITE, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
		expect(preflight.status).toBe(204);
		expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
		expect(preflight.headers.get('access-control-allow-methods')).toMatch(/POST/);
		expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
		const cross = await post(reportBody(), { origin: OTHER_SITE, 'sec-fetch-site': 'cross-site' });
		expect(cross.status).toBe(201);
		expect(cross.headers.get('access-control-allow-origin')).toBe('*');
		const elsewhere = await fetch(`${baseUrl}/api/reports/track/ABCD-EFGH`, { method: 'POST', headers: { origin: OTHER_SITE, 'content-type': 'application/json' }, body: '{"action":"delete-contact"}' });
		expect(elsewhere.status).toBe(403);
	});

	it('takes geosubmit v2 uploads: Vietnamese serving cells stored once, other countries skipped, Ichnaea’s 200', async () => {
		const ts = Date.now() - 120_000;
		const upload = {
			items: [
				{ timestamp: ts, position: { latitude: 22.7, longitude: 106.25, accuracy: 10 }, cellTowers: [{ radioType: 'lte', mobileCountryCode: 452, mobileNetworkCode: 4, signalStrength: -101, serving: 1 }], wifiAccessPoints: [{ macAddress: '01:23:45:67:89:ab' }] },
				{ timestamp: ts + 1000, position: { latitude: 22.7, longitude: 106.26 }, cellTowers: [{ radioType: 'gsm', mobileCountryCode: 452, mobileNetworkCode: 1, signalStrength: -90, serving: 1 }] },
				{ timestamp: ts, position: { latitude: 48.1, longitude: 11.6 }, cellTowers: [{ radioType: 'lte', mobileCountryCode: 262, mobileNetworkCode: 1, serving: 1 }] }
			]
		};
		const first = await post(upload, { 'user-agent': 'NeoStumbler/e2e' }, '/v2/geosubmit');
		expect(first.status).toBe(200);
		expect(await first.json()).toMatchObject({ stored: 2, alreadyStored: 0, skipped: { otherCountry: 1 } });
		const again = await post(upload, { 'user-agent': 'NeoStumbler/e2e' }, '/v2/geosubmit');
		expect(await again.json()).toMatchObject({ stored: 0, alreadyStored: 2 });
		const bad = await post({ items: [{ position: { latitude: 99, longitude: 1 } }] }, {}, '/v2/geosubmit');
		expect(bad.status).toBe(400);
		expect((await bad.json()).message).toMatch(/^items\[0\]\.position\.latitude: /);
	});
});

describe('tracking and moderation in Chromium', () => {
	it('the tracking page shows the steps in words and lets the resident delete their contact', async () => {
		const res = await post(reportBody({ contact: '0912 000 111', consent: true, note: '<img src=x onerror=alert(1)>' }));
		const { trackingCode } = await res.json();
		const page = await newPage({ width: 390, height: 844 });
		await page.goto(`${baseUrl}/report/${trackingCode}`);
		await expect(page.locator('[data-testid=track-status]').getAttribute('data-status')).resolves.toBe('counted');
		expect(await page.locator('[data-testid=track-steps] li[data-done=true]').count()).toBe(2);
		expect(await page.content()).not.toContain('0912 000 111');
		await page.click('[data-testid=delete-contact]');
		await page.locator('[data-testid=contact-deleted]').waitFor();
		const tracked = await (await fetch(`${baseUrl}/api/reports/track/${trackingCode}`)).json();
		expect(tracked.hasContact).toBe(false);
	});

	it('a planner approves a held report on /moderation; its tracking then says counted; the note stays text', async () => {
		// A position outside Vietnam is held for a moderator.
		const res = await post(reportBody({ lat: 13.75, lon: 100.5, note: '<b>bold?</b>' }));
		const { trackingCode, status } = await res.json();
		expect(status).toBe('held');
		const page = await newPage();
		const { token } = await signInAs(baseUrl, 'planner');
		await page.context().addCookies([{ name: 'ps_session', value: token, url: baseUrl }]);
		await page.goto(`${baseUrl}/moderation?status=held&flag=outside_vietnam`);
		// The listed reports' exact points are drawn on the moderators' map.
		await page.locator('[data-testid=reports-map][data-map-loaded=true]').waitFor({ timeout: 30_000 });
		const row = page.locator(`tr[data-report="${trackingCode}"]`);
		await expect(row.locator('.note').textContent()).resolves.toBe('<b>bold?</b>');
		await row.locator('[data-testid=approve]').click();
		await page.locator('[data-testid=moderation-done]').waitFor();
		const tracked = await (await fetch(`${baseUrl}/api/reports/track/${trackingCode}`)).json();
		expect(tracked.status).toBe('counted');
	});

	it('refuses the 11th report of a device within a minute with 429 and Retry-After', async () => {
		const deviceKey = `e2e-busy-${Date.now().toString(36)}`;
		const answers: Response[] = [];
		for (let i = 0; i < 11; i++) answers.push(await post(reportBody({ deviceKey, lon: 106.1 + i * 0.01, problem: 'no_signal', technology: null, rsrpDbm: null, noService: true, signalBars: 0 })));
		expect(answers.slice(0, 10).map((a) => a.status)).toEqual(Array(10).fill(201));
		const limited = answers[10];
		expect(limited.status).toBe(429);
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
		expect((await limited.json()).scope).toBe('device');
	});
});
