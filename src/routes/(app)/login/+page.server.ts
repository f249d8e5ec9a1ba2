import { fail, redirect } from '@sveltejs/kit';
import { login } from '$lib/server/auth/login';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { safeNextPath } from '$lib/server/auth/redirect';
import { sessionPolicyOf } from '$lib/server/auth/sessions';
import { readConfig } from '$lib/server/config';
import { getDatabase } from '$lib/server/db';
import { hasDemoAccounts } from '$lib/server/demo-accounts';

export async function load({ locals, url }) {
	if (locals.user) redirect(303, safeNextPath(url.searchParams.get('next')));
	return { demoHint: await hasDemoAccounts(await getDatabase()) };
}

export const actions = {
	default: async ({ request, cookies, url, getClientAddress }) => {
		const form = await request.formData();
		const email = String(form.get('email') ?? '').slice(0, 200);
		const password = String(form.get('password') ?? '').slice(0, 200);
		const result = await login(await getDatabase(), { email, password, clientAddress: getClientAddress() }, sessionPolicyOf(readConfig()));
		if (!result.ok) {
			if (result.reason === 'throttled') return fail(429, { email, error: 'throttled' as const, minutes: Math.ceil(result.retryAfterS / 60) });
			return fail(400, { email, error: 'invalid' as const, minutes: 0 });
		}
		setSessionCookie(cookies, url, result.token, result.expiresAt);
		redirect(303, safeNextPath(url.searchParams.get('next')));
	}
};
