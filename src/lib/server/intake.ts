import { createHmac, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { HeldDemoReport } from '../demo/held-reports';
import { cellOfPosition, cellToDecimal } from '../grid/h3';
import { CONSENT_TEXT, hasMobileReading, type IntakeReport } from '../reports/intake-report';
import { screenBatch, screeningRules, type AddressState, type Candidate, type DeviceState, type Verdict } from '../reports/screening';
import { trackingCodeFrom } from '../reports/tracking-code';
import { inTransaction, type Database } from './db/index';
import { isConnectionError } from './db/server-pool';
import { readMeta } from './meta';
import { insertReports } from './reports';
import { readSettings } from './settings';
import type { Settings } from '../settings/definitions';

/**
 * The intake of residents' reports (README, "Residents' reports"): a report is acknowledged only
 * once the transaction that stores it has committed (and, embedded, its WAL is on disk).
 *
 * Group commit: requests queue per database; one loop takes everything queued, screens it
 * (src/lib/reports/screening.ts) against the counters and histories it reads under row locks,
 * stores it, adds the counted reports to the measured layer — all in one transaction — and only
 * then answers every request of the batch. At low load a batch is one report and waits for
 * nothing; under load batches grow, and so does the throughput, without acknowledging early.
 */

/**
 * Reports per transaction: large enough to amortise a commit, small enough to keep p99 short.
 * PHU_SONG_INTAKE_BATCH=1 turns group commit off (bench/reports' baseline).
 */
const MAX_BATCH = Number(process.env.PHU_SONG_INTAKE_BATCH) || 400;
/** Earlier reports of a device read for duplicates and travel: this far either side of the batch's times. */
const HISTORY_MS = 6 * 3_600_000;
const RATE_WINDOW_MS = 60_000;

export type ReportStatus = 'counted' | 'held' | 'rejected' | 'duplicate';

export type IntakeOutcome =
	| { kind: 'created'; id: string; trackingCode: string; status: ReportStatus }
	| { kind: 'existing'; id: string; trackingCode: string; status: ReportStatus }
	| { kind: 'rate_limited'; scope: 'device' | 'address'; retryAfterS: number };

/**
 * Reports that are accepted or refused together: one request. Its first report counts towards the
 * rate limits (a geosubmit upload of a hundred items is one submission).
 */
interface Group {
	reports: IntakeReport[];
	addressKey: string;
	resolve: (outcomes: IntakeOutcome[]) => void;
	reject: (err: unknown) => void;
}

class IntakeQueue {
	private waiting: Group[] = [];
	private draining = false;

	constructor(private readonly db: Database) {}

	submit(reports: IntakeReport[], addressKey: string): Promise<IntakeOutcome[]> {
		return new Promise((resolve, reject) => {
			this.waiting.push({ reports, addressKey, resolve, reject });
			if (!this.draining) void this.drain();
		});
	}

	private async drain(): Promise<void> {
		this.draining = true;
		try {
			while (this.waiting.length > 0) {
				let size = 0;
				let n = 0;
				while (n < this.waiting.length && (n === 0 || size + this.waiting[n].reports.length <= MAX_BATCH)) size += this.waiting[n++].reports.length;
				const batch = this.waiting.splice(0, n);
				await this.commit(batch);
			}
		} finally {
			this.draining = false;
		}
	}

	private async commit(batch: Group[]): Promise<void> {
		try {
			const outcomes = await commitBatch(this.db, batch);
			batch.forEach((g, i) => g.resolve(outcomes[i]));
		} catch (err) {
			// One request the database refuses must not fail the others: retry them one by one.
			if (batch.length > 1 && !isConnectionError(err)) {
				for (const g of batch) await this.commit([g]);
				return;
			}
			for (const g of batch) g.reject(err);
		}
	}
}

const queues = new WeakMap<object, IntakeQueue>();

/**
 * Stores `reports` (one request, from the client address `addressKey`): each is created, found
 * already stored (the same id again), or all are refused for a rate limit. Resolves after commit.
 */
export function submitReports(db: Database, reports: IntakeReport[], addressKey: string): Promise<IntakeOutcome[]> {
	if (reports.length === 0) return Promise.resolve([]);
	let queue = queues.get(db.orm as object);
	if (!queue) queues.set(db.orm as object, (queue = new IntakeQueue(db)));
	return queue.submit(reports, addressKey);
}

interface Existing {
	id: string;
	tracking_code: string;
	status: ReportStatus;
}

async function existingReports(tx: Database, ids: readonly string[]): Promise<Map<string, Existing>> {
	if (ids.length === 0) return new Map();
	const rows = await tx.rows<Existing>(sql`select id::text as id, tracking_code, status from resident_reports where id = any(${`{${ids.join(',')}}`}::uuid[])`);
	return new Map(rows.map((r) => [r.id, r]));
}

const textArray = (values: readonly string[]) => `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;

/** Rate counters of the current window, locked for this transaction (several app servers share them). */
async function readRateCounters(tx: Database, keys: readonly string[], windowStart: Date): Promise<Map<string, number>> {
	if (keys.length === 0) return new Map();
	const rows = await tx.rows<{ key: string; count: number }>(sql`
		select key, case when window_start = ${windowStart.toISOString()}::timestamptz then count else 0 end as count
		from report_rate_limits where key = any(${textArray(keys)}::text[]) order by key for update`);
	return new Map(rows.map((r) => [r.key, r.count]));
}

async function writeRateCounters(tx: Database, increments: Map<string, number>, windowStart: Date): Promise<void> {
	if (increments.size === 0) return;
	const json = JSON.stringify([...increments].map(([key, n]) => ({ key, n })));
	await tx.orm.execute(sql`
		insert into report_rate_limits as l (key, window_start, count)
		select r.key, ${windowStart.toISOString()}::timestamptz, r.n from json_to_recordset(${json}::json) as r(key text, n int)
		on conflict (key) do update set
			count = case when l.window_start = excluded.window_start then l.count + excluded.count else excluded.count end,
			window_start = excluded.window_start`);
}

/** The devices' earlier reports near the batch's times, and which of them are limited. */
async function readDevices(tx: Database, reports: readonly IntakeReport[], limitedDays: number): Promise<Map<string, DeviceState>> {
	const devices = new Map<string, DeviceState>();
	const keys = [...new Set(reports.map((r) => r.deviceKey))];
	const times = reports.map((r) => Date.parse(r.observedAt));
	const from = new Date(Math.min(...times) - HISTORY_MS).toISOString();
	const to = new Date(Math.max(...times) + HISTORY_MS).toISOString();
	const prior = await tx.rows<{ id: string; device_key: string; observed_ms: number; lon: number; lat: number; problem: string | null; status: string }>(sql`
		select id::text as id, device_key, (extract(epoch from observed_at) * 1000)::float8 as observed_ms, ST_X(geom) as lon, ST_Y(geom) as lat, problem, status
		from resident_reports
		where device_key = any(${textArray(keys)}::text[]) and observed_at between ${from}::timestamptz and ${to}::timestamptz and status in ('counted', 'held')
		order by observed_at desc limit 5000`);
	const limited =
		limitedDays > 0
			? new Set(
					(
						await tx.rows<{ device_key: string }>(sql`
				select distinct device_key from resident_reports
				where device_key = any(${textArray(keys)}::text[]) and status = 'rejected' and moderated_at > now() - make_interval(days => ${limitedDays})`)
					).map((r) => r.device_key)
				)
			: new Set<string>();
	for (const k of keys) devices.set(k, { inWindow: 0, prior: [], limited: limited.has(k) });
	for (const p of prior) devices.get(p.device_key)!.prior.push({ id: p.id, observedMs: Number(p.observed_ms), lon: p.lon, lat: p.lat, problem: p.problem, status: p.status });
	return devices;
}

/** Reports from each address within the burst window (the form's channel: apps upload in bulk by design). */
async function readBursts(tx: Database, addressKeys: readonly string[], minutes: number): Promise<Map<string, number>> {
	const rows = await tx.rows<{ address_key: string; n: number }>(sql`
		select address_key, count(*)::int as n from resident_reports
		where address_key = any(${textArray(addressKeys)}::text[]) and channel = 'api' and received_at > now() - make_interval(mins => ${minutes})
		group by address_key`);
	return new Map(rows.map((r) => [r.address_key, r.n]));
}

/** The 2025 commune each point lies in, by index. */
export async function communesOf(tx: Database, reports: readonly IntakeReport[]): Promise<(string | null)[]> {
	const json = JSON.stringify(reports.map((r, i) => ({ i, lon: r.lon, lat: r.lat })));
	const rows = await tx.rows<{ i: number; code: string }>(sql`
		select p.i, c.code from json_to_recordset(${json}::json) as p(i int, lon float8, lat float8)
		join communes c on c.boundary_set = '2025' and ST_Intersects(c.geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326))`);
	const out: (string | null)[] = reports.map(() => null);
	for (const r of rows) out[r.i] ??= r.code;
	return out;
}

const newTrackingCode = () => trackingCodeFrom(randomBytes(16));

export interface Stored {
	report: IntakeReport;
	addressKey: string;
	verdict: Exclude<Verdict, { kind: 'rate_limited' }>;
	trackingCode: string;
	commune: string | null;
}

/** Stores screened reports (and their contacts); returns the ids inserted (not those already there). */
export async function insertStored(tx: Database, stored: readonly Stored[], { synthetic = false } = {}): Promise<Set<string>> {
	const json = JSON.stringify(
		stored.map(({ report: r, addressKey, verdict, trackingCode, commune }) => ({
			...r,
			addressKey,
			trackingCode,
			commune,
			status: verdict.kind,
			flags: verdict.kind === 'held' ? `{${verdict.flags.join(',')}}` : '{}',
			duplicateOf: verdict.kind === 'duplicate' ? verdict.of : null,
			h3: cellToDecimal(cellOfPosition([r.lon, r.lat])),
			synthetic
		}))
	);
	const rows = await tx.rows<{ id: string }>(sql`
		insert into resident_reports (id, tracking_code, channel, device_key, address_key, observed_at, position_source, accuracy_m,
			operator_code, technology, no_service, signal_bars, rsrp_dbm, rssi_dbm, indoor, floor, problem, note, download_mbps,
			upload_mbps, latency_ms, commune_code, h3_res9, status, flags, duplicate_of, synthetic, geom)
		select r."id", r."trackingCode", r."channel", r."deviceKey", r."addressKey", r."observedAt", r."positionSource", r."accuracyM",
			r."operator", r."technology", r."noService", r."signalBars", r."rsrpDbm", r."rssiDbm", r."indoor", r."floor", r."problem", r."note",
			r."downloadMbps", r."uploadMbps", r."latencyMs", r."commune", r."h3"::bigint, r."status", r."flags"::text[], r."duplicateOf", r."synthetic",
			ST_SetSRID(ST_MakePoint(r."lon", r."lat"), 4326)
		from json_to_recordset(${json}::json) as r("id" uuid, "trackingCode" text, "channel" text, "deviceKey" text, "addressKey" text,
			"observedAt" timestamptz, "positionSource" text, "accuracyM" real, "operator" text, "technology" text, "noService" boolean,
			"signalBars" smallint, "rsrpDbm" real, "rssiDbm" real, "indoor" boolean, "floor" smallint, "problem" text, "note" text,
			"downloadMbps" real, "uploadMbps" real, "latencyMs" real, "commune" text, "h3" text, "status" text, "flags" text,
			"duplicateOf" uuid, "synthetic" boolean, "lon" float8, "lat" float8)
		on conflict do nothing
		returning id::text as id`);
	const inserted = new Set(rows.map((r) => r.id));
	const contacts = stored.filter((s) => s.report.contact !== null && inserted.has(s.report.id));
	if (contacts.length > 0) {
		await tx.orm.execute(sql`
			insert into report_contacts (report_id, contact, consent_at, consent_text)
			select c.id, c.contact, now(), ${CONSENT_TEXT} from json_to_recordset(${JSON.stringify(contacts.map((s) => ({ id: s.report.id, contact: s.report.contact })))}::json) as c(id uuid, contact text)`);
	}
	return inserted;
}

/** Counts reports in the measured layer: a signal_reports row each (those with a mobile reading), in the caller's transaction. */
export async function countInMeasured(tx: Database, reports: readonly IntakeReport[], settings?: Settings): Promise<void> {
	const readings = reports.filter(hasMobileReading);
	if (readings.length === 0) return;
	await insertReports(
		tx,
		readings.map((r) => ({
			sourceKind: r.sourceKind,
			operatorCode: r.operator,
			technology: r.technology,
			rsrpDbm: r.rsrpDbm,
			rssiDbm: r.rssiDbm,
			signalBars: r.signalBars,
			noService: r.noService,
			downloadMbps: r.downloadMbps,
			uploadMbps: r.uploadMbps,
			latencyMs: r.latencyMs,
			observedAt: r.observedAt,
			accuracyM: r.accuracyM,
			reporterKey: r.deviceKey,
			position: [r.lon, r.lat],
			synthetic: false,
			dedupeKey: r.id
		})),
		settings
	);
}

async function commitBatch(db: Database, batch: readonly Group[]): Promise<IntakeOutcome[][]> {
	const outcomes = await inTransaction(db, async (tx) => {
		const all = batch.flatMap((g) => g.reports);
		const existing = await existingReports(tx, [...new Set(all.map((r) => r.id))]);
		const s = await readSettings(tx);
		const rules = screeningRules(s);
		const now = Date.now();
		const windowStart = new Date(Math.floor(now / RATE_WINDOW_MS) * RATE_WINDOW_MS);
		const windowEndsInS = (windowStart.getTime() + RATE_WINDOW_MS - now) / 1000;

		// Only new reports are screened; a retry of a stored one is answered as it was.
		const seen = new Set(existing.keys());
		const fresh = batch.map((g) =>
			g.reports.filter((r) => {
				if (seen.has(r.id)) return false;
				seen.add(r.id);
				return true;
			})
		);
		const freshAll = fresh.flat();
		const heads = batch.filter((_, i) => fresh[i].length > 0);
		const devices = freshAll.length > 0 ? await readDevices(tx, freshAll, s['reports.limited_days']) : new Map<string, DeviceState>();
		const rateKeys = heads.flatMap((g) => [`d:${fresh[batch.indexOf(g)][0].deviceKey}`, `a:${g.addressKey}`]);
		const counters = await readRateCounters(tx, [...new Set(rateKeys)], windowStart);
		for (const [key, d] of devices) d.inWindow = counters.get(`d:${key}`) ?? 0;
		const addressKeys = [...new Set(heads.map((g) => g.addressKey))];
		const bursts = addressKeys.length > 0 ? await readBursts(tx, addressKeys, s['reports.burst.minutes']) : new Map<string, number>();
		const addresses = new Map<string, AddressState>(addressKeys.map((a) => [a, { inWindow: counters.get(`a:${a}`) ?? 0, inBurstWindow: bursts.get(a) ?? 0 }]));

		const candidates: Candidate[] = [];
		batch.forEach((g, i) =>
			fresh[i].forEach((r, n) =>
				candidates.push({
					id: r.id,
					deviceKey: r.deviceKey,
					addressKey: g.addressKey,
					observedMs: Date.parse(r.observedAt),
					lon: r.lon,
					lat: r.lat,
					problem: r.problem,
					weight: n === 0 ? 1 : 0,
					burst: r.channel === 'api'
				})
			)
		);
		const verdicts = screenBatch(candidates, devices, addresses, rules, windowEndsInS);
		const communes = freshAll.length > 0 ? await communesOf(tx, freshAll) : [];

		// A request whose first report is over a limit is refused whole.
		const refused = new Map<Group, Verdict>();
		let v = 0;
		const stored: Stored[] = [];
		batch.forEach((g, i) => {
			fresh[i].forEach((r, n) => {
				const verdict = verdicts[v];
				const commune = communes[v++];
				if (n === 0 && verdict.kind === 'rate_limited') refused.set(g, verdict);
				if (refused.has(g) || verdict.kind === 'rate_limited') return;
				stored.push({ report: r, addressKey: g.addressKey, verdict, trackingCode: newTrackingCode(), commune });
			});
		});
		const inserted = stored.length > 0 ? await insertStored(tx, stored) : new Set<string>();
		// Not inserted: another process stored the same id meanwhile (answered as existing below).
		const late = inserted.size < stored.length ? await existingReports(tx, stored.filter((x) => !inserted.has(x.report.id)).map((x) => x.report.id)) : new Map<string, Existing>();
		const increments = new Map<string, number>();
		for (const g of heads) {
			if (refused.has(g)) continue;
			const head = fresh[batch.indexOf(g)][0];
			for (const key of [`d:${head.deviceKey}`, `a:${g.addressKey}`]) increments.set(key, (increments.get(key) ?? 0) + 1);
		}
		await writeRateCounters(tx, increments, windowStart);
		await countInMeasured(
			tx,
			stored.filter((x) => x.verdict.kind === 'counted' && inserted.has(x.report.id)).map((x) => x.report),
			s
		);

		const byId = new Map(stored.map((x) => [x.report.id, x]));
		return batch.map((g) => {
			const limit = refused.get(g);
			if (limit && limit.kind === 'rate_limited') return g.reports.map((): IntakeOutcome => ({ kind: 'rate_limited', scope: limit.scope, retryAfterS: limit.retryAfterS }));
			return g.reports.map((r): IntakeOutcome => {
				const known = existing.get(r.id) ?? late.get(r.id);
				const mine = byId.get(r.id);
				if (mine && inserted.has(r.id)) {
					// The same id twice in one request: the second is the first, again.
					if (known) return { kind: 'existing', id: r.id, trackingCode: known.tracking_code, status: known.status };
					existing.set(r.id, { id: r.id, tracking_code: mine.trackingCode, status: mine.verdict.kind });
					return { kind: 'created', id: r.id, trackingCode: mine.trackingCode, status: mine.verdict.kind };
				}
				if (known) return { kind: 'existing', id: r.id, trackingCode: known.tracking_code, status: known.status };
				throw new Error(`report ${r.id} was neither stored nor found (a tracking code collision); retry`);
			});
		});
	});
	// Acknowledged means on disk: the embedded database's WAL is flushed before any answer.
	await db.syncWal?.();
	return outcomes;
}

/** Stores the demo's SYNTHETIC held reports (src/lib/demo/held-reports.ts); returns how many. */
export async function insertHeldDemoReports(tx: Database, rows: readonly HeldDemoReport[]): Promise<number> {
	if (rows.length === 0) return 0;
	const communes = await communesOf(tx, rows.map((r) => r.report));
	const stored: Stored[] = rows.map((r, i) => ({ report: r.report, addressKey: r.addressKey, verdict: { kind: 'held', flags: r.flags }, trackingCode: r.trackingCode, commune: communes[i] }));
	return (await insertStored(tx, stored, { synthetic: true })).size;
}

/**
 * A keyed hash of a client address: enough to count a network's reports, not to recover the
 * address (the key is random per database, kept in app_meta, shared by every app server).
 */
export async function addressKeyOf(db: Database, address: string): Promise<string> {
	let secret = secrets.get(db.orm as object);
	if (!secret) {
		secret = (async () => {
			const stored = await readMeta<string>(db, 'report_address_key');
			if (stored) return stored;
			await db.orm.execute(sql`insert into app_meta (key, value) values ('report_address_key', ${JSON.stringify(randomBytes(32).toString('hex'))}::jsonb) on conflict (key) do nothing`);
			return (await readMeta<string>(db, 'report_address_key'))!;
		})();
		secrets.set(db.orm as object, secret);
		secret.catch(() => secrets.delete(db.orm as object));
	}
	return createHmac('sha256', await secret).update(address).digest('hex').slice(0, 24);
}
const secrets = new WeakMap<object, Promise<string>>();

/** Forgets every rate-limit counter (tests, and an admin after a false alarm: `npm run cli -- reports reset-limits`). */
export async function resetReportLimits(db: Database): Promise<void> {
	await db.orm.execute(sql`delete from report_rate_limits`);
}
