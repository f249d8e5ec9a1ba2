import { redirect } from '@sveltejs/kit';
import { recordAudit } from '$lib/server/audit';
import { clearSessionCookie } from '$lib/server/auth/cookie';
import { deleteSession } from '$lib/server/auth/sessions';
import { getDatabase } from '$lib/server/db';

export function load({ locals }) {
	if (!locals.user) redirect(303, '/');
}

export const actions = {
	default: async ({ locals, cookies, url }) => {
		if (locals.sessionToken && locals.user) {
			const db = await getDatabase();
			await deleteSession(db, locals.sessionToken);
			await recordAudit(db, { accountId: locals.user.id, label: locals.user.email }, 'auth.logout', locals.user.email);
		}
		clearSessionCookie(cookies, url);
		redirect(303, '/');
	}
};
