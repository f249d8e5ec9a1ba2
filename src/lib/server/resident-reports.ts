import { sql } from 'drizzle-orm';
import { cellToParent } from 'h3-js';
import { moderationStep, type ModeratedStatus, type ModerationAction } from '../reports/moderation';
import { normaliseTrackingCode } from '../reports/tracking-code';
import { trackingSteps, type TrackingStepView } from '../reports/tracking-status';
import type { Technology } from '../signal/classes';
import { recordAudit } from './audit';
import { readConfig } from './config';
import { deadZones } from './dead-zones';
import { inTransaction, type Database } from './db/index';
import { countInMeasured } from './intake';
import { updateMeasured } from './measured';
import { reportsWithKeys } from './measured-reports';
import type { Viewer } from './proposals';
import { readSettings } from './settings';

/**
 * Residents' reports after the intake: the public tracking page, deleting a contact, the
 * contacts' retention, and moderation (README, "Residents' reports").
 */

/** A proposal "near" a report serves its cell, or stands this close to it. */
const PROPOSAL_NEAR_M = 3_000;

export interface TrackedReport {
	trackingCode: string;
	status: ModeratedStatus;
	steps: TrackingStepView[];
	operator: string;
	technology: Technology | null;
	problem: string | null;
	/** The day it was observed (Vietnam time): no finer, nothing personal. */
	observedDay: string;
	commune: string | null;
	/** Whether a contact is kept (the resident may delete it), never the contact itself. */
	hasContact: boolean;
	/** Why a moderator rejected it. */
	reason: string | null;
}

interface TrackRow {
	id: string;
	tracking_code: string;
	status: ModeratedStatus;
	operator_code: string;
	technology: Technology | null;
	problem: string | null;
	observed_day: string;
	commune: string | null;
	received_at: string;
	counted_at: string | null;
	h3: string;
	has_contact: boolean;
	reason: string | null;
	proposal_state: string | null;
	proposal_since: string | null;
}

/** A report by its tracking code (any case, dash optional), or null. */
export async function trackReport(db: Database, typed: string): Promise<TrackedReport | null> {
	const code = normaliseTrackingCode(typed);
	if (!code) return null;
	const [r] = await db.rows<TrackRow>(sql`
		select r.id::text as id, r.tracking_code, r.status, r.operator_code, r.technology, r.problem,
			to_char(r.observed_at at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD') as observed_day, c.name as commune,
			to_char(r.received_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as received_at,
			case when r.status in ('counted', 'duplicate') then to_char(coalesce(r.moderated_at, r.received_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') end as counted_at,
			to_hex(r.h3_res9) as h3, exists (select 1 from report_contacts k where k.report_id = r.id) as has_contact,
			case when r.status = 'rejected' then r.moderation_reason end as reason, p.state as proposal_state,
			to_char(p.state_since at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as proposal_since
		from resident_reports r
		left join communes c on c.boundary_set = '2025' and c.code = r.commune_code
		left join lateral (
			select p.state, p.state_since from proposals p
			where p.operator_code = r.operator_code and p.state not in ('rejected', 'closed')
				and (to_hex(r.h3_res9) = any(p.target_cells) or ST_DWithin(p.geom::geography, r.geom::geography, ${PROPOSAL_NEAR_M}))
			order by (p.state = 'verified') desc, ST_Distance(p.geom::geography, r.geom::geography) limit 1
		) p on true
		where r.tracking_code = ${code}`);
	if (!r) return null;
	return {
		trackingCode: r.tracking_code,
		status: r.status,
		steps: trackingSteps({
			status: r.status,
			receivedAt: r.received_at,
			countedAt: r.counted_at,
			inDeadZone: r.status === 'counted' || r.status === 'duplicate' ? await inPublicDeadZone(db, r.h3, r.operator_code) : false,
			proposalState: r.proposal_state,
			proposalSince: r.proposal_since
		}),
		operator: r.operator_code,
		technology: r.technology,
		problem: r.problem,
		observedDay: r.observed_day,
		commune: r.commune,
		hasContact: r.has_contact,
		reason: r.reason
	};
}

