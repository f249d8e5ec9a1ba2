import { error } from '@sveltejs/kit';
import { version as buildVersion } from '$app/environment';
import { gzipSync } from 'node:zlib';
import { ParamError } from '../api/params';
import { VersionedCache } from './data-version';

/** Reads query parameters; a {@link ParamError} becomes a 400 whose message names the parameter. */
export function readQuery<T>(url: URL, read: (params: URLSearchParams) => T): T {
	try {
		return read(url.searchParams);
	} catch (err) {
		if (err instanceof ParamError) error(400, err.message);
		throw err;
	}
}

/** A JSON response from text already serialised by the database. */
export function jsonTextResponse(text: string, contentType = 'application/geo+json'): Response {
	return new Response(text, { headers: { 'content-type': `${contentType}; charset=utf-8`, 'cache-control': 'no-store' } });
}

/** An encoded answer: its bytes, and the same gzipped for clients that accept it. */
interface EncodedBody {
	raw: Uint8Array<ArrayBuffer>;
	gzip: Uint8Array<ArrayBuffer>;
}

// Finished answers by URL and data version: repeated views (the province view everyone opens
// first, a shared link) skip the query, the string building, UTF-8 encoding and compression.
const answers = new VersionedCache<EncodedBody>(256);

/**
 * A public answer that depends only on its URL and a data version: `ETag` from the version (and
 * the build, so a new release never matches an old cache), `304` when the client already has it,
 * else the body — computed once per URL and version, kept encoded and gzipped. `Cache-Control` lets
 * browsers and shared caches keep it but revalidate each use, so a new import shows at once.
 */
export async function versionedResponse(
	request: Request,
	dataVersion: string,
	body: () => Promise<string>,
	contentType = 'application/json'
): Promise<Response> {
	const etag = `"${dataVersion}-${buildVersion}"`;
	const headers = { etag, 'cache-control': 'public, max-age=0, must-revalidate', vary: 'Accept-Encoding' };
	if (ifNoneMatchHas(request.headers.get('if-none-match'), etag)) return new Response(null, { status: 304, headers });
	const url = new URL(request.url);
	const encoded = await answers.get(`${url.pathname}?${url.searchParams}`, etag, async () => {
		const raw = new TextEncoder().encode(await body());
		return { raw, gzip: new Uint8Array(gzipSync(raw, { level: 6 })) };
	});
	const gzip = acceptsGzip(request.headers.get('accept-encoding'));
	return new Response(gzip ? encoded.gzip : encoded.raw, {
		headers: { ...headers, 'content-type': `${contentType}; charset=utf-8`, ...(gzip ? { 'content-encoding': 'gzip' } : {}) }
	});
}

/** Whether an Accept-Encoding header allows gzip (and does not refuse it with q=0). */
export function acceptsGzip(header: string | null): boolean {
	if (!header) return false;
	return header.split(',').some((part) => {
		const [coding, ...params] = part.trim().toLowerCase().split(';');
		const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
		return (coding === 'gzip' || coding === '*') && !(q && Number(q.slice(2)) === 0);
	});
}

/** Whether an If-None-Match header lists `etag` (weak or strong, or `*`). */
export function ifNoneMatchHas(header: string | null, etag: string): boolean {
	if (!header) return false;
	return header.split(',').some((t) => {
		const tag = t.trim().replace(/^W\//, '');
		return tag === '*' || tag === etag;
	});
}
