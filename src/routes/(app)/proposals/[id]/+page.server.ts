import { basemapStyleUrl } from '$lib/server/basemap';
import { error } from '@sveltejs/kit';
import { cellCenter } from '$lib/grid/h3';
import { nextStates, type ProposalActor } from '$lib/planning/proposals';
import { planLayers } from '$lib/planning/layers';
import { getDatabase } from '$lib/server/db';
import { viewerOf } from '$lib/server/plan-requests';
import { proposalDetail } from '$lib/server/proposals';
import { readSettings } from '$lib/server/settings';

// One proposal: where, what it serves, its history, the verification figures and the moves the
// caller may make (none for a commune officer: they follow it).
export async function load({ params, locals }) {
	const id = Number(params.id);
	if (!Number.isInteger(id) || id <= 0) error(400, 'id: must be a proposal id');
	const viewer = viewerOf(locals.user);
	const detail = await proposalDetail(await getDatabase(), viewer, id);
	if (!detail) error(404, `id: no proposal ${id}`);
	const p = detail.proposal;
	const actor: ProposalActor | null = viewer.role === 'planner' || viewer.role === 'admin' ? 'planner' : viewer.role === 'operator' && viewer.operatorCode === p.operatorCode ? 'operator' : null;
	const layers = planLayers([{ rank: 1, key: String(p.id), type: p.siteType, position: p.position, householdsNewlyCovered: p.households, newCells: p.targetCells, explanation: p.explanation }]);
	const lngs = [p.position[0], ...p.targetCells.map((c) => cellCenter(c)[0])];
	const lats = [p.position[1], ...p.targetCells.map((c) => cellCenter(c)[1])];
	const settings = await readSettings(await getDatabase());
	return {
		...detail,
		moves: actor ? nextStates(p.state, actor).map((t) => ({ to: t.to, needsReason: Boolean(t.needsReason) })) : [],
		layers,
		bbox: [Math.min(...lngs) - 0.01, Math.min(...lats) - 0.01, Math.max(...lngs) + 0.01, Math.max(...lats) + 0.01] as [number, number, number, number],
		verifyShare: settings['proposal.verify_share'],
		now: new Date().toISOString(),
		basemapStyleUrl: basemapStyleUrl()
	};
}
