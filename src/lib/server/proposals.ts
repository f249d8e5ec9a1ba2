import { sql } from 'drizzle-orm';
import { ANY, confidenceOf, dayOf, summariseReports, type MeasuredReport } from '../coverage/measured';
import { cellToDecimal } from '../grid/h3';
import { checkTransition, verificationOf, type MeasuredAfter, type ProposalActor, type ProposalState, type TransitionRefusal, type Verification } from '../planning/proposals';
import type { Role } from '../auth/roles';
import { recordAudit, SYSTEM_ACTOR, type Actor } from './audit';
import { inTransaction, type Database } from './db/index';
import { readContributions } from './measured-reports';
import type { PlanResult } from './plans';
import { readSettings } from './settings';

/**
 * Proposals (issue 16): the sites of a saved scenario sent to their operator, and their life until
 * residents' reports confirm them. Every change goes through src/lib/planning/proposals.ts's table,
 * under a row lock (two people pressing at once: one wins, the other is told), and is recorded in
 * proposal_events and the audit log. Who sees what: planners and admins all; an operator liaison
 * its operator's; a commune officer those in its commune.
 */

export interface Viewer {
	accountId: number | null;
	label: string;
	role: Role;
	operatorCode: string | null;
	communeCode: string | null;
}

export interface ProposalRow {
	id: number;
	scenarioId: number | null;
	scenarioName: string | null;
	operatorCode: string;
	siteType: 'small-cell' | 'macro';
	cost: number;
	communeCode: string | null;
	communeName: string | null;
	households: number;
	explanation: { vi: string; en: string };
	targetCells: string[];
	state: ProposalState;
	stateSince: string;
	onAirAt: string | null;
	reason: string | null;
	verification: Verification | null;
	position: [number, number];
}

export interface ProposalEvent {
	fromState: ProposalState | null;
	toState: ProposalState;
	actorLabel: string;
	reason: string | null;
	at: string;
}

export class ProposalError extends Error {
	constructor(
		readonly code: TransitionRefusal | 'not-found' | 'forbidden' | 'no-sites' | 'conflict',
		message: string
	) {
		super(message);
	}
}

const actorOf = (v: Viewer): Actor => ({ accountId: v.accountId, label: v.label });

/** The proposals a viewer may see, as a SQL condition on `p`. */
function visibleTo(v: Viewer) {
	if (v.role === 'planner' || v.role === 'admin') return sql`true`;
	if (v.role === 'operator') return sql`p.operator_code = ${v.operatorCode ?? ''}`;
	return sql`p.commune_code = ${v.communeCode ?? ''}`;
}

interface StoredProposal {
	id: number;
	scenario_id: number | null;
	scenario_name: string | null;
	operator_code: string;
	site_type: 'small-cell' | 'macro';
	cost: number;
	commune_code: string | null;
	commune_name: string | null;
	households: number;
	explanation_vi: string;
	explanation_en: string;
	target_cells: string[];
	state: ProposalState;
	state_since: string;
	on_air_at: string | null;
	reason: string | null;
	verification: Verification | null;
	lng: number;
	lat: number;
}

const toRow = (r: StoredProposal): ProposalRow => ({
	id: r.id,
	scenarioId: r.scenario_id,
	scenarioName: r.scenario_name,
	operatorCode: r.operator_code,
	siteType: r.site_type,
	cost: r.cost,
	communeCode: r.commune_code,
	communeName: r.commune_name,
	households: r.households,
	explanation: { vi: r.explanation_vi, en: r.explanation_en },
	targetCells: r.target_cells,
	state: r.state,
	stateSince: new Date(r.state_since).toISOString(),
	onAirAt: r.on_air_at ? new Date(r.on_air_at).toISOString() : null,
	reason: r.reason,
	verification: r.verification,
	position: [r.lng, r.lat]
});

const SELECT = sql`
	select p.id, p.scenario_id, s.name as scenario_name, p.operator_code, p.site_type, p.cost, p.commune_code, c.name as commune_name,
		p.households, p.explanation_vi, p.explanation_en, p.target_cells, p.state, p.state_since, p.on_air_at, p.reason, p.verification,
		ST_X(p.geom) as lng, ST_Y(p.geom) as lat
	from proposals p
	left join plan_scenarios s on s.id = p.scenario_id
	left join communes c on c.boundary_set = '2025' and c.code = p.commune_code`;

