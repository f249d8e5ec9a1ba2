import { error, json } from '@sveltejs/kit';
import { describeZodError } from '$lib/server/import/request';
import { getDatabase } from '$lib/server/db';
import { proposalStatus, transitionSchema, viewerOf } from '$lib/server/plan-requests';
import { proposalDetail, ProposalError, transitionProposal } from '$lib/server/proposals';

const idOf = (text: string) => {
	const id = Number(text);
	if (!Number.isInteger(id) || id <= 0) error(400, 'id: must be a proposal id');
	return id;
};

/** One proposal and its history (404 as well when the caller may not see it). */
export async function GET({ params, locals }) {
	const id = idOf(params.id);
	const detail = await proposalDetail(await getDatabase(), viewerOf(locals.user), id);
	if (!detail) error(404, `id: no proposal ${id}`);
	return json(detail, { headers: { 'cache-control': 'no-store' } });
}

/** Moves a proposal to another state ({to, reason}), as the table in src/lib/planning/proposals.ts allows the caller. */
export async function POST({ params, locals, request }) {
	const id = idOf(params.id);
	const parsed = transitionSchema.safeParse(await request.json().catch(() => null));
	if (!parsed.success) error(400, describeZodError(parsed.error));
	try {
		return json({ proposal: await transitionProposal(await getDatabase(), viewerOf(locals.user), id, parsed.data.to, parsed.data.reason) });
	} catch (err) {
		if (err instanceof ProposalError) error(proposalStatus(err), err.message);
		throw err;
	}
}
