import type { Cookies } from '@sveltejs/kit';

export const SESSION_COOKIE = 'ps_session';

/** Sets the session cookie: httpOnly, SameSite=Lax, Secure whenever the app is served over HTTPS. */
export function setSessionCookie(cookies: Cookies, url: URL, token: string, expiresAt: Date): void {
	cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:',
		expires: expiresAt
	});
}

export function clearSessionCookie(cookies: Cookies, url: URL): void {
	cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:' });
}
