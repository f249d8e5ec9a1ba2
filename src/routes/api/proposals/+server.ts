import { error, json } from '@sveltejs/kit';
import { describeZodError } from '$lib/server/import/request';
import { getDatabase } from '$lib/server/db';
import { proposalStatus, proposeSchema, viewerOf } from '$lib/server/plan-requests';
import { listProposals, ProposalError, proposeSites } from '$lib/server/proposals';
import { PROPOSAL_STATES, type ProposalState } from '$lib/planning/proposals';

/** The proposals the caller may see: planners all, a liaison its operator's, a commune officer its commune's. */
export async function GET({ locals, url }) {
	const state = url.searchParams.get('state');
	if (state !== null && !PROPOSAL_STATES.includes(state as ProposalState)) error(400, `state: must be one of ${PROPOSAL_STATES.join(', ')}`);
	const proposals = await listProposals(await getDatabase(), viewerOf(locals.user), { state: (state as ProposalState) ?? undefined });
	return json({ proposals }, { headers: { 'cache-control': 'no-store' } });
}

/** Planners: propose sites of a saved scenario to its operator ({scenarioId, sites: [key…] | null, send}). */
export async function POST({ locals, request }) {
	const parsed = proposeSchema.safeParse(await request.json().catch(() => null));
	if (!parsed.success) error(400, describeZodError(parsed.error));
	try {
		const ids = await proposeSites(await getDatabase(), viewerOf(locals.user), parsed.data.scenarioId, parsed.data.sites, { send: parsed.data.send });
		return json({ ids }, { status: 201 });
	} catch (err) {
		if (err instanceof ProposalError) error(proposalStatus(err), err.message);
		throw err;
	}
}
