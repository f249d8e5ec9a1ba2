/** Security headers, error pages, redirects and parameter guards on the built app. */
import { readdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { signInAs } from '../helpers/session';

const baseUrl = inject('baseUrl');
let browser: Browser;
beforeAll(async () => (browser = await launchChromium()));
afterAll(() => browser?.close());

const immutableScript = `/_app/immutable/entry/${readdirSync('build/client/_app/immutable/entry').find((f) => f.endsWith('.js'))}`;

describe('headers on every response', () => {
	it.each([
		['a page', '/', 200],
		['an immutable asset', immutableScript, 200],
		['an API answer', '/api/health', 200],
		['the early 401 of the hook', '/api/reports?bbox=105,22,107,23', 401],
		['the early 303 of the hook', '/import', 303],
		['a 404', '/no-such-page', 404],
		['a 400', '/api/operator/cells?operator=%00', 400]
	])('%s (%s)', async (_what, path, status) => {
		const response = await fetch(`${baseUrl}${path}`, { redirect: 'manual' });
		expect(response.status).toBe(status);
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('referrer-policy')).toBe('same-origin');
		expect(response.headers.get('x-frame-options')).toBe('DENY');
		expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
	});

	it('gives pages a CSP with a script nonce and no unsafe script sources', async () => {
		const csp = (await fetch(`${baseUrl}/`)).headers.get('content-security-policy')!;
		expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
		expect(csp).not.toMatch(/script-src[^;]*unsafe/);
		expect(csp).toMatch(/worker-src 'self' blob:/);
	});

	it('renders the map under that CSP with no violation', async () => {
		const page = await browser.newPage();
		const violations: string[] = [];
		page.on('console', (m) => m.type() === 'error' && /Content Security Policy/.test(m.text()) && violations.push(m.text()));
		page.on('pageerror', (e) => violations.push(e.message));
		await page.goto(`${baseUrl}/`);
		await page.waitForSelector('[data-map-loaded]', { state: 'attached', timeout: 30_000 });
		await page.waitForTimeout(1500);
		expect(violations).toEqual([]);
		await page.close();
	});
});

describe('parameters and redirects', () => {
	it('refuses NUL and control characters in any parameter with a 400 naming it', async () => {
		const { cookie } = await signInAs(baseUrl, 'planner');
		const response = await fetch(`${baseUrl}/api/operator/cells?bbox=105,22,107,23&operator=%00`, { headers: { cookie } });
		expect(response.status).toBe(400);
		expect((await response.json()).message).toBe('operator: must not contain control characters');
		const unknown = await fetch(`${baseUrl}/api/operator/cells?bbox=105,22,107,23&operator=orange`, { headers: { cookie } });
		expect(unknown.status).toBe(400);
		expect((await unknown.json()).message).toMatch(/^operator: must be one of viettel, vnpt/);
	});

	it.each([
		['/%09/evil.example/phish', '/'],
		['/%09%5Cevil.example', '/'],
		['/%0a/evil.example', '/'],
		['/%0d%0aset-cookie:x=1', '/'],
		['//evil.example', '/'],
		['/import?job=1', '/import?job=1']
	])('sends next=%s to %s after sign-in', async (next, expected) => {
		const response = await fetch(`${baseUrl}/login?next=${next}`, {
			method: 'POST',
			redirect: 'manual',
			headers: { origin: baseUrl, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ email: 'planner@demo.phusong.vn', password: 'demo-planner-2026' })
		});
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe(expected);
	});
});

describe('error pages', () => {
	it('answers 404 with a styled Vietnamese page with the header and a way back, English when asked', async () => {
		const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
		const response = await page.goto(`${baseUrl}/khong-co-trang-nay`);
		expect(response?.status()).toBe(404);
		expect(await page.locator('html').getAttribute('lang')).toBe('vi');
		expect(await page.locator('h1').textContent()).toBe('Không tìm thấy trang');
		expect(await page.locator('header a.brand').textContent()).toBe('Phủ Sóng');
		await page.getByRole('link', { name: 'Về bản đồ' }).click();
		await page.waitForURL(`${baseUrl}/`);
		await page.goto(`${baseUrl}/nope?lang=en`);
		expect(await page.locator('h1').textContent()).toBe('Page not found');
		await page.screenshot({ path: 'test-results/error-404-phone.png' });
		await page.close();
	});

	it('answers a liaison on a planners\' page with a localised 403 page, not bare text', async () => {
		const { token } = await signInAs(baseUrl, 'operatorA');
		const context = await browser.newContext();
		await context.addCookies([{ name: 'ps_session', value: token, url: baseUrl }]);
		const page = await context.newPage();
		const response = await page.goto(`${baseUrl}/import`);
		expect(response?.status()).toBe(403);
		expect(await page.locator('h1').textContent()).toBe('Không có quyền truy cập');
		expect(await page.getByRole('link', { name: 'Về bản đồ' }).count()).toBe(1);
		expect(await page.getByRole('link', { name: 'Đăng nhập bằng tài khoản khác' }).count()).toBe(1);
		await page.screenshot({ path: 'test-results/error-403.png' });
		const api = await page.request.get(`${baseUrl}/api/reports?bbox=105,22,107,23`);
		expect(api.status()).toBe(403);
		expect(await api.json()).toEqual({ message: 'Forbidden for your role' });
		await context.close();
	});
});

describe('admin pages', () => {
	it('preselects the least privileged role when inviting, and shows the audit log in words', async () => {
		const { token } = await signInAs(baseUrl, 'admin');
		const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
		await context.addCookies([{ name: 'ps_session', value: token, url: baseUrl }]);
		const page = await context.newPage();
		await page.goto(`${baseUrl}/admin/users`);
		expect(await page.getByTestId('invite-role').inputValue()).toBe('commune');
		await page.goto(`${baseUrl}/admin/audit`);
		const actions = await page.getByTestId('audit-action').allTextContents();
		expect(actions).toContain('Đăng nhập');
		expect(actions.some((a) => /^[a-z_]+\.[a-z_.]+$/.test(a))).toBe(false);
		expect(await page.locator('dl.details dt').first().textContent()).not.toMatch(/^\{/);
		await page.screenshot({ path: 'test-results/admin-audit.png', fullPage: true });
		await context.close();
	});
});