/** Whether the report's place is in one of its operator's public dead zones (res 8, ≥ k reporters): what anyone can see. */
async function inPublicDeadZone(db: Database, h3Res9: string, operator: string): Promise<boolean> {
	const cell = cellToParent(h3Res9, 8);
	const set = await deadZones(db, { res: 8, operator, minReporters: readConfig().publicMinReporters });
	return set.zones.some((z) => z.cells.includes(cell));
}

/** Deletes the contact of the report with this code (the resident's right to erasure). Returns whether there was one. */
export async function deleteContact(db: Database, typed: string): Promise<boolean | null> {
	const code = normaliseTrackingCode(typed);
	if (!code) return null;
	return inTransaction(db, async (tx) => {
		const [r] = await tx.rows<{ id: string }>(sql`select id::text as id from resident_reports where tracking_code = ${code} for update`);
		if (!r) return null;
		const gone = await tx.rows<{ report_id: string }>(sql`delete from report_contacts where report_id = ${r.id}::uuid returning report_id::text`);
		if (gone.length > 0) {
			await tx.orm.execute(sql`update resident_reports set contact_deleted_at = now() where id = ${r.id}::uuid`);
			await tx.orm.execute(sql`insert into report_events (report_id, from_status, to_status, reason, actor_label) select id, status, status, 'contact deleted by the resident', 'resident' from resident_reports where id = ${r.id}::uuid`);
		}
		return gone.length > 0;
	});
}

/** Deletes contacts older than `reports.contact_retention_days` (the daily job and `npm run cli -- reports purge-contacts`). */
export async function purgeExpiredContacts(db: Database, now = new Date()): Promise<number> {
	const days = (await readSettings(db))['reports.contact_retention_days'];
	return inTransaction(db, async (tx) => {
		const gone = await tx.rows<{ report_id: string }>(sql`
			delete from report_contacts where created_at < ${now.toISOString()}::timestamptz - make_interval(days => ${days}) returning report_id::text`);
		if (gone.length > 0) {
			await tx.orm.execute(sql`update resident_reports set contact_deleted_at = ${now.toISOString()}::timestamptz where id = any(${`{${gone.map((g) => g.report_id).join(',')}}`}::uuid[])`);
		}
		return gone.length;
	});
}

/** Which reports a moderator sees: planners all, a commune officer its commune's; nobody else any. */
function moderatedBy(v: Viewer) {
	if (v.role === 'planner' || v.role === 'admin') return sql`true`;
	if (v.role === 'commune' && v.communeCode) return sql`r.commune_code = ${v.communeCode}`;
	return sql`false`;
}

export const canModerate = (v: Viewer) => v.role === 'planner' || v.role === 'admin' || (v.role === 'commune' && v.communeCode !== null);

export interface QueueFilter {
	status: ModeratedStatus | 'all';
	flag: string | null;
	commune: string | null;
	operator: string | null;
	limit: number;
}

export interface QueueRow {
	id: string;
	trackingCode: string;
	status: ModeratedStatus;
	flags: string[];
	channel: string;
	receivedAt: string;
	observedAt: string;
	operator: string;
	technology: string | null;
	problem: string | null;
	noService: boolean;
	signalBars: number | null;
	rsrpDbm: number | null;
	note: string | null;
	/** Exact point and contact: moderators only (planners, the commune's officer). */
	lon: number;
	lat: number;
	accuracyM: number | null;
	positionSource: string;
	contact: string | null;
	commune: string | null;
	communeCode: string | null;
	duplicateOf: string | null;
	reason: string | null;
	/** How many reports the same device sent (a pseudonym's history, not its key). */
	deviceReports: number;
	/** Made by the demo seed. */
	synthetic: boolean;
}

