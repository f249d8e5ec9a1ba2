import { error, json } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { deleteContact, trackReport } from '$lib/server/resident-reports';

/** A report's status by its tracking code: plain words, nothing personal. */
export async function GET({ params }) {
	const report = await trackReport(await getDatabase(), params.code);
	if (!report) error(404, 'No report has this tracking code');
	return json(report, { headers: { 'cache-control': 'no-store' } });
}

/** `{"action": "delete-contact"}`: the resident deletes the contact they gave (the code is their key). */
export async function POST({ params, request }) {
	const body = (await request.json().catch(() => null)) as { action?: unknown } | null;
	if (body?.action !== 'delete-contact') error(400, 'action: must be "delete-contact"');
	const deleted = await deleteContact(await getDatabase(), params.code);
	if (deleted === null) error(404, 'No report has this tracking code');
	return json({ deleted }, { headers: { 'cache-control': 'no-store' } });
}
