import { fail } from '@sveltejs/kit';
import { AccountError, accountForPasswordToken, setPasswordWithToken } from '$lib/server/accounts';
import { getDatabase } from '$lib/server/db';

export async function load({ url }) {
	const token = url.searchParams.get('token') ?? '';
	const account = token ? await accountForPasswordToken(await getDatabase(), token) : null;
	return { valid: account !== null, email: account?.email ?? null };
}

export const actions = {
	default: async ({ request, url }) => {
		const token = url.searchParams.get('token') ?? '';
		const password = String((await request.formData()).get('password') ?? '');
		try {
			await setPasswordWithToken(await getDatabase(), token, password);
			return { done: true, error: null };
		} catch (err) {
			if (err instanceof AccountError) return fail(400, { done: false, error: err.message });
			throw err;
		}
	}
};
