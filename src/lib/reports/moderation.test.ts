import { describe, expect, it } from 'vitest';
import { moderationStep } from './moderation';
import { trackingSteps } from './tracking-status';

describe('moderationStep', () => {
	it.each([
		['held', 'approve', null, 'counted'],
		['duplicate', 'approve', null, 'counted'],
		['rejected', 'approve', null, 'counted'],
		['held', 'reject', 'spam', 'rejected'],
		['counted', 'reject', 'spam', 'rejected'],
		['held', 'merge', null, 'duplicate'],
		['counted', 'merge', null, 'duplicate']
	] as const)('%s + %s → %s', (from, action, reason, to) => {
		expect(moderationStep(from, action, reason)).toEqual({ ok: true, to });
	});

	it.each([
		['counted', 'approve', null, /cannot approve a report that is counted/],
		['rejected', 'reject', 'x', /cannot reject/],
		['rejected', 'merge', null, /cannot merge/],
		['duplicate', 'merge', null, /cannot merge/],
		['held', 'reject', '  ', /^reason: /],
		['held', 'reject', null, /^reason: /]
	] as const)('%s + %s is refused', (from, action, reason, message) => {
		const r = moderationStep(from, action, reason);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.message).toMatch(message);
	});
});

describe('trackingSteps', () => {
	const base = { receivedAt: '2026-12-01T00:00:00Z', countedAt: '2026-12-01T00:00:00Z', inDeadZone: false, proposalState: null, proposalSince: null };
	const done = (f: Parameters<typeof trackingSteps>[0]) => trackingSteps(f).filter((s) => s.done).map((s) => s.key);

	it('a held report is only received', () => expect(done({ ...base, status: 'held', inDeadZone: true, proposalState: 'verified' })).toEqual(['received']));
	it('a counted one in a dead zone', () => expect(done({ ...base, status: 'counted', inDeadZone: true })).toEqual(['received', 'counted', 'dead_zone']));
	it('a site on its way', () => expect(done({ ...base, status: 'counted', inDeadZone: true, proposalState: 'building' })).toEqual(['received', 'counted', 'dead_zone', 'site_proposed']));
	it('covered once verified', () => expect(done({ ...base, status: 'duplicate', proposalState: 'verified' })).toEqual(['received', 'counted', 'site_proposed', 'covered']));
	it('a rejected proposal is no site', () => expect(done({ ...base, status: 'counted', proposalState: 'rejected' })).toEqual(['received', 'counted']));
});
