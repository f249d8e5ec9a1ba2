import { error } from '@sveltejs/kit';
import { PROPOSAL_STATES, type ProposalState } from '$lib/planning/proposals';
import { getDatabase } from '$lib/server/db';
import { viewerOf } from '$lib/server/plan-requests';
import { listProposals } from '$lib/server/proposals';

// Signed in: the proposals the caller may see (planners all, a liaison its operator's, a commune
// officer its commune's), optionally of one state.
export async function load({ locals, url }) {
	const state = url.searchParams.get('state');
	if (state !== null && state !== '' && !PROPOSAL_STATES.includes(state as ProposalState)) error(400, `state: must be one of ${PROPOSAL_STATES.join(', ')}`);
	const proposals = await listProposals(await getDatabase(), viewerOf(locals.user), { state: (state || undefined) as ProposalState | undefined });
	return { proposals, state: state || null, now: new Date().toISOString() };
}
