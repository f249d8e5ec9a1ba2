import { deliverWaiting, outcomeOfAnswer, type DeliveryResult, type OutboxEntry, type OutboxStore, type ReportPayload, type SendOutcome } from '../reports/outbox';

/**
 * The browser side of the report outbox (src/lib/reports/outbox.ts): entries in IndexedDB, which
 * outlives a reload, a closed tab and a restarted phone; sending with fetch; one sender at a time
 * across tabs and the service worker (Web Locks, where offered — the server's idempotent ids keep
 * it right without). The page sends; with the page closed, the worker sends when the browser says
 * the connection is back (Background Sync, {@link askBackgroundSync}).
 */

const DB_NAME = 'phu-song-reports';
const STORE = 'outbox';
const DEVICE_KEY = 'phu-song-device-key';
/** A send that hangs on a dying link is given up after this long (it stays waiting). */
const SEND_TIMEOUT_MS = 30_000;

let opened: Promise<IDBDatabase> | undefined;

function openDb(): Promise<IDBDatabase> {
	opened ??= new Promise((resolve, reject) => {
		const request = indexedDB.open(DB_NAME, 1);
		request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'id' });
		request.onsuccess = () => resolve(request.result);
		request.onerror = () => {
			opened = undefined;
			reject(request.error);
		};
	});
	return opened;
}

function inStore<T>(mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
	return openDb().then(
		(db) =>
			new Promise<T>((resolve, reject) => {
				const tx = db.transaction(STORE, mode, { durability: 'strict' });
				const request = act(tx.objectStore(STORE));
				// Resolved once the transaction is on disk, not when the request is queued.
				tx.oncomplete = () => resolve(request.result);
				tx.onerror = () => reject(tx.error);
				tx.onabort = () => reject(tx.error);
			})
	);
}

export const indexedDbOutbox: OutboxStore = {
	all: () => inStore('readonly', (s) => s.getAll() as IDBRequest<OutboxEntry[]>),
	put: (entry) => inStore('readwrite', (s) => s.put(entry)).then(() => undefined),
	delete: (id) => inStore('readwrite', (s) => s.delete(id)).then(() => undefined)
};

/** This install's pseudonymous reporter id: random, made once, never a phone number. */
export function deviceKey(): string {
	let key = localStorage.getItem(DEVICE_KEY);
	if (!key || !/^[A-Za-z0-9_-]{8,64}$/.test(key)) {
		key = base64Url(crypto.getRandomValues(new Uint8Array(16)));
		localStorage.setItem(DEVICE_KEY, key);
	}
	return key;
}

const base64Url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** A version-4 UUID (RFC 9562). crypto.randomUUID needs a secure context; a LAN address is not one. */
export function newReportId(): string {
	if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
	const b = crypto.getRandomValues(new Uint8Array(16));
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	const x = [...b].map((v) => v.toString(16).padStart(2, '0')).join('');
	return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** One POST /api/reports. A network failure throws (the outbox reads it as "retry"). */
export async function sendReport(payload: ReportPayload): Promise<SendOutcome> {
	const response = await fetch('/api/reports', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(payload),
		signal: AbortSignal.timeout(SEND_TIMEOUT_MS)
	});
	const body = await response.json().catch(() => null);
	return outcomeOfAnswer(response.status, body, response.headers.get('retry-after'));
}

/** Sends what is due, one tab at a time. */
export function deliver(force: boolean): Promise<DeliveryResult> {
	const run = () => deliverWaiting(indexedDbOutbox, sendReport, { force });
	// The lock's promise settles with the callback's result (typed as nested by lib.dom).
	return navigator.locks ? (navigator.locks.request('phu-song-outbox', run) as unknown as Promise<DeliveryResult>) : run();
}

/** The tag under which the service worker delivers the outbox in the background (src/service-worker.ts). */
export const OUTBOX_SYNC_TAG = 'phu-song-outbox';

/** What the worker tells open pages after a background delivery, so they list the outcome. */
export const OUTBOX_DELIVERED_MESSAGE = 'phu-song-outbox-delivered';

type SyncRegistration = ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } };

/**
 * Asks the browser to wake the form's worker when the connection returns, page open or not
 * (Background Sync: Chromium, so most Android phones). Elsewhere, the page's own timer and the next
 * visit send. Returns whether the browser took the request.
 */
export async function askBackgroundSync(): Promise<boolean> {
	if (!('serviceWorker' in navigator)) return false;
	const registration = (await navigator.serviceWorker.getRegistration('/report').catch(() => undefined)) as SyncRegistration | undefined;
	if (!registration?.sync) return false;
	return registration.sync.register(OUTBOX_SYNC_TAG).then(
		() => true,
		() => false
	);
}