export async function listProposals(db: Database, v: Viewer, { state }: { state?: ProposalState } = {}): Promise<ProposalRow[]> {
	const rows = await db.rows<StoredProposal>(sql`${SELECT} where ${visibleTo(v)} ${state ? sql`and p.state = ${state}` : sql``} order by p.id`);
	return rows.map(toRow);
}

/** One proposal and its history, or null when it does not exist or the viewer may not see it. */
export async function proposalDetail(db: Database, v: Viewer, id: number): Promise<{ proposal: ProposalRow; events: ProposalEvent[] } | null> {
	const [row] = await db.rows<StoredProposal>(sql`${SELECT} where p.id = ${id} and ${visibleTo(v)}`);
	if (!row) return null;
	const events = await db.rows<{ from_state: ProposalState | null; to_state: ProposalState; actor_label: string; reason: string | null; at: string }>(sql`
		select from_state, to_state, actor_label, reason, at from proposal_events where proposal_id = ${id} order by at, id`);
	return { proposal: toRow(row), events: events.map((e) => ({ fromState: e.from_state, toState: e.to_state, actorLabel: e.actor_label, reason: e.reason, at: new Date(e.at).toISOString() })) };
}

/**
 * Makes proposals of the chosen sites of a saved scenario (by their keys; all when none given),
 * in state `proposed`, or — with `send` — moved on to `sent` at once. A site already proposed from
 * this scenario is not proposed twice. Returns the proposals' ids.
 */
export async function proposeSites(db: Database, v: Viewer, scenarioId: number, siteKeys: readonly string[] | null, { send = false } = {}): Promise<number[]> {
	if (v.role !== 'planner' && v.role !== 'admin') throw new ProposalError('forbidden', 'only planners send proposals');
	return inTransaction(db, async (tx) => {
		const [scenario] = await tx.rows<{ operator_code: string; result: PlanResult }>(sql`select operator_code, result from plan_scenarios where id = ${scenarioId}`);
		if (!scenario) throw new ProposalError('not-found', `scenario ${scenarioId} does not exist`);
		const sites = scenario.result.sites.filter((s) => siteKeys === null || siteKeys.includes(s.key));
		const unknown = (siteKeys ?? []).filter((k) => !scenario.result.sites.some((s) => s.key === k));
		if (unknown.length > 0) throw new ProposalError('not-found', `sites: ${unknown.join(', ')} are not sites of scenario ${scenarioId}`);
		if (sites.length === 0) throw new ProposalError('no-sites', `scenario ${scenarioId} proposes no sites`);
		const ids: number[] = [];
		for (const s of sites) {
			const [made] = await tx.rows<{ id: number }>(sql`
				insert into proposals (scenario_id, site_key, operator_code, site_type, cost, commune_code, households, explanation_vi, explanation_en, target_cells, geom)
				values (${scenarioId}, ${s.key}, ${scenario.operator_code}, ${s.type}, ${s.cost}, ${s.communeCode}, ${s.householdsNewlyCovered},
					${s.explanation.vi}, ${s.explanation.en}, ${`{${s.newCells.join(',')}}`}::text[], ST_SetSRID(ST_MakePoint(${s.position[0]}, ${s.position[1]}), 4326))
				on conflict (scenario_id, site_key) do nothing
				returning id`);
			if (!made) continue;
			await tx.orm.execute(sql`insert into proposal_events (proposal_id, from_state, to_state, actor_account_id, actor_label) values (${made.id}, null, 'proposed', ${v.accountId}, ${v.label})`);
			ids.push(made.id);
		}
		await recordAudit(tx, actorOf(v), 'proposal.create', `scenario:${scenarioId}`, { proposals: ids });
		if (send) for (const id of ids) await moveLocked(tx, v, 'planner', id, 'sent', null);
		return ids;
	});
}

/** Who the viewer acts as on a proposal of `operatorCode`, or null when it may not act on it. */
function actingAs(v: Viewer, operatorCode: string): ProposalActor | null {
	if (v.role === 'planner' || v.role === 'admin') return 'planner';
	if (v.role === 'operator' && v.operatorCode === operatorCode) return 'operator';
	return null;
}

