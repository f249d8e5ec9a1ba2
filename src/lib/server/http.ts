import { error } from '@sveltejs/kit';
import { ParamError } from '../api/params';

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
