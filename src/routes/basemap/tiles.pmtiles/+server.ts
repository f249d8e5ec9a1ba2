import { error } from '@sveltejs/kit';
import { basemapArchive, parseRange, readBytes } from '$lib/server/basemap';

// The local PMTiles archive, read by the map in byte ranges (the PMTiles protocol), with an ETag
// so a replaced file is never mixed with cached parts of the old one.
export async function GET({ request }) {
	const archive = await basemapArchive();
	if (!archive) error(404, 'No local basemap: set PHU_SONG_BASEMAP_PMTILES to a PMTiles file');
	const etag = `"${archive.version}"`;
	const headers: Record<string, string> = { 'accept-ranges': 'bytes', etag, 'content-type': 'application/vnd.pmtiles', 'cache-control': 'public, max-age=86400, no-transform' };
	const ifRange = request.headers.get('if-range');
	const range = ifRange && ifRange !== etag ? null : parseRange(request.headers.get('range'), archive.size);
	if (range === undefined) return new Response(null, { status: 416, headers: { ...headers, 'content-range': `bytes */${archive.size}` } });
	if (range === null) {
		if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
		// Whole-file downloads are for copying the archive; the map never needs one.
		return new Response(await readBytes(archive.file, 0, archive.size - 1), { headers: { ...headers, 'content-length': String(archive.size) } });
	}
	const body = await readBytes(archive.file, range.start, range.end);
	return new Response(body, { status: 206, headers: { ...headers, 'content-range': `bytes ${range.start}-${range.end}/${archive.size}`, 'content-length': String(body.length) } });
}
