import { sql } from 'drizzle-orm';
import type { ScenarioOptions } from '../planning/scenario-options';
import { recordAudit, type Actor } from './audit';
import { inTransaction, type Database } from './db/index';
import type { PlanResult } from './plans';

/**
 * Saved scenarios (drizzle/0019_plans.sql): what was asked and what came back, so a scenario
 * survives a restart, is shared between app servers and can be compared with another.
 */

export interface ScenarioSummary {
	id: number;
	name: string;
	operatorCode: string;
	createdAt: string;
	createdBy: string;
	sites: number;
	cost: number;
	householdsNewlyCovered: number;
	demandHouseholds: number;
	gap: number;
	p: number | null;
	budget: number | null;
	siteTypes: string[];
}

export interface SavedScenario {
	id: number;
	name: string;
	operatorCode: string;
	createdAt: string;
	createdBy: string;
	options: ScenarioOptions;
	result: PlanResult;
}

export async function saveScenario(db: Database, actor: Actor, name: string, options: ScenarioOptions, result: PlanResult): Promise<number> {
	return inTransaction(db, async (tx) => {
		const [row] = await tx.rows<{ id: number }>(sql`
			insert into plan_scenarios (name, operator_code, options, result, built_from, created_by, created_by_label)
			values (${name}, ${options.operator}, ${JSON.stringify(options)}::jsonb, ${JSON.stringify(result)}::jsonb, ${result.builtFrom}, ${actor.accountId}, ${actor.label})
			returning id`);
		await recordAudit(tx, actor, 'plan.save', `scenario:${row.id}`, { name, operator: options.operator, sites: result.sites.length });
		return row.id;
	});
}

/** Saved scenarios, newest first; an operator liaison sees only its operator's. */
export async function listScenarios(db: Database, { operator }: { operator?: string | null } = {}): Promise<ScenarioSummary[]> {
	const rows = await db.rows<{
		id: number;
		name: string;
		operator_code: string;
		created_at: string;
		created_by_label: string;
		sites: number;
		cost: number | null;
		households: number;
		demand: number;
		gap: number;
		p: number | null;
		budget: number | null;
		site_types: string[];
	}>(sql`
		select id, name, operator_code, created_at, created_by_label,
			jsonb_array_length(result->'sites') as sites,
			(select sum((x->>'cost')::float8) from jsonb_array_elements(result->'sites') x) as cost,
			(result->>'householdsNewlyCovered')::float8 as households, (result->>'demandHouseholds')::float8 as demand,
			(result->'solver'->>'gap')::float8 as gap, (options->>'p')::int as p, (options->>'budget')::float8 as budget,
			array(select jsonb_array_elements_text(options->'siteTypes')) as site_types
		from plan_scenarios ${operator ? sql`where operator_code = ${operator}` : sql``}
		order by created_at desc, id desc`);
	return rows.map((r) => ({
		id: r.id,
		name: r.name,
		operatorCode: r.operator_code,
		createdAt: new Date(r.created_at).toISOString(),
		createdBy: r.created_by_label,
		sites: r.sites,
		cost: r.cost ?? 0,
		householdsNewlyCovered: r.households,
		demandHouseholds: r.demand,
		gap: r.gap,
		p: r.p,
		budget: r.budget,
		siteTypes: r.site_types
	}));
}

export async function getScenario(db: Database, id: number): Promise<SavedScenario | null> {
	const [r] = await db.rows<{ id: number; name: string; operator_code: string; created_at: string; created_by_label: string; options: ScenarioOptions; result: PlanResult }>(sql`
		select id, name, operator_code, created_at, created_by_label, options, result from plan_scenarios where id = ${id}`);
	if (!r) return null;
	return { id: r.id, name: r.name, operatorCode: r.operator_code, createdAt: new Date(r.created_at).toISOString(), createdBy: r.created_by_label, options: r.options, result: r.result };
}
