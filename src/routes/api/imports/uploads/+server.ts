import { error, json } from '@sveltejs/kit';
import { readParam } from '$lib/api/params';
import { getDatabase } from '$lib/server/db';
import { readQuery } from '$lib/server/http';
import { importActor } from '$lib/server/import/request';
import { discardUpload, saveUpload, UploadError } from '$lib/server/import/jobs';
import { ZipTooLargeError } from '$lib/server/import/zip';
import { previewImport } from '$lib/server/import/preview';

/** Receives one file as the raw request body (streamed to disk, then kept where any server finds it), and previews it. */
export async function POST({ request, url, locals }) {
	const { accountId } = importActor(locals.user);
	const name = readQuery(url, (p) => readParam(p, 'name'));
	const db = await getDatabase();
	let upload;
	try {
		upload = await saveUpload(db, request.body, name, accountId);
	} catch (err) {
		if (err instanceof UploadError) error(400, err.message);
		throw err;
	}
	try {
		const preview = await previewImport(upload.filePath, upload.fileName);
		return json({ upload: { id: upload.id, fileName: upload.fileName, sizeBytes: upload.sizeBytes }, preview });
	} catch (err) {
		if (err instanceof ZipTooLargeError) {
			await discardUpload(db, upload);
			error(413, err.message);
		}
		throw err;
	}
}
