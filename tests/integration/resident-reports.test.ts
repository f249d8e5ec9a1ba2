import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cellOfPosition } from '../../src/lib/grid/h3';
import { intakeReportOfDraft, type IntakeReport } from '../../src/lib/reports/intake-report';
import { parseReportBody } from '../../src/lib/reports/report-body';
import type { Database } from '../../src/lib/server/db/index';
import { addressKeyOf, resetReportLimits, submitReports, type IntakeOutcome } from '../../src/lib/server/intake';
import { measuredFingerprint, rebuildMeasured } from '../../src/lib/server/measured';
import type { Viewer } from '../../src/lib/server/proposals';
import { reportCellsInBbox } from '../../src/lib/server/report-cells';
import { deleteContact, moderateReport, moderationCommunes, moderationQueue, ModerationError, purgeExpiredContacts, trackReport } from '../../src/lib/server/resident-reports';
import { setSetting } from '../../src/lib/server/settings';
import { spendSpeedTestBytes } from '../../src/lib/server/speed-test-budget';
import { runCli } from '../../src/cli/main';
import { openTestDatabase, resetDatabase } from '../helpers/db';

let db: Database;
const COMMUNE = '99001';
const OTHER_COMMUNE = '99002';
// A small square commune in Cao Bằng and its neighbour (test geometry, not real boundaries).
const HERE = { lon: 106.2, lat: 22.7 };

beforeAll(async () => {
	db = await openTestDatabase();
}, 120_000);
afterAll(() => db?.close());
beforeEach(async () => {
	clock = Date.now() - 20 * 3_600_000;
	await resetDatabase(db);
	for (const [code, west] of [
		[COMMUNE, 106.1],
		[OTHER_COMMUNE, 106.3]
	] as const) {
		await db.orm.execute(sql`
			insert into communes (code, boundary_set, name, search_key, province_code, source, geom)
			values (${code}, '2025', ${`Xã thử ${code}`}, ${`xa thu ${code}`}, '04', 'test',
				ST_Multi(ST_MakeEnvelope(${west}::float8, 22.6, ${west + 0.2}::float8, 22.8, 4326)))`);
	}
});

const planner: Viewer = { accountId: null, label: 'test:planner', role: 'planner', operatorCode: null, communeCode: null };
const officer: Viewer = { accountId: null, label: 'test:commune', role: 'commune', operatorCode: null, communeCode: COMMUNE };
const otherOfficer: Viewer = { accountId: null, label: 'test:other', role: 'commune', operatorCode: null, communeCode: OTHER_COMMUNE };
const liaison: Viewer = { accountId: null, label: 'test:viettel', role: 'operator', operatorCode: 'viettel', communeCode: null };

let clock = 0;
/** A valid report body, a few seconds after the previous one unless told. */
function body(over: Record<string, unknown> = {}) {
	clock += 5_000;
	return {
		id: randomUUID(),
		deviceKey: 'device-aaaa-0001',
		lat: HERE.lat,
		lon: HERE.lon,
		accuracyM: 20,
		positionSource: 'gps',
		observedAt: new Date(clock).toISOString(),
		operator: 'viettel',
		technology: '4G',
		noService: false,
		signalBars: 1,
		rsrpDbm: -118,
		indoor: false,
		floor: null,
		problem: 'weak_signal',
		note: null,
		contact: null,
		speedTest: null,
		...over
	};
}

function report(over: Record<string, unknown> = {}): IntakeReport {
	const checked = parseReportBody(body(over), new Date());
	if (!checked.ok) throw new Error(checked.message);
	return intakeReportOfDraft(checked.draft);
}

async function submit(r: IntakeReport, address = '203.0.113.7'): Promise<IntakeOutcome> {
	const [o] = await submitReports(db, [r], await addressKeyOf(db, address));
	return o;
}

const created = (o: IntakeOutcome) => {
	if (o.kind === 'rate_limited') throw new Error(`rate limited (${o.scope})`);
	return o;
};

const count = async (table: string) => (await db.rows<{ n: number }>(sql`select count(*)::int as n from ${sql.raw(table)}`))[0].n;

