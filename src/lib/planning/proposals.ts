import type { SignalClass } from '../signal/classes';

/**
 * A proposal's life, from the planner's choice to residents' confirmation: proposed → sent →
 * accepted / rejected (with a reason) → building → on air → verified → closed. Who may move it
 * where is this table and nothing else: the server checks every change against it, the pages
 * offer only the moves it allows. Verification is the system's, never a person's (issue 16).
 */

export const PROPOSAL_STATES = ['proposed', 'sent', 'accepted', 'rejected', 'building', 'on_air', 'verified', 'closed'] as const;
export type ProposalState = (typeof PROPOSAL_STATES)[number];

/** Who acts: the province (planners, admins), the proposal's operator (its liaison), or Phủ Sóng itself. */
export type ProposalActor = 'planner' | 'operator' | 'system';

export interface Transition {
	from: ProposalState;
	to: ProposalState;
	by: ProposalActor;
	/** A reason must be given (a rejection, a withdrawal). */
	needsReason?: boolean;
}

export const TRANSITIONS: readonly Transition[] = [
	{ from: 'proposed', to: 'sent', by: 'planner' },
	{ from: 'proposed', to: 'closed', by: 'planner', needsReason: true },
	{ from: 'sent', to: 'accepted', by: 'operator' },
	{ from: 'sent', to: 'rejected', by: 'operator', needsReason: true },
	{ from: 'sent', to: 'closed', by: 'planner', needsReason: true },
	{ from: 'accepted', to: 'building', by: 'operator' },
	{ from: 'building', to: 'on_air', by: 'operator' },
	// Residents' reports decide this one (verificationOf below); nobody can claim it.
	{ from: 'on_air', to: 'verified', by: 'system' },
	{ from: 'rejected', to: 'closed', by: 'planner' },
	{ from: 'verified', to: 'closed', by: 'planner' }
];

export type TransitionRefusal = 'unknown-state' | 'not-allowed' | 'wrong-actor' | 'reason-required';

/** Whether `by` may move a proposal from `from` to `to`, and why not. */
export function checkTransition(from: ProposalState, to: ProposalState, by: ProposalActor, reason: string | null): { ok: true } | { ok: false; refusal: TransitionRefusal } {
	if (!PROPOSAL_STATES.includes(from) || !PROPOSAL_STATES.includes(to)) return { ok: false, refusal: 'unknown-state' };
	const moves = TRANSITIONS.filter((t) => t.from === from && t.to === to);
	if (moves.length === 0) return { ok: false, refusal: 'not-allowed' };
	const move = moves.find((t) => t.by === by);
	if (!move) return { ok: false, refusal: 'wrong-actor' };
	if (move.needsReason && !reason?.trim()) return { ok: false, refusal: 'reason-required' };
	return { ok: true };
}

/** The states `by` can move a proposal to from `from` (what a page offers). */
export const nextStates = (from: ProposalState, by: ProposalActor): Transition[] => TRANSITIONS.filter((t) => t.from === from && t.by === by);

/** A target cell as measured after the site went on air: its class and confidence, or nothing yet. */
export interface MeasuredAfter {
	class: SignalClass | null;
	confidence: number;
}

export interface VerificationRule {
	/** Share of target cells that must be measured at least fair with confidence (`proposal.verify_share`). */
	share: number;
	/** Confidence a measurement needs to count (`fusion.measured_min_confidence`). */
	minConfidence: number;
}

export interface Verification {
	targetCells: number;
	/** Target cells measured at least fair with confidence since the site went on air. */
	confirmedCells: number;
	/** Target cells with any measurement since then. */
	measuredCells: number;
	share: number;
	verified: boolean;
}

/**
 * The verification rule: a proposal on air is verified when at least `share` of its target cells
 * are measured at least fair, with at least `minConfidence`, from reports made after it went on
 * air (the caller passes only those). With no target cells nothing can confirm it.
 */
export function verificationOf(targets: readonly string[], measured: ReadonlyMap<string, MeasuredAfter>, rule: VerificationRule): Verification {
	let confirmed = 0;
	let seen = 0;
	for (const cell of targets) {
		const m = measured.get(cell);
		if (!m || m.class === null) continue;
		seen++;
		if ((m.class === 'good' || m.class === 'fair') && m.confidence >= rule.minConfidence) confirmed++;
	}
	const share = targets.length > 0 ? confirmed / targets.length : 0;
	return { targetCells: targets.length, confirmedCells: confirmed, measuredCells: seen, share, verified: targets.length > 0 && share >= rule.share };
}

/** Milliseconds in the current state (for "time in state"). */
export const timeInState = (since: Date, now: Date) => Math.max(0, now.getTime() - since.getTime());
