import { describe, expect, it } from 'vitest';
import { KEEP_SENT_MS, RETRY_MAX_MS, afterAttempt, deliverWaiting, newEntry, outcomeOfAnswer, retryDelayMs, type OutboxEntry, type OutboxStore, type ReportPayload, type Sender } from './outbox';

class MemoryStore implements OutboxStore {
	rows = new Map<string, OutboxEntry>();
	async all() {
		return [...this.rows.values()].map((e) => structuredClone(e));
	}
	async put(e: OutboxEntry) {
		this.rows.set(e.id, structuredClone(e));
	}
	async delete(id: string) {
		this.rows.delete(id);
	}
}

const payload = (n: number): ReportPayload => ({ id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, observedAt: `2026-12-06T0${n}:00:00Z` });
const at = (iso: string) => () => new Date(iso);

/** A server that keeps one row per id, like POST /api/reports (201 new, 200 the same id again). */
function idempotentServer() {
	const rows = new Map<string, string>();
	let calls = 0;
	let loseAnswers = 0;
	const send: Sender = async (p) => {
		calls++;
		if (!rows.has(p.id)) rows.set(p.id, `CODE-${rows.size + 1}`);
		if (loseAnswers > 0) {
			loseAnswers--;
			throw new TypeError('Failed to fetch'); // committed, but the answer never arrived
		}
		return { kind: 'accepted', trackingCode: rows.get(p.id)! };
	};
	return { send, rows, calls: () => calls, loseNext: (n: number) => (loseAnswers = n) };
}

describe('the report outbox', () => {
	it('reads the server’s answers: accepted, refused for good, or try again later', () => {
		expect(outcomeOfAnswer(201, { trackingCode: 'ABCD-EFGH' }, null)).toEqual({ kind: 'accepted', trackingCode: 'ABCD-EFGH' });
		expect(outcomeOfAnswer(200, { trackingCode: 'ABCD-EFGH' }, null).kind).toBe('accepted');
		expect(outcomeOfAnswer(400, { message: 'lat: too big' }, null)).toEqual({ kind: 'refused', message: 'lat: too big' });
		expect(outcomeOfAnswer(429, { message: 'slow down' }, '120')).toEqual({ kind: 'retry', message: 'slow down', retryAfterMs: 120_000 });
		expect(outcomeOfAnswer(503, null, null)).toEqual({ kind: 'retry', message: 'HTTP 503' });
		expect(outcomeOfAnswer(200, {}, null).kind).toBe('retry');
	});

	it('backs off from 15 s, doubling, to at most 10 minutes', () => {
		expect([1, 2, 3].map(retryDelayMs)).toEqual([15_000, 30_000, 60_000]);
		expect(retryDelayMs(30)).toBe(RETRY_MAX_MS);
		const e = afterAttempt(newEntry(payload(1), new Date('2026-12-06T00:00:00Z')), { kind: 'retry', message: 'x', retryAfterMs: 120_000 }, new Date('2026-12-06T00:00:00Z'));
		expect(e.nextAttemptAt).toBe('2026-12-06T00:02:00.000Z');
	});

	it('keeps reports made offline, then sends each exactly once when the connection returns', async () => {
		const store = new MemoryStore();
		const server = idempotentServer();
		let online = false;
		const send: Sender = (p) => (online ? server.send(p) : Promise.reject(new TypeError('Failed to fetch')));
		for (const n of [2, 1, 3]) await store.put(newEntry(payload(n), new Date(`2026-12-06T0${n}:00:00Z`)));

		const offline = await deliverWaiting(store, send, { now: at('2026-12-06T04:00:00Z') });
		expect(offline).toMatchObject({ stoppedOffline: true, sent: [], waiting: 3 });
		// Only the first was tried: the link is down for all of them.
		expect([...store.rows.values()].map((e) => e.attempts).sort()).toEqual([0, 0, 1]);

		online = true;
		// A timer's round inside the back-off sends only the never-tried ones...
		const timer = await deliverWaiting(store, send, { now: at('2026-12-06T04:00:05Z') });
		expect(timer.sent.map((e) => e.id)).toEqual([payload(2).id, payload(3).id]);
		// ...the `online` event sends the rest at once.
		const back = await deliverWaiting(store, send, { now: at('2026-12-06T04:00:06Z'), force: true });
		expect(back.sent.map((e) => e.id)).toEqual([payload(1).id]);
		expect(back.waiting).toBe(0);
		expect(server.rows.size).toBe(3);
		expect(new Set([...store.rows.values()].map((e) => e.trackingCode)).size).toBe(3);
		// Nothing left to send: another round sends nothing.
		await deliverWaiting(store, send, { force: true });
		expect(server.calls()).toBe(3);
	});

	it('retries a report whose answer was lost, and the server keeps one row for it', async () => {
		const store = new MemoryStore();
		const server = idempotentServer();
		await store.put(newEntry(payload(1), new Date('2026-12-06T01:00:00Z')));
		server.loseNext(1);
		expect((await deliverWaiting(store, server.send, { force: true })).stoppedOffline).toBe(true);
		const done = await deliverWaiting(store, server.send, { force: true });
		expect(done.sent[0].trackingCode).toBe('CODE-1');
		expect(server.rows.size).toBe(1);
		expect(server.calls()).toBe(2);
	});

	it('keeps a refused report with the server’s words, and goes on with the next', async () => {
		const store = new MemoryStore();
		await store.put(newEntry(payload(1), new Date('2026-12-06T01:00:00Z')));
		await store.put(newEntry(payload(2), new Date('2026-12-06T02:00:00Z')));
		const send: Sender = async (p) => (p.id === payload(1).id ? { kind: 'refused', message: 'observedAt: is more than 90 days old' } : { kind: 'accepted', trackingCode: 'X' });
		const r = await deliverWaiting(store, send);
		expect(r.refused.map((e) => e.message)).toEqual(['observedAt: is more than 90 days old']);
		expect(r.sent).toHaveLength(1);
		expect(store.rows.get(payload(1).id)?.state).toBe('refused');
		expect(store.rows.get(payload(1).id)?.payload).toEqual(payload(1));
	});

	it('forgets sent reports after a month, never waiting ones', async () => {
		const store = new MemoryStore();
		const old = new Date('2026-10-01T00:00:00Z');
		await store.put({ ...newEntry(payload(1), old), state: 'sent', sentAt: old.toISOString(), trackingCode: 'A' });
		await store.put(newEntry(payload(2), old));
		const later = () => new Date(old.getTime() + KEEP_SENT_MS + 1);
		await deliverWaiting(store, async () => ({ kind: 'retry', message: 'offline' }), { now: later });
		expect([...store.rows.keys()]).toEqual([payload(2).id]);
	});
});
