import type { Handle, ServerInit } from '@sveltejs/kit';
import { building } from '$app/environment';
import { LANG_COOKIE, parseLang } from '$lib/i18n/i18n.svelte';
import { closeDatabase } from '$lib/server/db';
import { startApp } from '$lib/server/startup';

export const init: ServerInit = async () => {
	// SvelteKit loads this module while building; only a running server opens the database.
	if (building) return;
	// adapter-node emits this after SIGTERM/SIGINT once the HTTP server has closed; an open
	// database handle would keep the process alive.
	process.once('sveltekit:shutdown' as 'beforeExit', () => void closeDatabase());
	await startApp();
};

export const handle: Handle = async ({ event, resolve }) => {
	const lang = parseLang(event.cookies.get(LANG_COOKIE));
	return resolve(event, { transformPageChunk: ({ html }) => html.replace('%lang%', lang) });
};
