import { hostname } from 'node:os';
import { error, json, type Handle, type HandleServerError, type RequestEvent, type ServerInit } from '@sveltejs/kit';
import { building } from '$app/environment';
import { findControlCharacterParam } from '$lib/api/params';
import { canAccess } from '$lib/auth/roles';
import { LANG_COOKIE, parseLang, type Lang } from '$lib/i18n/i18n.svelte';
import { readConfig } from '$lib/server/config';
import { clearSessionCookie, SESSION_COOKIE } from '$lib/server/auth/cookie';
import { isCrossSiteWrite } from '$lib/server/auth/origin';
import { acceptsCrossOriginWrite, accessFor, REPLICA_READ_ROUTES } from '$lib/server/auth/policy';
import { resolveSession, sessionPolicyOf } from '$lib/server/auth/sessions';
import { closeDatabase, getDatabase, type Database } from '$lib/server/db';
import { primaryLsn, readDatabase } from '$lib/server/db/read';
import { DataDirLockedError } from '$lib/server/db/data-dir-lock';
import { DatabaseUnavailableError, isConnectionError } from '$lib/server/db/server-pool';
import { renderErrorPage } from '$lib/server/error-page';
import { startApp } from '$lib/server/startup';

export const init: ServerInit = async () => {
	if (building) return;
	// adapter-node emits this after SIGTERM/SIGINT once the HTTP server has closed; an open
	// database handle would keep the process alive (and the embedded folder locked).
	process.once('sveltekit:shutdown' as 'beforeExit', () => void closeDatabase());
	try {
		await startApp();
	} catch (err) {
		// One readable line instead of a stack trace: the folder is held, or the server is unreachable.
		if (err instanceof DataDirLockedError || err instanceof DatabaseUnavailableError) {
			console.error(err.message);
			process.exit(err.exitCode);
		}
		throw err;
	}
};

const config = building ? undefined : readConfig();

/** The request's language: `?lang=` (remembered), else the cookie, else Vietnamese. */
function languageOf(event: RequestEvent): Lang {
	const asked = event.url.searchParams.get('lang');
	if (asked === 'vi' || asked === 'en') {
		event.cookies.set(LANG_COOKIE, asked, { path: '/', maxAge: 365 * 86400, httpOnly: false, sameSite: 'lax', secure: event.url.protocol === 'https:' });
		return asked;
	}
	return parseLang(event.cookies.get(LANG_COOKIE));
}

/** An answer made in the hook: JSON for the API, a localised HTML page for people. */
function refuse(event: RequestEvent, status: number, message: string, lang: Lang): Response {
	const headers: Record<string, string> = status === 503 ? { 'retry-after': '5' } : {};
	if (event.url.pathname.startsWith('/api/')) return json({ message }, { status, headers });
	return new Response(renderErrorPage(status, lang, { signedIn: event.locals.user !== null }), {
		status,
		headers: { ...headers, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }
	});
}

const UNAVAILABLE = 'The database is unavailable; retry in a few seconds';

/**
 * The primary's WAL position after this browser's last write, while replicas may lag behind it
 * (db/read.ts): its public reads then go only to a replica that has replayed that far. Five
 * minutes is far more than any healthy replica lags.
 */
