/**
 * The report form's outbox (issue 18): a report is saved on the phone first, with the time and
 * position at which it was made, then sent — now, when the connection returns, on a timer, or on
 * the next visit — until the server answers. Its client-made id makes every retry the same report
 * (POST /api/reports answers 200 with the same tracking code), so "sent twice" cannot count twice.
 *
 * Pure: the store (IndexedDB in the browser) and the sender (fetch) are given.
 */

export type OutboxState = 'waiting' | 'sent' | 'refused';

/** The JSON body of POST /api/reports, as made when the resident pressed "send". */
export interface ReportPayload {
	id: string;
	observedAt: string;
	[field: string]: unknown;
}

export interface OutboxEntry {
	/** The report's client-made UUID (its key in the store). */
	id: string;
	payload: ReportPayload;
	/** When the resident pressed "send" (ISO 8601). */
	createdAt: string;
	state: OutboxState;
	attempts: number;
	/** Not before this instant on a timer's round (an `online` event or a visit ignores it). */
	nextAttemptAt: string | null;
	trackingCode: string | null;
	sentAt: string | null;
	/** The server's words when it refused the report, or the last failure's. */
	message: string | null;
}

export interface OutboxStore {
	all(): Promise<OutboxEntry[]>;
	put(entry: OutboxEntry): Promise<void>;
	delete(id: string): Promise<void>;
}

/** What one attempt to send came to. */
export type SendOutcome =
	| { kind: 'accepted'; trackingCode: string }
	/** The server read the report and will never take it (a 4xx other than 408/429): kept, shown. */
	| { kind: 'refused'; message: string }
	/** No answer, or "later" (offline, 408, 429, 5xx): stays waiting. */
	| { kind: 'retry'; message: string; retryAfterMs?: number };

export type Sender = (payload: ReportPayload) => Promise<SendOutcome>;

/** First retry after 15 s, doubling to at most 10 min: a weak link is not hammered. */
export const RETRY_BASE_MS = 15_000;
export const RETRY_MAX_MS = 10 * 60_000;
/** Sent reports are listed (with their codes) for a month, then forgotten by the phone. */
export const KEEP_SENT_MS = 30 * 86_400_000;

export function retryDelayMs(attempts: number): number {
	return Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1));
}

/** What the server's answer to POST /api/reports means for the outbox. */
export function outcomeOfAnswer(status: number, body: unknown, retryAfterHeader: string | null): SendOutcome {
	const message = typeof (body as { message?: unknown })?.message === 'string' ? (body as { message: string }).message : `HTTP ${status}`;
	if (status === 200 || status === 201) {
		const code = (body as { trackingCode?: unknown })?.trackingCode;
		if (typeof code === 'string') return { kind: 'accepted', trackingCode: code };
		return { kind: 'retry', message: 'the answer had no tracking code' };
	}
	if (status === 408 || status === 429 || status >= 500) {
		const seconds = Number(retryAfterHeader);
		return { kind: 'retry', message, ...(Number.isFinite(seconds) && seconds > 0 ? { retryAfterMs: seconds * 1000 } : {}) };
	}
	return { kind: 'refused', message };
}

export function newEntry(payload: ReportPayload, now: Date): OutboxEntry {
	return { id: payload.id, payload, createdAt: now.toISOString(), state: 'waiting', attempts: 0, nextAttemptAt: null, trackingCode: null, sentAt: null, message: null };
}

/** The entry after one attempt's outcome. */
export function afterAttempt(entry: OutboxEntry, outcome: SendOutcome, now: Date): OutboxEntry {
	const attempts = entry.attempts + 1;
	switch (outcome.kind) {
		case 'accepted':
			return { ...entry, attempts, state: 'sent', trackingCode: outcome.trackingCode, sentAt: now.toISOString(), nextAttemptAt: null, message: null };
		case 'refused':
			return { ...entry, attempts, state: 'refused', nextAttemptAt: null, message: outcome.message };
		case 'retry': {
			const wait = Math.max(outcome.retryAfterMs ?? 0, retryDelayMs(attempts));
			return { ...entry, attempts, nextAttemptAt: new Date(now.getTime() + wait).toISOString(), message: outcome.message };
		}
	}
}

/** Oldest first: reports reach the server in the order they were made. */
export const byCreation = (a: OutboxEntry, b: OutboxEntry) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);

export interface DeliveryOptions {
	/** Ignore the back-off (the connection just returned, or the page just opened). */
	force?: boolean;
	now?: () => Date;
}

export interface DeliveryResult {
	sent: OutboxEntry[];
	refused: OutboxEntry[];
	waiting: number;
	/** Stopped early: the link failed, so the rest would fail too. */
	stoppedOffline: boolean;
}

/**
 * Sends every waiting report that is due, oldest first, saving each outcome before the next
 * attempt; stops at the first "retry" (no connection — the others would fail alike). Drops sent
 * entries older than KEEP_SENT_MS.
 */
export async function deliverWaiting(store: OutboxStore, send: Sender, options: DeliveryOptions = {}): Promise<DeliveryResult> {
	const now = options.now ?? (() => new Date());
	const entries = (await store.all()).sort(byCreation);
	const result: DeliveryResult = { sent: [], refused: [], waiting: 0, stoppedOffline: false };
	for (const entry of entries) {
		if (entry.state === 'sent' && entry.sentAt && now().getTime() - Date.parse(entry.sentAt) > KEEP_SENT_MS) await store.delete(entry.id);
	}
	const due = entries.filter((e) => e.state === 'waiting' && (options.force || !e.nextAttemptAt || Date.parse(e.nextAttemptAt) <= now().getTime()));
	for (const entry of due) {
		let outcome: SendOutcome;
		try {
			outcome = await send(entry.payload);
		} catch (err) {
			outcome = { kind: 'retry', message: (err as Error).message || 'no connection' };
		}
		const next = afterAttempt(entry, outcome, now());
		await store.put(next);
		if (next.state === 'sent') result.sent.push(next);
		else if (next.state === 'refused') result.refused.push(next);
		else {
			result.stoppedOffline = true;
			result.waiting = entries.filter((e) => e.state === 'waiting').length - result.sent.length - result.refused.length;
			// The rest were not tried: they keep their own schedule.
			return result;
		}
	}
	result.waiting = entries.filter((e) => e.state === 'waiting').length - result.sent.length - result.refused.length;
	return result;
}
