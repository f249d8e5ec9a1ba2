import { sql } from 'drizzle-orm';
import type { Database } from './db/index';
import { readSettings } from './settings';

/**
 * What the public speed test (`/api/speedtest`) may move for one network address: a budget of
 * kilobytes per one-minute window, in `report_rate_limits` beside the intake's counters (key
 * `s:` + the address key), so every app server shares it and a restart does not reset it. Each
 * request costs its kilobytes and one more, so a flood of empty latency probes is bounded too.
 */

const WINDOW_MS = 60_000;

/** Whether `bytes` more may be sent to or taken from this address now; if not, when to retry. */
export type SpeedTestSpend = { ok: true } | { ok: false; retryAfterS: number };

export async function spendSpeedTestBytes(db: Database, addressKey: string, bytes: number): Promise<SpeedTestSpend> {
	const settings = await readSettings(db);
	const budgetKb = settings['reports.speedtest_mb_per_minute'] * 1000;
	const now = Date.now();
	const windowStart = new Date(Math.floor(now / WINDOW_MS) * WINDOW_MS);
	const costKb = 1 + Math.ceil(bytes / 1000);
	// One statement: the counter of this window after this request, whether it was allowed or not.
	const [row] = await db.rows<{ count: number }>(sql`
		insert into report_rate_limits as l (key, window_start, count) values (${`s:${addressKey}`}, ${windowStart.toISOString()}::timestamptz, ${costKb})
		on conflict (key) do update set
			count = case when l.window_start = excluded.window_start then l.count + excluded.count else excluded.count end,
			window_start = excluded.window_start
		returning count`);
	if (row.count <= budgetKb) return { ok: true };
	return { ok: false, retryAfterS: Math.max(1, Math.ceil((windowStart.getTime() + WINDOW_MS - now) / 1000)) };
}
