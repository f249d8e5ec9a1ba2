import { error } from '@sveltejs/kit';
import { z } from 'zod';
import type { SessionUser } from '../auth/roles';
import { PROPOSAL_STATES } from '../planning/proposals';
import { parseScenarioOptions, type ScenarioOptions } from '../planning/scenario-options';
import type { Actor } from './audit';
import type { Database } from './db/index';
import { PlanError, runScenario, type PlanStage } from './plans';
import { ProposalError, type Viewer } from './proposals';
import { saveScenario } from './scenarios';

/**
 * What the plan and proposal routes share: who is asking, the request bodies (zod, named fields),
 * errors as HTTP statuses, and a scenario run streamed as server-sent events.
 */

export function viewerOf(user: SessionUser | null): Viewer {
	if (!user) error(401, 'sign in first');
	return { accountId: user.id, label: user.email, role: user.role, operatorCode: user.operatorCode, communeCode: user.communeCode };
}

export const actorOfUser = (user: SessionUser | null): Actor => {
	const v = viewerOf(user);
	return { accountId: v.accountId, label: v.label };
};

export const proposeSchema = z.object({ scenarioId: z.number().int().positive(), sites: z.array(z.string().min(1).max(200)).max(1000).nullable().default(null), send: z.boolean().default(false) }).strict();
export const transitionSchema = z.object({ to: z.enum(PROPOSAL_STATES), reason: z.string().max(2000).nullable().default(null) }).strict();

/** A proposal refusal as the HTTP status that says it. */
export function proposalStatus(err: ProposalError): number {
	if (err.code === 'not-found') return 404;
	if (err.code === 'forbidden' || err.code === 'wrong-actor') return 403;
	return 409;
}

export function scenarioOptionsOrError(body: unknown): ScenarioOptions {
	const parsed = parseScenarioOptions(body);
	if (!parsed.ok) error(400, parsed.problems.join('; '));
	return parsed.options;
}

/**
 * Runs a scenario and saves it, as server-sent events: `progress` ({stage, done, total}) while it
 * runs, then `done` ({id}) or `failed` ({message}). Every run is kept (a planner deletes none by
 * mistake; the list shows the newest first), so a reload or a second server finds it.
 */
export function runScenarioStream(db: Database, options: ScenarioOptions, actor: Actor, signal: AbortSignal): Response {
	const encoder = new TextEncoder();
	const stream = new ReadableStream<Uint8Array>({
		async start(controller) {
			let open = true;
			signal.addEventListener('abort', () => (open = false));
			const send = (event: string, data: unknown) => {
				if (!open) return;
				try {
					controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
				} catch {
					open = false;
				}
			};
			let last = 0;
			try {
				const result = await runScenario(db, options, (stage: PlanStage, done, total) => {
					// A few events a second at most, and every stage's start and end.
					if (done !== 0 && done !== total && Date.now() - last < 150) return;
					last = Date.now();
					send('progress', { stage, done, total });
				});
				const name = options.name ?? `${options.operator} · ${options.p !== null ? `p = ${options.p}` : ''}${options.p !== null && options.budget !== null ? ' · ' : ''}${options.budget !== null ? `budget ${options.budget}` : ''}`;
				const id = await saveScenario(db, actor, name, { ...options, name }, result);
				send('done', { id });
			} catch (err) {
				send('failed', { message: err instanceof PlanError ? err.message : `the scenario could not run: ${(err as Error).message}` });
				if (!(err instanceof PlanError)) console.error(err);
			}
			if (open) controller.close();
		}
	});
	return new Response(stream, { headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' } });
}
