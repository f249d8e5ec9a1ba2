import { describe, expect, it } from 'vitest';
import { checkTransition, nextStates, PROPOSAL_STATES, TRANSITIONS, verificationOf, type MeasuredAfter, type ProposalActor, type ProposalState } from './proposals';

const ACTORS: ProposalActor[] = ['planner', 'operator', 'system'];

describe('proposal transitions', () => {
	// Every pair of states × every actor: allowed exactly when the table lists it for that actor.
	const allowed = new Set(TRANSITIONS.map((t) => `${t.from}>${t.to}>${t.by}`));
	for (const from of PROPOSAL_STATES)
		for (const to of PROPOSAL_STATES)
			for (const by of ACTORS) {
				const listed = allowed.has(`${from}>${to}>${by}`);
				it(`${from} → ${to} by ${by}: ${listed ? 'allowed' : 'refused'}`, () => {
					const r = checkTransition(from, to, by, 'a reason');
					expect(r.ok).toBe(listed);
					if (!r.ok) expect(r.refusal).toBe(TRANSITIONS.some((t) => t.from === from && t.to === to) ? 'wrong-actor' : 'not-allowed');
				});
			}

	it('the path from proposed to closed through verification exists', () => {
		const path: [ProposalState, ProposalState, ProposalActor][] = [
			['proposed', 'sent', 'planner'],
			['sent', 'accepted', 'operator'],
			['accepted', 'building', 'operator'],
			['building', 'on_air', 'operator'],
			['on_air', 'verified', 'system'],
			['verified', 'closed', 'planner']
		];
		for (const [from, to, by] of path) expect(checkTransition(from, to, by, null)).toEqual({ ok: true });
	});

	it('a rejection and a withdrawal need a reason; blank is none', () => {
		expect(checkTransition('sent', 'rejected', 'operator', null)).toEqual({ ok: false, refusal: 'reason-required' });
		expect(checkTransition('sent', 'rejected', 'operator', '   ')).toEqual({ ok: false, refusal: 'reason-required' });
		expect(checkTransition('sent', 'rejected', 'operator', 'no power at the site')).toEqual({ ok: true });
		expect(checkTransition('proposed', 'closed', 'planner', '')).toEqual({ ok: false, refusal: 'reason-required' });
	});

	it('nobody but the system verifies, and nothing leaves closed', () => {
		expect(checkTransition('on_air', 'verified', 'planner', null)).toEqual({ ok: false, refusal: 'wrong-actor' });
		expect(checkTransition('on_air', 'verified', 'operator', null)).toEqual({ ok: false, refusal: 'wrong-actor' });
		for (const to of PROPOSAL_STATES) for (const by of ACTORS) expect(checkTransition('closed', to, by, 'x').ok).toBe(false);
	});

	it('an unknown state is refused by name', () => {
		expect(checkTransition('sent', 'done' as ProposalState, 'planner', null)).toEqual({ ok: false, refusal: 'unknown-state' });
	});

	it('offers each actor only its moves', () => {
		expect(nextStates('sent', 'operator').map((t) => t.to)).toEqual(['accepted', 'rejected']);
		expect(nextStates('sent', 'planner').map((t) => t.to)).toEqual(['closed']);
		expect(nextStates('on_air', 'operator')).toEqual([]);
	});
});

describe('verification rule', () => {
	const rule = { share: 0.7, minConfidence: 0.5 };
	const cells = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
	const measured = (entries: [string, MeasuredAfter][]) => new Map(entries);

	it('verifies at 70 % of target cells fair or better with confidence, not below', () => {
		const seven = measured(cells.slice(0, 7).map((c) => [c, { class: 'fair', confidence: 0.8 }]));
		expect(verificationOf(cells, seven, rule)).toEqual({ targetCells: 10, confirmedCells: 7, measuredCells: 7, share: 0.7, verified: true });
		const six = measured(cells.slice(0, 6).map((c) => [c, { class: 'good', confidence: 0.8 }]));
		expect(verificationOf(cells, six, rule).verified).toBe(false);
	});

	it('poor, dead or unconfident cells do not count, but are measured', () => {
		const m = measured([
			['a', { class: 'poor', confidence: 1 }],
			['b', { class: 'dead', confidence: 1 }],
			['c', { class: 'good', confidence: 0.49 }],
			['d', { class: 'good', confidence: 0.5 }]
		]);
		expect(verificationOf(['a', 'b', 'c', 'd'], m, rule)).toMatchObject({ confirmedCells: 1, measuredCells: 4, share: 0.25, verified: false });
	});

	it('cells outside the targets do not help, and no targets never verify', () => {
		const m = measured([['z', { class: 'good', confidence: 1 }]]);
		expect(verificationOf(['a'], m, rule).verified).toBe(false);
		expect(verificationOf([], m, rule)).toMatchObject({ share: 0, verified: false });
	});

	it('the share is a setting', () => {
		const m = measured([['a', { class: 'good', confidence: 1 }]]);
		expect(verificationOf(['a', 'b'], m, { share: 0.5, minConfidence: 0.5 }).verified).toBe(true);
		expect(verificationOf(['a', 'b'], m, { share: 0.51, minConfidence: 0.5 }).verified).toBe(false);
	});
});