export async function moderationQueue(db: Database, v: Viewer, f: QueueFilter): Promise<QueueRow[]> {
	const rows = await db.rows<QueueRow>(sql`
		select r.id::text as id, r.tracking_code as "trackingCode", r.status, r.flags, r.channel,
			to_char(r.received_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "receivedAt",
			to_char(r.observed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "observedAt",
			r.operator_code as operator, r.technology, r.problem, r.no_service as "noService", r.signal_bars as "signalBars", r.rsrp_dbm as "rsrpDbm",
			r.note, ST_X(r.geom) as lon, ST_Y(r.geom) as lat, r.accuracy_m as "accuracyM", r.position_source as "positionSource",
			k.contact, c.name as commune, r.commune_code as "communeCode", r.duplicate_of::text as "duplicateOf", r.moderation_reason as reason,
			(select count(*)::int from resident_reports d where d.device_key = r.device_key) as "deviceReports", r.synthetic
		from resident_reports r
		left join report_contacts k on k.report_id = r.id
		left join communes c on c.boundary_set = '2025' and c.code = r.commune_code
		where ${moderatedBy(v)}
			and ${f.status === 'all' ? sql`true` : sql`r.status = ${f.status}`}
			and ${f.flag ? sql`${f.flag} = any(r.flags)` : sql`true`}
			and ${f.commune ? sql`r.commune_code = ${f.commune}` : sql`true`}
			and ${f.operator ? sql`r.operator_code = ${f.operator}` : sql`true`}
		order by r.received_at desc, r.id
		limit ${f.limit}`);
	return rows.map((r) => ({ ...r, lon: Number(r.lon), lat: Number(r.lat) }));
}

/** Counts per status of what this moderator sees (the queue's tabs). */
export async function moderationCounts(db: Database, v: Viewer): Promise<Record<ModeratedStatus, number>> {
	const rows = await db.rows<{ status: ModeratedStatus; n: number }>(sql`select r.status, count(*)::int as n from resident_reports r where ${moderatedBy(v)} group by r.status`);
	const out: Record<ModeratedStatus, number> = { counted: 0, held: 0, rejected: 0, duplicate: 0 };
	for (const r of rows) out[r.status] = r.n;
	return out;
}

/** The communes the moderator's reports lie in, with how many are held (the queue's commune filter). */
export async function moderationCommunes(db: Database, v: Viewer): Promise<{ code: string; name: string; held: number }[]> {
	return db.rows(sql`
		select r.commune_code as code, coalesce(min(c.name), r.commune_code) as name, count(*) filter (where r.status = 'held')::int as held
		from resident_reports r left join communes c on c.boundary_set = '2025' and c.code = r.commune_code
		where ${moderatedBy(v)} and r.commune_code is not null
		group by r.commune_code order by 2`);
}

export class ModerationError extends Error {
	constructor(
		readonly status: 400 | 403 | 404 | 409,
		message: string
	) {
		super(message);
	}
}

interface ReportForModeration {
	id: string;
	status: ModeratedStatus;
	commune_code: string | null;
}

/** Removes reports from the measured layer: their signal rows' contributions, then the rows. */
async function uncount(tx: Database, reportId: string): Promise<void> {
	const rows = await tx.rows<{ id: string; h3: string }>(sql`select id::text as id, h3_res9::text as h3 from signal_reports where dedupe_key = ${reportId}::uuid and import_id is null`);
	if (rows.length === 0) return;
	await updateMeasured(tx, reportsWithKeys(rows), -1);
	await tx.orm.execute(sql`delete from signal_reports where id = any(${`{${rows.map((r) => r.id).join(',')}}`}::bigint[])`);
}

