import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../settings/definitions';
import { bestOfOperators, fuseCell, fusionRulesFromSettings, hourSpan, hourSpanOfMask, type FusionInputs, type MeasuredEvidence } from './fusion';

const rules = fusionRulesFromSettings(DEFAULT_SETTINGS);
const m = (cls: MeasuredEvidence['class'], confidence: number, reporters = 3, days = 2): MeasuredEvidence => ({ class: cls, confidence, reporters, days, medianDbm: -100 });
const none: FusionInputs = { measured: null, parentMeasured: null, predicted: null, declared: null };

describe('fusion', () => {
	// Every combination of sources (present and confident, present but weak, absent).
	it.each([
		['own confident', { measured: m('poor', 0.9), parentMeasured: m('good', 0.9), predicted: { class: 'good', dbm: -80 }, declared: true }, 'measured', 'poor', 'confident-measurement'],
		['own weak, parent confident', { measured: m('poor', 0.2), parentMeasured: m('good', 0.9), predicted: { class: 'dead', dbm: -130 }, declared: false }, 'measured-parent', 'good', 'parent-measurement'],
		['own weak, parent weak, predicted', { measured: m('poor', 0.2), parentMeasured: m('good', 0.3), predicted: { class: 'fair', dbm: -100 }, declared: true }, 'predicted', 'fair', 'prediction'],
		['no measured, predicted', { ...none, predicted: { class: 'dead', dbm: -130 }, declared: true }, 'predicted', 'dead', 'prediction'],
		['declared only, inside', { ...none, declared: true }, 'declared', 'fair', 'declared-covered'],
		['declared only, outside', { ...none, declared: false }, 'declared', 'dead', 'declared-not-covered'],
		['own confident without class', { ...none, measured: m(null, 0.9) }, null, null, 'no-evidence'],
		['nothing', none, null, null, 'no-evidence']
	] as const)('%s → %s %s', (_label, inputs, source, cls, reason) => {
		const f = fuseCell(inputs as FusionInputs, rules);
		expect([f.source, f.class, f.reason]).toEqual([source, cls, reason]);
	});

	it.each([
		['declared covered, measured dead, prediction dead', { measured: m('dead', 0.9), declared: true, predicted: { class: 'dead', dbm: -130 } }, ['declared'], false],
		['declared covered, prediction fair, measured poor', { measured: m('poor', 0.9), declared: true, predicted: { class: 'fair', dbm: -100 } }, ['declared', 'predicted'], false],
		['gates: two reporters only', { measured: m('dead', 0.9, 2), declared: true }, [], false],
		['gates: one day only', { measured: m('dead', 0.9, 5, 1), declared: true }, [], false],
		['gates: old evidence', { measured: m('dead', 0.3), declared: true }, [], false],
		['measured good where predicted dead', { measured: m('good', 0.9), predicted: { class: 'dead', dbm: -130 } }, [], true],
		['measured fair where nothing reaches', { measured: m('fair', 0.9) }, [], true],
		['parent evidence never disputes', { parentMeasured: m('dead', 1), declared: true }, [], false],
		['gates: failing reports 2 h apart in the day', { measured: { ...m('dead', 0.9), failingHourSpan: 2 }, declared: true }, [], false],
		['gates: failing reports 4 h apart in the day', { measured: { ...m('dead', 0.9), failingHourSpan: 4 }, declared: true }, ['declared'], false],
		['the hour gate is for failing reports only', { measured: { ...m('good', 0.9), failingHourSpan: 0 } }, [], true]
	] as const)('disputes: %s', (_label, partial, disputes, unexpected) => {
		const f = fuseCell({ ...none, ...(partial as Partial<FusionInputs>) }, rules);
		expect(f.disputes).toEqual(disputes);
		expect(f.unexpected).toBe(unexpected);
	});

	it('measures time of day on the 24-hour clock', () => {
		expect(hourSpan([])).toBe(0);
		expect(hourSpan([9])).toBe(0);
		expect(hourSpan([8, 13, 10])).toBe(5);
		expect(hourSpan([23, 1])).toBe(2);
		expect(hourSpan([0, 12])).toBe(12);
		expect(hourSpanOfMask(0)).toBe(0);
		expect(hourSpanOfMask((1 << 8) | (1 << 13))).toBe(5);
		expect(hourSpanOfMask((1 << 23) | 1)).toBe(1);
	});

	it('takes the best operator for any operator: best class, then confidence, then level; no disputes of its own', () => {
		const a = fuseCell({ ...none, measured: m('poor', 0.9), declared: true }, rules);
		const b = fuseCell({ ...none, predicted: { class: 'fair', dbm: -101 } }, rules);
		const c = fuseCell({ ...none, predicted: { class: 'fair', dbm: -99 } }, rules);
		expect(a.disputes).toEqual(['declared']);
		expect(bestOfOperators([a, b, c])).toMatchObject({ class: 'fair', dbm: -99, source: 'predicted' });
		expect(bestOfOperators([a])).toMatchObject({ class: 'poor', disputes: [] });
		expect(bestOfOperators([])).toBeNull();
	});
});
