import { error, json } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { getUpload, startJob } from '$lib/server/import/jobs';
import { describeZodError, importActor, startJobSchema } from '$lib/server/import/request';

/** Starts importing an upload; progress then streams from /api/imports/jobs/{id}. */
export async function POST({ request, locals }) {
	const { accountId, actor } = importActor(locals.user);
	const parsed = startJobSchema.safeParse(await request.json().catch(() => null));
	if (!parsed.success) error(400, describeZodError(parsed.error));
	const db = await getDatabase();
	const upload = await getUpload(db, parsed.data.uploadId, accountId);
	if (!upload) error(404, 'no such upload (uploads are kept for an hour)');
	const job = await startJob(db, upload, parsed.data.kind, parsed.data.options, actor);
	return json({ job }, { status: 202 });
}
