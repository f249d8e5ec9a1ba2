/**
 * What a moderator may do to a report, by its status (README, "Moderation"). Pure.
 * - approve: a held or duplicate report counts (a rejected one may be reconsidered);
 * - reject (with a reason): it stops counting, whatever it was;
 * - merge into another report: it is a duplicate of that one and counts once, through it.
 */
export const MODERATION_ACTIONS = ['approve', 'reject', 'merge'] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];
export type ModeratedStatus = 'counted' | 'held' | 'rejected' | 'duplicate';

const TARGET: Record<ModerationAction, ModeratedStatus> = { approve: 'counted', reject: 'rejected', merge: 'duplicate' };

const ALLOWED_FROM: Record<ModerationAction, readonly ModeratedStatus[]> = {
	approve: ['held', 'duplicate', 'rejected'],
	reject: ['held', 'counted', 'duplicate'],
	merge: ['held', 'counted']
};

export type ModerationCheck = { ok: true; to: ModeratedStatus } | { ok: false; message: string };

/** Whether `action` applies to a report in `from`; a rejection needs its reason. */
export function moderationStep(from: ModeratedStatus, action: ModerationAction, reason: string | null): ModerationCheck {
	if (!ALLOWED_FROM[action].includes(from)) return { ok: false, message: `action: cannot ${action} a report that is ${from}` };
	if (action === 'reject' && !reason?.trim()) return { ok: false, message: 'reason: say why the report is rejected' };
	return { ok: true, to: TARGET[action] };
}

/** Whether a status counts in the analysis. */
export const isCounted = (status: ModeratedStatus) => status === 'counted';