const WROTE_COOKIE = 'ps_wrote';
const WROTE_MAX_AGE_S = 300;
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** With PHU_SONG_SERVED_BY=1, which process and database answered (the test deployment's log). */
const servedBy = process.env.PHU_SONG_SERVED_BY === '1' ? `${hostname()}:${process.pid}` : null;

export const handle: Handle = async ({ event, resolve }) => {
	const isApi = event.url.pathname.startsWith('/api/');
	if (isCrossSiteWrite(event.request, event.url.origin) && !acceptsCrossOriginWrite(event.route.id, event.request.method)) {
		return json({ message: 'Cross-site request refused' }, { status: 403 });
	}
	// No parameter may carry NUL or other control characters (PostgreSQL refuses NUL in text).
	const badParam = findControlCharacterParam(event.url.searchParams);
	if (badParam !== null) return json({ message: `${badParam}: must not contain control characters` }, { status: 400 });
	const lang = languageOf(event);
	event.locals.user = null;
	event.locals.sessionToken = null;
	event.locals.databaseUnavailable = false;

	// While the server database is down, answer 503 at once instead of queueing on the pool; the
	// probe lets the first request after its return through (recovery within one probe).
	const db = config ? await getDatabase().catch(() => null) : null;
	if (config && (!db || (db.server?.unavailableSince() != null && !(await db.server.probe())))) {
		return refuse(event, 503, UNAVAILABLE, lang);
	}

	let staleCookie = false;
	const token = event.cookies.get(SESSION_COOKIE);
	if (token && db) {
		const user = await resolveSession(db, token, sessionPolicyOf(config!)).catch((err) => {
			if (isConnectionError(err)) return 'unavailable' as const;
			throw err;
		});
		if (user === 'unavailable') return refuse(event, 503, UNAVAILABLE, lang);
		if (user) {
			event.locals.user = user;
			event.locals.sessionToken = token;
		} else {
			staleCookie = true;
			clearSessionCookie(event.cookies, event.url);
		}
	}
	// Responses made here skip SvelteKit's cookie handling, so they clear a stale cookie themselves.
	const early = (response: Response) => {
		if (staleCookie) response.headers.append('set-cookie', event.cookies.serialize(SESSION_COOKIE, '', { path: '/', maxAge: 0, httpOnly: true, sameSite: 'lax' }));
		return response;
	};

	// Enforcement in one place: every route declares its access in ROUTE_ACCESS.
	if (event.route.id !== null) {
		const access = accessFor(event.route.id, event.request.method);
		if (access === null) error(405, `${event.request.method} is not allowed here`);
		if (!canAccess(event.locals.user, access)) {
			if (!event.locals.user) {
				if (isApi) return early(json({ message: 'Sign in required' }, { status: 401 }));
				const next = encodeURIComponent(event.url.pathname + event.url.search);
				return early(new Response(null, { status: 303, headers: { location: `/login?next=${next}` } }));
			}
			return refuse(event, 403, 'Forbidden for your role', lang);
		}
	}

	// The public's map layers read from a replica when there are any (not dead zones, scorecards or
	// open data: reading them brings the stored zones up to date); signed-in people read the
	// primary (their own imports and decisions must show at once).
	event.locals.readDb = null;
	if (db?.replicas && READ_METHODS.has(event.request.method) && event.route.id !== null && REPLICA_READ_ROUTES.has(event.route.id) && !event.locals.user) {
		event.locals.readDb = await readDatabase(db, event.cookies.get(WROTE_COOKIE) ?? null);
	}

	let response = await resolve(event, { transformPageChunk: ({ html }) => html.replace('%lang%', lang) });
	if (db?.replicas && !READ_METHODS.has(event.request.method) && response.status < 400) await rememberWrite(event, db, response);
	if (servedBy) response.headers.set('x-served-by', `${servedBy}; db=${event.locals.readDb?.replicaIndex !== undefined ? `replica-${event.locals.readDb.replicaIndex}` : 'primary'}`);
	if (event.locals.databaseUnavailable && response.status === 500) {
		// A connection lost mid-request: say so (503, retry) rather than a generic server error.
		response = isApi ? json({ message: UNAVAILABLE }, { status: 503, headers: { 'retry-after': '5' } }) : refuse(event, 503, UNAVAILABLE, lang);
	}
	// Signed-in answers stay out of shared caches; versioned ones (with an ETag) may still be
	// revalidated by the user's own browser.
	if (event.locals.user) response.headers.set('cache-control', response.headers.has('etag') ? 'private, no-cache' : 'private, no-store');
	widenCspForBasemap(response);
	return response;
};

/** Sets the WROTE_COOKIE after a write, so this browser's next reads see it (read-your-writes). */
async function rememberWrite(event: RequestEvent, db: Database, response: Response): Promise<void> {
	const lsn = await primaryLsn(db).catch(() => null);
	if (!lsn) return;
	const cookie = event.cookies.serialize(WROTE_COOKIE, lsn, { path: '/', maxAge: WROTE_MAX_AGE_S, httpOnly: true, sameSite: 'lax', secure: event.url.protocol === 'https:' });
	try {
		response.headers.append('set-cookie', cookie);
	} catch {
		// A response with immutable headers (a fetched one passed through) keeps its own.
	}
}

/**
 * An online basemap (PUBLIC_BASEMAP_STYLE_URL) loads its style, tiles, sprites and glyphs from
 * other hosts, which the build-time CSP (svelte.config.js) cannot know: allow https there.
 */
function widenCspForBasemap(response: Response): void {
	const csp = response.headers.get('content-security-policy');
	if (!csp || !process.env.PUBLIC_BASEMAP_STYLE_URL) return;
	response.headers.set('content-security-policy', csp.replace(/(connect-src|img-src)([^;]*)/g, '$1$2 https:'));
}

export const handleError: HandleServerError = async ({ error: err, event, status }) => {
	if (isConnectionError(err)) {
		event.locals.databaseUnavailable = true;
		(await getDatabase().catch(() => null))?.server?.observe(err);
		return { message: UNAVAILABLE };
	}
	if (status >= 500) console.error(err);
	return { message: status === 404 ? 'Not found' : 'Internal error' };
};