describe(`residents' reports: intake (${process.env.TEST_DB})`, () => {
	it('stores a report once, answers the same code for the same id, and counts it in the measured layer in the same transaction', async () => {
		const r = report();
		const first = created(await submit(r));
		expect(first.kind).toBe('created');
		expect(first.status).toBe('counted');
		expect(first.trackingCode).toMatch(/^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
		const again = created(await submit(r));
		expect(again).toMatchObject({ kind: 'existing', trackingCode: first.trackingCode, status: 'counted' });
		expect(await count('resident_reports')).toBe(1);
		expect(await count('signal_reports')).toBe(1);
		const [cell] = await db.rows<{ reports: number }>(sql`select reports from measured_cells where res = 9 and operator_code = 'viettel' and technology = '4G'`);
		expect(cell.reports).toBe(1);
		// The incremental update equals a rebuild from the stored reports.
		const incremental = await measuredFingerprint(db);
		await rebuildMeasured(db);
		expect(await measuredFingerprint(db)).toEqual(incremental);
	});

	it('retries of a whole batch at once create nothing twice (concurrent submissions of the same id)', async () => {
		const r = report();
		const outcomes = await Promise.all([submit(r), submit(r), submit(r)]);
		expect(outcomes.filter((o) => o.kind === 'created')).toHaveLength(1);
		expect(new Set(outcomes.map((o) => created(o).trackingCode)).size).toBe(1);
		expect(await count('resident_reports')).toBe(1);
	});

	it('keeps a contact apart, with consent, and lets the resident delete it with the tracking code', async () => {
		const o = created(await submit(report({ contact: '0912 345 678', consent: true, note: '<b>no signal</b> at the school' })));
		const [k] = await db.rows<{ contact: string; consent_text: string }>(sql`select contact, consent_text from report_contacts`);
		expect(k.contact).toBe('0912 345 678');
		expect(k.consent_text).toMatch(/13\/2023/);
		const tracked = await trackReport(db, o.trackingCode.toLowerCase().replace('-', ''));
		expect(tracked?.hasContact).toBe(true);
		expect(JSON.stringify(tracked)).not.toMatch(/0912|school|device-aaaa|22\.7|106\.2/);
		expect(await deleteContact(db, o.trackingCode)).toBe(true);
		expect(await deleteContact(db, o.trackingCode)).toBe(false);
		expect(await count('report_contacts')).toBe(0);
		expect((await trackReport(db, o.trackingCode))?.hasContact).toBe(false);
		expect(await deleteContact(db, 'ABCD-EFGH')).toBeNull();
	});

	it('deletes contacts after the retention period (the daily job)', async () => {
		await submit(report({ contact: 'a@example.vn', consent: true }));
		expect(await purgeExpiredContacts(db)).toBe(0);
		expect(await purgeExpiredContacts(db, new Date(Date.now() + 181 * 86_400_000))).toBe(1);
		expect(await count('report_contacts')).toBe(0);
		const [r] = await db.rows<{ contact_deleted_at: unknown }>(sql`select contact_deleted_at from resident_reports`);
		expect(r.contact_deleted_at).not.toBeNull();
	});

	it('purges contacts and resets the limits from the command line', async () => {
		await submit(report({ contact: 'b@example.vn', consent: true }));
		await db.orm.execute(sql`update report_contacts set created_at = now() - interval '200 days'`);
		const lines: string[] = [];
		const io = { log: (l: string) => lines.push(l), warn: (l: string) => lines.push(l), open: async () => ({ ...db, close: async () => {} }), readPassword: async () => '' };
		expect(await runCli(['reports', 'purge-contacts'], io)).toBe(0);
		expect(lines.pop()).toBe('Deleted 1 contact older than the retention period.');
		expect(await count('report_contacts')).toBe(0);
		expect(await count('report_rate_limits')).toBeGreaterThan(0);
		expect(await runCli(['reports', 'reset-limits'], io)).toBe(0);
		expect(await count('report_rate_limits')).toBe(0);
	});
});

/**
 * The rate counters count in fixed minutes (intake.ts, RATE_WINDOW_MS): a sequence that must fall
 * in one window starts early in a minute, or one crossing into the next would count afresh there
 * (seen in CI on a slow machine).
 */
async function earlyInAMinute(needS = 20): Promise<void> {
	const intoMinuteS = (Date.now() % 60_000) / 1000;
	if (intoMinuteS > 60 - needS) await new Promise((r) => setTimeout(r, (60 - intoMinuteS + 0.2) * 1000));
}

describe(`residents' reports: limits and heuristics (${process.env.TEST_DB})`, () => {
	it('refuses the 11th report of a device within a minute with a retry time, and stores none of the refused', async () => {
		await earlyInAMinute();
		const outcomes: IntakeOutcome[] = [];
		for (let i = 0; i < 11; i++) outcomes.push(await submit(report({ lon: HERE.lon + i * 0.01 })));
		expect(outcomes.slice(0, 10).every((o) => o.kind === 'created')).toBe(true);
		const last = outcomes[10];
		expect(last.kind).toBe('rate_limited');
		if (last.kind === 'rate_limited') {
			expect(last.scope).toBe('device');
			expect(last.retryAfterS).toBeGreaterThanOrEqual(1);
			expect(last.retryAfterS).toBeLessThanOrEqual(60);
		}
		expect(await count('resident_reports')).toBe(10);
		// Another device is not limited; the reset hook frees the first.
		expect((await submit(report({ deviceKey: 'device-bbbb-0002' }))).kind).toBe('created');
		await resetReportLimits(db);
		expect((await submit(report({ lon: HERE.lon + 0.5 }))).kind).toBe('created');
	});

	it('limits one address over many devices (setting), in one batch as across batches', async () => {
		await earlyInAMinute();
		await setSetting(db, { accountId: null, label: 'test' }, 'reports.rate.address_per_minute', '5');
		const batch = Array.from({ length: 7 }, (_, i) => submit(report({ deviceKey: `device-many-${1000 + i}` }), '198.51.100.9'));
		const outcomes = await Promise.all(batch);
		expect(outcomes.filter((o) => o.kind === 'created')).toHaveLength(5);
		expect(outcomes.filter((o) => o.kind === 'rate_limited' && o.scope === 'address')).toHaveLength(2);
		expect((await submit(report({ deviceKey: 'device-else-0001' }), '198.51.100.10')).kind).toBe('created');
	});

	it('bounds what the speed test moves for one address a minute (setting), concurrent requests included', async () => {
		await earlyInAMinute();
		await setSetting(db, { accountId: null, label: 'test' }, 'reports.speedtest_mb_per_minute', '2');
		const here = await addressKeyOf(db, '198.51.100.20');
		// Two full tests' worth (1 MB each, and a kilobyte per request): the first fits, the second goes over.
		const first = await Promise.all([spendSpeedTestBytes(db, here, 0), spendSpeedTestBytes(db, here, 700_000), spendSpeedTestBytes(db, here, 200_000)]);
		expect(first.every((s) => s.ok)).toBe(true);
		const second = await Promise.all(Array.from({ length: 3 }, () => spendSpeedTestBytes(db, here, 500_000)));
		expect(second.filter((s) => s.ok)).toHaveLength(2); // 0.9 MB + 2 × 0.5 MB ≤ 2 MB; the third is over
		const refused = second.find((s) => !s.ok);
		expect(refused).toMatchObject({ ok: false });
		if (refused && !refused.ok) expect(refused.retryAfterS).toBeGreaterThanOrEqual(1), expect(refused.retryAfterS).toBeLessThanOrEqual(60);
		// Even an empty latency probe is refused now; another address is not limited.
		expect((await spendSpeedTestBytes(db, here, 0)).ok).toBe(false);
		expect((await spendSpeedTestBytes(db, await addressKeyOf(db, '198.51.100.21'), 900_000)).ok).toBe(true);
		// The reset hook frees the first address too.
		await resetReportLimits(db);
		expect((await spendSpeedTestBytes(db, here, 900_000)).ok).toBe(true);
	});

	it('marks the same complaint from the same device within 100 m and an hour as a duplicate, counted once', async () => {
		const first = created(await submit(report()));
		const near = created(await submit(report({ lon: HERE.lon + 0.0005 })));
		expect(near.status).toBe('duplicate');
		const [d] = await db.rows<{ duplicate_of: string }>(sql`select duplicate_of::text from resident_reports where id = ${near.id}::uuid`);
		expect(d.duplicate_of).toBe(first.id);
		// Farther than 100 m, another problem, or more than an hour later: not a duplicate.
		expect(created(await submit(report({ lon: HERE.lon + 0.005 }))).status).toBe('counted');
		expect(created(await submit(report({ problem: 'call_drop' }))).status).toBe('counted');
		clock += 2 * 3_600_000;
		expect(created(await submit(report())).status).toBe('counted');
		expect(await count('signal_reports')).toBe(4);
	});

	it('holds reports from outside Vietnam, after impossible travel, in a burst from one address, and from a limited device', async () => {
		const outside = created(await submit(report({ deviceKey: 'device-far-00001', lat: 48.85, lon: 2.35 })));
		expect(outside.status).toBe('held');
		// 1,000 km from Cao Bằng to Ho Chi Minh City in five seconds.
		created(await submit(report({ deviceKey: 'device-jump-0001' })));
		const jump = created(await submit(report({ deviceKey: 'device-jump-0001', lat: 10.78, lon: 106.7 })));
		expect(jump.status).toBe('held');
		await setSetting(db, { accountId: null, label: 'test' }, 'reports.burst.reports', '3');
		const burst: IntakeOutcome[] = [];
		for (let i = 0; i < 5; i++) burst.push(await submit(report({ deviceKey: `device-burst-${1000 + i}` }), '192.0.2.77'));
		expect(burst.map((o) => created(o).status)).toEqual(['counted', 'counted', 'counted', 'held', 'held']);
		const flags = await db.rows<{ id: string; flags: string[] }>(sql`select id::text, flags from resident_reports where status = 'held' order by received_at`);
		expect(flags.map((f) => f.flags)).toEqual([['outside_vietnam'], ['impossible_travel'], ['address_burst'], ['address_burst']]);
		// Held reports do not reach the analysis.
		expect(await count('signal_reports')).toBe(4);

		const bad = created(await submit(report({ deviceKey: 'device-spam-0001' }), '192.0.2.200'));
		await moderateReport(db, planner, bad.id, 'reject', { reason: 'invented' });
		const after = created(await submit(report({ deviceKey: 'device-spam-0001', lon: HERE.lon + 0.1 }), '192.0.2.200'));
		expect(after.status).toBe('held');
		const [limited] = await db.rows<{ flags: string[] }>(sql`select flags from resident_reports where id = ${after.id}::uuid`);
		expect(limited.flags).toEqual(['limited_device']);
	});
});

describe(`residents' reports: moderation and tracking (${process.env.TEST_DB})`, () => {
	it('approves a held report into the measured layer, rejects a counted one out of it, merges duplicates; all audited', async () => {
		const held = created(await submit(report({ deviceKey: 'device-far-00002', lat: 48.85, lon: 2.35 })));
		const counted = created(await submit(report({ deviceKey: 'device-mod-00001' })));
		const other = created(await submit(report({ deviceKey: 'device-mod-00002' })));
		expect(await count('signal_reports')).toBe(2);

		expect(await moderateReport(db, planner, held.id, 'approve')).toBe('counted');
		expect(await count('signal_reports')).toBe(3);
		await expect(moderateReport(db, planner, counted.id, 'reject', { reason: ' ' })).rejects.toThrow(/reason/);
		expect(await moderateReport(db, planner, counted.id, 'reject', { reason: 'a test report' })).toBe('rejected');
		expect(await count('signal_reports')).toBe(2);
		await expect(moderateReport(db, planner, counted.id, 'reject', { reason: 'again' })).rejects.toThrow(/cannot reject a report that is rejected/);
		expect(await moderateReport(db, planner, other.id, 'merge', { into: held.id })).toBe('duplicate');
		expect(await count('signal_reports')).toBe(1);
		// The layer equals a rebuild after every change.
		const incremental = await measuredFingerprint(db);
		await rebuildMeasured(db);
		expect(await measuredFingerprint(db)).toEqual(incremental);

		const audit = await db.rows<{ action: string; target: string; details: { from: string; to: string } }>(sql`select action, target, details from audit_log where action = 'report.moderate' order by id`);
		expect(audit.map((a) => [a.target, a.details.from, a.details.to])).toEqual([
			[held.id, 'held', 'counted'],
			[counted.id, 'counted', 'rejected'],
			[other.id, 'counted', 'duplicate']
		]);
		const tracked = await trackReport(db, counted.trackingCode);
		expect(tracked).toMatchObject({ status: 'rejected', reason: 'a test report' });
		expect(tracked!.steps.find((s) => s.key === 'counted')!.done).toBe(false);
	});

	it('lets a commune officer moderate only their commune, shows exact points and contacts only to moderators', async () => {
		const mine = created(await submit(report({ deviceKey: 'device-com-00001', contact: 'x@example.vn', consent: true })));
		const theirs = created(await submit(report({ deviceKey: 'device-com-00002', lon: 106.4 })));
		expect(await moderationCommunes(db, planner)).toEqual([
			{ code: COMMUNE, name: `Xã thử ${COMMUNE}`, held: 0 },
			{ code: OTHER_COMMUNE, name: `Xã thử ${OTHER_COMMUNE}`, held: 0 }
		]);
		expect((await moderationCommunes(db, officer)).map((c) => c.code)).toEqual([COMMUNE]);
		expect((await moderationQueue(db, planner, { status: 'all', flag: null, commune: OTHER_COMMUNE, operator: null, limit: 50 })).map((q) => q.id)).toEqual([theirs.id]);
		const queue = await moderationQueue(db, officer, { status: 'all', flag: null, commune: null, operator: null, limit: 50 });
		expect(queue.map((q) => q.id)).toEqual([mine.id]);
		expect(queue[0]).toMatchObject({ contact: 'x@example.vn', communeCode: COMMUNE });
		expect(queue[0].lon).toBeCloseTo(HERE.lon, 6);
		await expect(moderateReport(db, officer, theirs.id, 'reject', { reason: 'x' })).rejects.toThrow(/No report/);
		expect(await moderateReport(db, otherOfficer, theirs.id, 'reject', { reason: 'not here' })).toBe('rejected');
		await expect(moderateReport(db, liaison, mine.id, 'reject', { reason: 'x' })).rejects.toBeInstanceOf(ModerationError);
		expect(await moderationQueue(db, liaison, { status: 'all', flag: null, commune: null, operator: null, limit: 50 })).toEqual([]);
	});

	it('tracking says received, then counted; a site proposed nearby and verified show as steps', async () => {
		const o = created(await submit(report({ deviceKey: 'device-trk-00001' })));
		let t = await trackReport(db, o.trackingCode);
		expect(t!.steps.filter((s) => s.done).map((s) => s.key)).toEqual(['received', 'counted']);
		const cell = cellOfPosition([HERE.lon, HERE.lat]);
		await db.orm.execute(sql`
			insert into proposals (site_key, operator_code, site_type, cost, households, explanation_vi, explanation_en, target_cells, state, geom)
			values ('t1', 'viettel', 'small-cell', 1, 10, 'x', 'x', ${`{${cell}}`}::text[], 'verified', ST_SetSRID(ST_MakePoint(106.21, 22.71), 4326))`);
		t = await trackReport(db, o.trackingCode);
		expect(t!.steps.filter((s) => s.done).map((s) => s.key)).toEqual(['received', 'counted', 'site_proposed', 'covered']);
		expect(await trackReport(db, 'not-a-code')).toBeNull();
	});

	it('a new report’s cell never becomes public below k reporters', async () => {
		const bbox = [106.0, 22.5, 106.6, 22.9] as [number, number, number, number];
		const publicCells = () => reportCellsInBbox(db, bbox, { minReporters: 3 });
		for (let i = 0; i < 2; i++) {
			created(await submit(report({ deviceKey: `device-k-000${i}x` })));
			expect(await publicCells()).toEqual([]);
		}
		created(await submit(report({ deviceKey: 'device-k-0002x' })));
		const cells = await publicCells();
		expect(cells).toHaveLength(1);
		expect(cells[0].reporters).toBe(3);
	});
});
