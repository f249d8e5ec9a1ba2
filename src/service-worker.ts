/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { version } from '$service-worker';
import { deliver, OUTBOX_DELIVERED_MESSAGE, OUTBOX_SYNC_TAG } from '$lib/client/report-outbox';

/**
 * The residents' form, offline (issue 18). Registered by /report with scope /report, so the
 * planners' pages are never served from here. On install it keeps the form's page and exactly the
 * files that page names (its scripts, styles, icons) — not the whole app with its maps — so the
 * precache stays within the form's 100 kB first-load budget. Reports never pass through its fetch
 * handler: the page keeps them in IndexedDB and posts them itself; with the page closed, the worker
 * posts what is waiting when the browser says the connection is back (Background Sync, below).
 */
const sw = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `report-form-${version}`;
const FORM = '/report';
const SHELL = ['/manifest.webmanifest', '/icons/icon-192.png', '/favicon.svg'];

/**
 * The build files a page needs, as paths: those its HTML names (styles, the start-up imports) and
 * those its `Link` header preloads (every module of the page). SvelteKit writes them relative to
 * the page ("./_app/immutable/…").
 */
function assetsNamedIn(html: string, linkHeader: string, page: string): string[] {
	const inHtml = [...html.matchAll(/["']((?:\.{1,2}\/|\/)*_app\/immutable\/[^"'?#]+)["']/g)].map((m) => m[1]);
	const inHeader = [...linkHeader.matchAll(/<([^>]*_app\/immutable\/[^>]+)>/g)].map((m) => m[1]);
	const base = new URL(page, sw.location.origin);
	return [...new Set([...inHtml, ...inHeader].map((href) => new URL(href, base).pathname))];
}

/** An address no page answers: its 404 names the files of the root error page, which every page loads at start. */
const ERROR_PROBE = `${FORM}/-/offline-probe`;

async function keepForm(cache: Cache) {
	const [form, probe] = await Promise.all([
		fetch(FORM, { credentials: 'same-origin', cache: 'no-cache' }),
		fetch(ERROR_PROBE, { credentials: 'same-origin', cache: 'no-cache' })
	]);
	if (!form.ok) throw new Error(`${FORM} answered ${form.status}`);
	const files = new Set(SHELL);
	for (const [response, page] of [[form, FORM], [probe, ERROR_PROBE]] as const) {
		for (const file of assetsNamedIn(await response.clone().text(), response.headers.get('link') ?? '', page)) files.add(file);
	}
	await cache.addAll([...files]);
	await cache.put(FORM, form);
}

sw.addEventListener('install', (event) => {
	event.waitUntil(
		caches
			.open(CACHE)
			.then(keepForm)
			.then(() => sw.skipWaiting())
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		caches
			.keys()
			.then((keys) => Promise.all(keys.filter((k) => k.startsWith('report-form-') && k !== CACHE).map((k) => caches.delete(k))))
			.then(() => sw.clients.claim())
	);
});

/** On a link that barely answers ("lie-fi"), the kept copy after this long; the network still refreshes it. */
const SLOW_NETWORK_MS = 3_000;

/** The network's answer, kept for next time when it is good; the kept copy when there is none (or it is too slow). */
async function networkThenCache(request: Request, key: string): Promise<Response> {
	const cache = await caches.open(CACHE);
	const network = fetch(request).then(async (response) => {
		if (response.ok) await cache.put(key, response.clone());
		return response;
	});
	const kept = await cache.match(key);
	if (!kept) return network;
	const slow = new Promise<Response>((resolve) => setTimeout(() => resolve(kept.clone()), SLOW_NETWORK_MS));
	return Promise.race([network.catch(() => kept), slow]);
}

sw.addEventListener('fetch', (event) => {
	const request = event.request;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;
	// Build files never change under one name: the kept copy, else the network.
	if (url.pathname.startsWith('/_app/immutable/')) {
		event.respondWith(caches.match(request).then((kept) => kept ?? fetch(request)));
		return;
	}
	// The form itself: fresh when the network answers, the kept copy on no signal.
	if (request.mode === 'navigate' && url.pathname === FORM) {
		event.respondWith(networkThenCache(request, FORM));
		return;
	}
	// Another page in scope (a tracking page) with no signal: the form, which lists what is waiting.
	if (request.mode === 'navigate') {
		event.respondWith(fetch(request).catch(async () => (await caches.match(FORM)) ?? Response.error()));
		return;
	}
	if (SHELL.includes(url.pathname)) event.respondWith(caches.match(request).then((kept) => kept ?? fetch(request)));
});

/** Background Sync's event (Chromium; not in TypeScript's DOM library). */
interface SyncEvent extends ExtendableEvent {
	readonly tag: string;
	/** The browser's last try for this registration: a failure now is final (the page retries on its next visit). */
	readonly lastChance: boolean;
}

/**
 * Delivers the outbox as the page would (the same store, sender and lock), tells open pages to
 * list the outcome, and fails while reports still wait, so the browser tries again later with its
 * own back-off.
 */
async function deliverInBackground(lastChance: boolean): Promise<void> {
	const result = await deliver(true);
	for (const client of await sw.clients.matchAll({ type: 'window' })) client.postMessage({ type: OUTBOX_DELIVERED_MESSAGE });
	if (result.waiting > 0 && !lastChance) throw new Error(`${result.waiting} reports still waiting`);
}

sw.addEventListener('sync', (event) => {
	const sync = event as SyncEvent;
	if (sync.tag === OUTBOX_SYNC_TAG) sync.waitUntil(deliverInBackground(sync.lastChance));
});
