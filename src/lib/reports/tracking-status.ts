/**
 * A report's progress as its tracking page shows it, in plain words (README, "Tracking"). Pure:
 * the server finds the facts; this orders them. Every later step needs the report counted; a
 * covered place is usually no longer in a dead zone, so "dead zone" may be undone by then.
 */
export const TRACKING_STEPS = ['received', 'counted', 'dead_zone', 'site_proposed', 'covered'] as const;
export type TrackingStep = (typeof TRACKING_STEPS)[number];

export interface TrackingFacts {
	status: 'counted' | 'held' | 'rejected' | 'duplicate';
	receivedAt: string;
	/** When it began to count (received, or approved later). */
	countedAt: string | null;
	inDeadZone: boolean;
	/** The state of the nearest proposal of its operator serving its place, if any. */
	proposalState: string | null;
	proposalSince: string | null;
}

export interface TrackingStepView {
	key: TrackingStep;
	done: boolean;
	at: string | null;
}

/** Proposal states that mean a site is on its way (a rejected or closed one is not). */
const PROPOSED = new Set(['proposed', 'sent', 'accepted', 'building', 'on_air', 'verified']);

export function trackingSteps(f: TrackingFacts): TrackingStepView[] {
	const counted = f.status === 'counted' || f.status === 'duplicate';
	const proposed = counted && f.proposalState !== null && PROPOSED.has(f.proposalState);
	const covered = proposed && f.proposalState === 'verified';
	return [
		{ key: 'received', done: true, at: f.receivedAt },
		{ key: 'counted', done: counted, at: counted ? f.countedAt : null },
		{ key: 'dead_zone', done: counted && f.inDeadZone, at: null },
		{ key: 'site_proposed', done: proposed, at: proposed ? f.proposalSince : null },
		{ key: 'covered', done: covered, at: covered ? f.proposalSince : null }
	];
}
