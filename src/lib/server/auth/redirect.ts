/** Where sign-in goes when `next` is absent or unsafe. */
export const DEFAULT_NEXT_PATH = '/';

// Parsed against a placeholder origin: only the path of a same-origin URL survives.
const BASE = 'http://phu-song.invalid';

/**
 * A same-origin path to go to after sign-in; anything else becomes "/". `next` is parsed the way a
 * browser parses a Location header (WHATWG URL: tabs and newlines dropped, `\` read as `/`), so
 * `/\t/evil.example` or `/\evil.example` — which browsers follow to another host — are refused,
 * and so are control characters, which would make the redirect header invalid.
 */
export function safeNextPath(next: string | null | undefined): string {
	if (!next || !next.startsWith('/')) return DEFAULT_NEXT_PATH;
	// Control characters (CR, LF, tab, NUL…) never belong in a path we redirect to.
	if (/[\u0000-\u001f\u007f\\]/.test(next)) return DEFAULT_NEXT_PATH;
	let url: URL;
	try {
		url = new URL(next, BASE);
	} catch {
		return DEFAULT_NEXT_PATH;
	}
	if (url.origin !== BASE) return DEFAULT_NEXT_PATH;
	const path = url.pathname + url.search + url.hash;
	// A path the browser would itself read as protocol-relative ("//host") is another site.
	return path.startsWith('//') ? DEFAULT_NEXT_PATH : path;
}
