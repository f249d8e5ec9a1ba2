import { error, json } from '@sveltejs/kit';
import { TEXT_ENCODINGS, type TextEncoding } from '$lib/import/encoding';
import { getDatabase } from '$lib/server/db';
import { ALL_IMPORT_KINDS, type AnyImportKind } from '$lib/server/import/any';
import { getUpload } from '$lib/server/import/jobs';
import { previewImport } from '$lib/server/import/preview';
import { ZipTooLargeError } from '$lib/server/import/zip';
import { importActor, mappingFromQuery } from '$lib/server/import/request';

/** Previews an upload again as a chosen kind, with a changed mapping, encoding or coordinate system. */
export async function GET({ params, url, locals }) {
	const { accountId } = importActor(locals.user);
	const upload = await getUpload(await getDatabase(), params.id, accountId);
	if (!upload) error(404, 'no such upload (uploads are kept for an hour)');
	const kind = url.searchParams.get('kind');
	if (kind !== null && !(ALL_IMPORT_KINDS as readonly string[]).includes(kind)) error(400, `kind: must be one of ${ALL_IMPORT_KINDS.join(', ')}`);
	const sridText = url.searchParams.get('srid');
	const srid = sridText ? Number(sridText) : undefined;
	if (srid !== undefined && !Number.isInteger(srid)) error(400, 'srid: must be an EPSG code such as 4326');
	const encoding = url.searchParams.get('encoding');
	if (encoding !== null && !(TEXT_ENCODINGS as readonly string[]).includes(encoding)) error(400, `encoding: must be one of ${TEXT_ENCODINGS.join(', ')}`);
	const preview = await previewImport(upload.filePath, upload.fileName, {
		kind: (kind ?? undefined) as AnyImportKind | undefined,
		mapping: mappingFromQuery(url.searchParams),
		srid,
		encoding: (encoding ?? undefined) as TextEncoding | undefined
	}).catch((err) => {
		if (err instanceof ZipTooLargeError) error(413, err.message);
		throw err;
	});
	return json({ upload: { id: upload.id, fileName: upload.fileName, sizeBytes: upload.sizeBytes }, preview });
}
