import { fail } from '@sveltejs/kit';
import { normaliseTrackingCode } from '$lib/reports/tracking-code';
import { getDatabase } from '$lib/server/db';
import { deleteContact, trackReport } from '$lib/server/resident-reports';

// Public: a report's status by its tracking code, in plain words and nothing personal.
export async function load({ params, setHeaders }) {
	setHeaders({ 'cache-control': 'no-store' });
	const code = normaliseTrackingCode(params.code);
	return { code: code ?? params.code.slice(0, 20), report: code ? await trackReport(await getDatabase(), code) : null };
}

export const actions = {
	// The resident deletes the contact they gave; the tracking code is their only key.
	deleteContact: async ({ params }) => {
		const deleted = await deleteContact(await getDatabase(), params.code);
		if (deleted === null) return fail(404, { contactDeleted: false });
		return { contactDeleted: true };
	}
};
