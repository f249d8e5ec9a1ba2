import { error, json, type Handle, type ServerInit } from '@sveltejs/kit';
import { building } from '$app/environment';
import { canAccess } from '$lib/auth/roles';
import { LANG_COOKIE, parseLang } from '$lib/i18n/i18n.svelte';
import { readConfig } from '$lib/server/config';
import { clearSessionCookie, SESSION_COOKIE } from '$lib/server/auth/cookie';
import { isCrossSiteWrite } from '$lib/server/auth/origin';
import { accessFor } from '$lib/server/auth/policy';
import { resolveSession, sessionPolicyOf } from '$lib/server/auth/sessions';
import { closeDatabase, getDatabase } from '$lib/server/db';
import { startApp } from '$lib/server/startup';

export const init: ServerInit = async () => {
	if (building) return;
	// adapter-node emits this after SIGTERM/SIGINT once the HTTP server has closed; an open
	// database handle would keep the process alive.
	process.once('sveltekit:shutdown' as 'beforeExit', () => void closeDatabase());
	await startApp();
};

const config = building ? undefined : readConfig();

export const handle: Handle = async ({ event, resolve }) => {
	const isApi = event.url.pathname.startsWith('/api/');
	if (isCrossSiteWrite(event.request, event.url.origin)) {
		return json({ message: 'Cross-site request refused' }, { status: 403 });
	}

	event.locals.user = null;
	event.locals.sessionToken = null;
	let staleCookie = false;
	const token = event.cookies.get(SESSION_COOKIE);
	if (token && config) {
		const user = await resolveSession(await getDatabase(), token, sessionPolicyOf(config));
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
			if (isApi) return json({ message: 'Forbidden for your role' }, { status: 403 });
			error(403, 'Forbidden for your role');
		}
	}

	const lang = parseLang(event.cookies.get(LANG_COOKIE));
	const response = await resolve(event, { transformPageChunk: ({ html }) => html.replace('%lang%', lang) });
	response.headers.set('x-content-type-options', 'nosniff');
	response.headers.set('referrer-policy', 'same-origin');
	response.headers.set('x-frame-options', 'DENY');
	if (event.locals.user) response.headers.set('cache-control', 'private, no-store');
	return response;
};
