import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { signInAs } from '../helpers/session';

const baseUrl = inject('baseUrl');
const WRONG_PASSWORD = 'not-the-password-7731';
const seenTokens: string[] = [];

let browser: Browser;
beforeAll(async () => {
	browser = await launchChromium();
});
afterAll(() => browser?.close());

async function newPage(): Promise<{ page: Page; problems: string[] }> {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const page = await context.newPage();
	const problems: string[] = [];
	page.on('pageerror', (err) => problems.push(err.message));
	return { page, problems };
}

const postForm = (path: string, form: Record<string, string>, headers: Record<string, string> = { origin: baseUrl }) =>
	fetch(`${baseUrl}${path}`, {
		method: 'POST',
		redirect: 'manual',
		headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', ...headers },
		body: new URLSearchParams(form)
	});

describe('sign-in over HTTP', () => {
	it('sets an httpOnly, SameSite=Lax session cookie (not Secure over plain http)', async () => {
		const { setCookie, token } = await signInAs(baseUrl, 'planner');
		seenTokens.push(token);
		expect(setCookie).toMatch(/HttpOnly/i);
		expect(setCookie).toMatch(/SameSite=Lax/i);
		expect(setCookie).toMatch(/Path=\//);
		expect(setCookie).not.toMatch(/Secure/i);
	});

	it('refuses a cross-origin form post and a cross-origin JSON post', async () => {
		const form = await postForm('/login', { email: 'planner@demo.phusong.vn', password: 'x' }, { origin: 'https://evil.example' });
		expect(form.status).toBe(403);
		const { cookie } = await signInAs(baseUrl, 'admin');
		const jsonPost = await fetch(`${baseUrl}/admin/users?/invite`, {
			method: 'POST',
			headers: { origin: 'https://evil.example', 'content-type': 'application/json', cookie },
			body: JSON.stringify({ email: 'evil@example.vn', displayName: 'E', role: 'admin' })
		});
		expect(jsonPost.status).toBe(403);
		const noOriginButCrossSite = await fetch(`${baseUrl}/api/health`, {
			method: 'POST',
			headers: { 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' },
			body: '{}'
		});
		expect(noOriginButCrossSite.status).toBe(403);
	});

	it('makes repeated wrong passwords for one account wait (429) after three free tries', async () => {
		const statuses: number[] = [];
		for (let i = 0; i < 6; i++) statuses.push((await postForm('/login', { email: 'throttle-probe@example.vn', password: WRONG_PASSWORD })).status);
		// Three free failures; the fourth earns a 2 s wait, during which every try is refused.
		expect(statuses).toEqual([400, 400, 400, 400, 429, 429]);
	});

	it('answers 401 to an API call with an expired or forged session cookie, and clears it', async () => {
		const response = await fetch(`${baseUrl}/api/reports?bbox=105,22,107,23`, { headers: { cookie: 'ps_session=forged-token' } });
		expect(response.status).toBe(401);
		expect(response.headers.get('set-cookie') ?? '').toMatch(/ps_session=;/);
	});
});

describe('sign-in in Chromium', () => {
	it('signs a planner in through the form, shows who is signed in, and signs out', async () => {
		const { page, problems } = await newPage();
		await page.goto(`${baseUrl}/login`);
		await page.getByLabel('Email').fill('planner@demo.phusong.vn');
		await page.getByLabel('Mật khẩu').fill(WRONG_PASSWORD);
		await page.getByRole('button', { name: 'Đăng nhập' }).click();
		await expect.poll(() => page.getByRole('alert').textContent()).toContain('không đúng');
		await page.getByLabel('Mật khẩu').fill('demo-planner-2026');
		await page.getByRole('button', { name: 'Đăng nhập' }).click();
		await page.waitForURL(`${baseUrl}/`);
		await expect.poll(() => page.getByTestId('signed-in-as').textContent()).toContain('Demo Planner');
		const cookies = await page.context().cookies();
		seenTokens.push(...cookies.filter((c) => c.name === 'ps_session').map((c) => c.value));
		expect(await page.evaluate(() => document.cookie)).not.toContain('ps_session');
		await page.getByRole('button', { name: 'Đăng xuất' }).click();
		await expect.poll(() => page.getByTestId('user-menu').textContent()).toContain('Đăng nhập');
		expect(problems).toEqual([]);
		await page.context().close();
	});

	it('lets an admin invite an account that then sets its password and signs in', async () => {
		const { page, problems } = await newPage();
		await page.goto(`${baseUrl}/admin/users`);
		await page.waitForURL(/\/login\?next=%2Fadmin%2Fusers/);
		await page.getByLabel('Email').fill('admin@demo.phusong.vn');
		await page.getByLabel('Mật khẩu').fill('demo-admin-2026');
		await page.getByRole('button', { name: 'Đăng nhập' }).click();
		await page.waitForURL(`${baseUrl}/admin/users`);
		await page.locator('form[action="?/invite"] input[name=email]').fill('new.planner@example.vn');
		await page.locator('form[action="?/invite"] input[name=displayName]').fill('Chị Lan');
		await page.locator('form[action="?/invite"] select[name=role]').selectOption('planner');
		await page.locator('form[action="?/invite"] button').click();
		const link = await page.getByTestId('one-time-link').inputValue();
		expect(link).toMatch(/\/set-password\?token=/);
		await expect.poll(() => page.getByTestId('account-new.planner@example.vn').textContent()).toContain('chờ đặt mật khẩu');
		await page.screenshot({ path: 'test-results/admin-users.png', fullPage: true });

		const other = await newPage();
		await other.page.goto(link);
		await other.page.getByLabel(/Mật khẩu mới/).fill('lan-strong-password');
		await other.page.getByRole('button', { name: 'Lưu mật khẩu' }).click();
		await expect.poll(() => other.page.getByRole('status').textContent()).toContain('Đã lưu mật khẩu');
		const login = await postForm('/login', { email: 'new.planner@example.vn', password: 'lan-strong-password' });
		expect(login.status).toBe(303);

		await page.goto(`${baseUrl}/admin/audit`);
		const audit = await page.locator('table').textContent();
		expect(audit).toContain('Tạo tài khoản');
		expect(audit).toContain('Đặt mật khẩu mới');
		expect(audit).not.toContain('lan-strong-password');
		await page.screenshot({ path: 'test-results/admin-audit.png' });
		expect([...problems, ...other.problems]).toEqual([]);
		await page.context().close();
		await other.page.context().close();
	});

	it('shows a planner a 403 page for the admin pages', async () => {
		const { page } = await newPage();
		const { token } = await signInAs(baseUrl, 'planner');
		await page.context().addCookies([{ name: 'ps_session', value: token, url: baseUrl }]);
		const response = await page.goto(`${baseUrl}/admin/users`);
		expect(response?.status()).toBe(403);
		await page.context().close();
	});
});

describe('secrets', () => {
	it('never writes passwords typed at sign-in or session tokens to the server log', async () => {
		const log = await readFile(inject('serverLogPath'), 'utf8');
		expect(log).toContain('Listening on');
		expect(seenTokens.length).toBeGreaterThan(0);
		for (const secret of [WRONG_PASSWORD, 'lan-strong-password', ...seenTokens]) expect(log).not.toContain(secret);
	});
});