/** The report as the intake stored it, to count it again after approval. */
async function storedIntake(tx: Database, id: string) {
	const [r] = await tx.rows<{
		id: string;
		channel: 'api' | 'geosubmit';
		device_key: string;
		observed_at: string;
		position_source: 'gps' | 'map';
		accuracy_m: number | null;
		lon: number;
		lat: number;
		operator_code: string;
		technology: Technology | null;
		no_service: boolean;
		signal_bars: number | null;
		rsrp_dbm: number | null;
		rssi_dbm: number | null;
		download_mbps: number | null;
		upload_mbps: number | null;
		latency_ms: number | null;
	}>(sql`
		select id::text as id, channel, device_key, to_char(observed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as observed_at, position_source, accuracy_m,
			ST_X(geom) as lon, ST_Y(geom) as lat, operator_code, technology, no_service, signal_bars, rsrp_dbm, rssi_dbm, download_mbps, upload_mbps, latency_ms
		from resident_reports where id = ${id}::uuid`);
	return {
		id: r.id,
		channel: r.channel,
		sourceKind: r.channel === 'geosubmit' ? ('app' as const) : ('resident' as const),
		deviceKey: r.device_key,
		observedAt: r.observed_at,
		positionSource: r.position_source,
		accuracyM: r.accuracy_m,
		lon: Number(r.lon),
		lat: Number(r.lat),
		operator: r.operator_code,
		technology: r.technology,
		noService: r.no_service,
		signalBars: r.signal_bars,
		rsrpDbm: r.rsrp_dbm,
		rssiDbm: r.rssi_dbm,
		indoor: null,
		floor: null,
		problem: null,
		note: null,
		contact: null,
		downloadMbps: r.download_mbps,
		uploadMbps: r.upload_mbps,
		latencyMs: r.latency_ms
	};
}

/**
 * Approves, rejects or merges one report, under its row lock: its counting in the measured layer
 * follows in the same transaction; every action is audited and kept in the report's history.
 */
export async function moderateReport(db: Database, v: Viewer, id: string, action: ModerationAction, { reason = null, into = null }: { reason?: string | null; into?: string | null } = {}): Promise<ModeratedStatus> {
	if (!canModerate(v)) throw new ModerationError(403, 'Only planners and commune officers moderate reports');
	return inTransaction(db, async (tx) => {
		const [r] = await tx.rows<ReportForModeration>(sql`select r.id::text as id, r.status, r.commune_code from resident_reports r where r.id = ${id}::uuid and ${moderatedBy(v)} for update`);
		if (!r) throw new ModerationError(404, `No report ${id} that you moderate`);
		const step = moderationStep(r.status, action, reason);
		if (!step.ok) throw new ModerationError(409, step.message);
		if (action === 'merge') {
			if (!into || into === id) throw new ModerationError(400, 'into: the id of the report this one repeats');
			const [target] = await tx.rows<{ status: string }>(sql`select r.status from resident_reports r where r.id = ${into}::uuid and ${moderatedBy(v)}`);
			if (!target) throw new ModerationError(404, `into: no report ${into} that you moderate`);
			if (target.status !== 'counted' && target.status !== 'held') throw new ModerationError(409, `into: report ${into} is ${target.status}; merge into a counted or held report`);
		}
		if (r.status === 'counted') await uncount(tx, id);
		if (step.to === 'counted') await countInMeasured(tx, [await storedIntake(tx, id)]);
		await tx.orm.execute(sql`
			update resident_reports set status = ${step.to}, duplicate_of = ${action === 'merge' ? into : null}::uuid,
				moderated_by = ${v.label}, moderated_at = now(), moderation_reason = ${reason?.trim() || null},
				flags = case when ${step.to} = 'counted' then '{}'::text[] else flags end
			where id = ${id}::uuid`);
		await tx.orm.execute(sql`insert into report_events (report_id, from_status, to_status, reason, actor_label) values (${id}::uuid, ${r.status}, ${step.to}, ${reason?.trim() || null}, ${v.label})`);
		await recordAudit(tx, { accountId: v.accountId, label: v.label }, 'report.moderate', id, { action, from: r.status, to: step.to, reason: reason?.trim() || null, into });
		return step.to;
	});
}

/** The id of the report with this tracking code, or null. */
export async function reportIdByCode(db: Database, typed: string): Promise<string | null> {
	const code = normaliseTrackingCode(typed);
	if (!code) return null;
	const [r] = await db.rows<{ id: string }>(sql`select id::text as id from resident_reports where tracking_code = ${code}`);
	return r?.id ?? null;
}