/** Moves a proposal to `to`, if the viewer may; the reason is required where the table says. */
export async function transitionProposal(db: Database, v: Viewer, id: number, to: ProposalState, reason: string | null): Promise<ProposalRow> {
	return inTransaction(db, async (tx) => {
		const [row] = await tx.rows<{ operator_code: string; commune_code: string | null }>(sql`select p.operator_code, p.commune_code from proposals p where p.id = ${id} and ${visibleTo(v)} for update`);
		if (!row) throw new ProposalError('not-found', `proposal ${id} does not exist`);
		const by = actingAs(v, row.operator_code);
		if (!by) throw new ProposalError('forbidden', `${v.role} cannot change proposal ${id}`);
		await moveLocked(tx, v, by, id, to, reason);
		const [after] = await tx.rows<StoredProposal>(sql`${SELECT} where p.id = ${id}`);
		return toRow(after);
	});
}

/** The change itself, inside a transaction that holds (or now takes) the proposal's row lock. */
async function moveLocked(tx: Database, v: Viewer | null, by: ProposalActor, id: number, to: ProposalState, reason: string | null, verification?: Verification): Promise<void> {
	const [row] = await tx.rows<{ state: ProposalState }>(sql`select state from proposals where id = ${id} for update`);
	const check = checkTransition(row.state, to, by, reason);
	if (!check.ok) throw new ProposalError(check.refusal, `proposal ${id}: ${row.state} → ${to} is refused for ${by} (${check.refusal})`);
	const trimmed = reason?.trim() || null;
	await tx.orm.execute(sql`
		update proposals set state = ${to}, state_since = now(), reason = coalesce(${trimmed}, case when ${to} in ('rejected', 'closed') then reason else null end),
			on_air_at = case when ${to} = 'on_air' then now() else on_air_at end,
			verification = coalesce(${verification ? JSON.stringify(verification) : null}::jsonb, verification)
		where id = ${id}`);
	const actor = v ? actorOf(v) : SYSTEM_ACTOR;
	await tx.orm.execute(sql`insert into proposal_events (proposal_id, from_state, to_state, actor_account_id, actor_label, reason) values (${id}, ${row.state}, ${to}, ${actor.accountId}, ${actor.label}, ${trimmed})`);
	await recordAudit(tx, actor, 'proposal.transition', `proposal:${id}`, { from: row.state, to, reason: trimmed });
}

/**
 * Checks every proposal on air against the reports made since it went on air: each target cell's
 * class and confidence from those reports alone (the measured rules), then the verification rule.
 * Records the figures, and moves a proposal that meets the rule to `verified` (the system's
 * move). Safe with several processes: each proposal is checked under its row lock. Returns the
 * ids it verified.
 */
export async function verifyOnAir(db: Database, now = new Date()): Promise<number[]> {
	const onAir = await db.rows<{ id: number }>(sql`select id from proposals where state = 'on_air' order by id`);
	const verified: number[] = [];
	if (onAir.length === 0) return verified;
	const s = await readSettings(db);
	const rule = { share: s['proposal.verify_share'], minConfidence: s['fusion.measured_min_confidence'] };
	for (const { id } of onAir) {
		const done = await inTransaction(db, async (tx) => {
			const [p] = await tx.rows<{ state: ProposalState; operator_code: string; target_cells: string[]; on_air_at: string }>(sql`
				select state, operator_code, target_cells, on_air_at from proposals where id = ${id} for update`);
			if (p.state !== 'on_air') return false;
			const cells = `{${p.target_cells.map(cellToDecimal).join(',')}}`;
			const reports: MeasuredReport[] = [];
			await readContributions(
				tx,
				sql`(select * from signal_reports where h3_res9 = any(${cells}::bigint[]) and observed_at >= ${new Date(p.on_air_at).toISOString()}::timestamptz and operator_code = ${p.operator_code})`,
				{ add: (rows) => reports.push(...rows) }
			);
			const today = dayOf(now.toISOString());
			const res9 = summariseReports(reports, s).get(9) ?? new Map();
			const measured = new Map<string, MeasuredAfter>();
			for (const [cell, dims] of res9) {
				const m = dims.get(`${p.operator_code}|${ANY}`);
				if (m) measured.set(cell, { class: m.class, confidence: confidenceOf(m, today, s) });
			}
			const verification = verificationOf(p.target_cells, measured, rule);
			if (verification.verified) {
				await moveLocked(tx, null, 'system', id, 'verified', null, verification);
				return true;
			}
			await tx.orm.execute(sql`update proposals set verification = ${JSON.stringify(verification)}::jsonb where id = ${id}`);
			return false;
		});
		if (done) verified.push(id);
	}
	return verified;
}
