const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a request that may change data comes from another site. SvelteKit's own check covers
 * form posts only; this also covers JSON and any other body. Browsers send `Origin` on every
 * cross-origin POST and `Sec-Fetch-Site` on all requests; clients without either (curl, the CLI)
 * are not browsers and carry no ambient cookies to abuse.
 */
export function isCrossSiteWrite(request: Request, appOrigin: string): boolean {
	if (SAFE_METHODS.has(request.method)) return false;
	const origin = request.headers.get('origin');
	if (origin !== null) return origin !== appOrigin;
	return request.headers.get('sec-fetch-site') === 'cross-site';
}
