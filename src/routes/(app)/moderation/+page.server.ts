import { basemapStyleUrl } from '$lib/server/basemap';
import { error, fail } from '@sveltejs/kit';
import { MODERATION_ACTIONS, type ModeratedStatus, type ModerationAction } from '$lib/reports/moderation';
import { SPAM_FLAGS } from '$lib/reports/screening';
import { getDatabase } from '$lib/server/db';
import { viewerOf } from '$lib/server/plan-requests';
import { canModerate, moderateReport, moderationCommunes, moderationCounts, moderationQueue, ModerationError, reportIdByCode } from '$lib/server/resident-reports';

const STATUSES = ['held', 'counted', 'duplicate', 'rejected', 'all'] as const;
const QUEUE_LIMIT = 200;

// Planners moderate every report, a commune officer those in their commune (scoped inside);
// exact points and contacts are shown here and nowhere public.
export async function load({ locals, url }) {
	const viewer = viewerOf(locals.user);
	if (!canModerate(viewer)) error(403, 'Only planners and commune officers moderate reports');
	const status = url.searchParams.get('status') || 'held';
	if (!STATUSES.includes(status as (typeof STATUSES)[number])) error(400, `status: must be one of ${STATUSES.join(', ')}`);
	const flag = url.searchParams.get('flag') || null;
	const commune = url.searchParams.get('commune') || null;
	if (commune !== null && !/^\d{5}$/.test(commune)) error(400, 'commune: must be a five-digit commune code');
	if (flag !== null && !SPAM_FLAGS.includes(flag as (typeof SPAM_FLAGS)[number])) error(400, `flag: must be one of ${SPAM_FLAGS.join(', ')}`);
	const db = await getDatabase();
	const [reports, counts, communes] = await Promise.all([
		moderationQueue(db, viewer, { status: status as ModeratedStatus | 'all', flag, commune, operator: null, limit: QUEUE_LIMIT }),
		moderationCounts(db, viewer),
		moderationCommunes(db, viewer)
	]);
	return { reports, counts, communes, commune, status, flag, limit: QUEUE_LIMIT, flags: SPAM_FLAGS, basemapStyleUrl: basemapStyleUrl() };
}

async function act({ request, locals }: { request: Request; locals: App.Locals }) {
	const viewer = viewerOf(locals.user);
	if (!canModerate(viewer)) error(403, 'Only planners and commune officers moderate reports');
	const form = await request.formData();
	const action = String(form.get('action') ?? '') as ModerationAction;
	const id = String(form.get('id') ?? '');
	if (!MODERATION_ACTIONS.includes(action)) return fail(400, { message: `action: must be one of ${MODERATION_ACTIONS.join(', ')}` });
	if (!/^[0-9a-f-]{36}$/i.test(id)) return fail(400, { message: 'id: must be a report id' });
	const db = await getDatabase();
	let into: string | null = null;
	if (action === 'merge') {
		into = await reportIdByCode(db, String(form.get('into') ?? ''));
		if (!into) return fail(400, { message: 'into: no report has this tracking code', id });
	}
	try {
		const to = await moderateReport(db, viewer, id, action, { reason: String(form.get('reason') ?? '') || null, into });
		return { done: { id, code: String(form.get('code') ?? ''), status: to } };
	} catch (err) {
		if (err instanceof ModerationError) return fail(err.status, { message: err.message, id });
		throw err;
	}
}

export const actions = { default: act };
