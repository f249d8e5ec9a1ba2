import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../settings/definitions';
import { screenBatch, screeningRules, type AddressState, type Candidate, type DeviceState } from './screening';

const rules = screeningRules(DEFAULT_SETTINGS);
const T0 = Date.parse('2026-12-06T03:00:00Z');
let n = 0;
const candidate = (over: Partial<Candidate> = {}): Candidate => ({
	id: `r${n++}`,
	deviceKey: 'dev-1',
	addressKey: 'addr-1',
	observedMs: T0,
	lon: 106.2,
	lat: 22.7,
	problem: 'no_signal',
	weight: 1,
	burst: true,
	...over
});

const screen = (cs: Candidate[], devices = new Map<string, DeviceState>(), addresses = new Map<string, AddressState>()) => screenBatch(cs, devices, addresses, rules, 42.3);

describe('screenBatch', () => {
	it('counts a plain report', () => {
		expect(screen([candidate()])).toEqual([{ kind: 'counted' }]);
	});

	it('refuses a device over its minute, with the seconds left in the window; the batch counts itself', () => {
		const cs = Array.from({ length: 11 }, (_, i) => candidate({ lon: 106 + i * 0.1, observedMs: T0 + i * 3_600_000 * 3 }));
		const v = screen(cs);
		expect(v.slice(0, 10).every((x) => x.kind !== 'rate_limited')).toBe(true);
		expect(v[10]).toEqual({ kind: 'rate_limited', scope: 'device', retryAfterS: 43 });
	});

	it('continues from the counters read from the database', () => {
		const devices = new Map([['dev-1', { inWindow: 9, prior: [], limited: false }]]);
		const addresses = new Map([['addr-1', { inWindow: 59, inBurstWindow: 0 }]]);
		expect(screen([candidate(), candidate({ deviceKey: 'dev-2' })], devices, addresses).map((v) => v.kind)).toEqual(['counted', 'rate_limited']);
	});

	it('lets a request’s other items ride with its first (weight 0): not limited, not counted', () => {
		const devices = new Map([['dev-1', { inWindow: 10, prior: [], limited: false }]]);
		expect(screen([candidate({ weight: 0, problem: null })], devices)[0].kind).toBe('counted');
		expect(devices.get('dev-1')!.inWindow).toBe(10);
	});

	it('finds duplicates: same device and problem, ≤ 100 m, ≤ 60 min — not across problems, devices, distance or time', () => {
		const base = candidate();
		const v = screen([
			base,
			candidate({ lon: 106.2005 }), // ~51 m
			candidate({ lon: 106.202 }), // ~205 m
			candidate({ problem: 'call_drop' }),
			candidate({ deviceKey: 'dev-2' }),
			candidate({ observedMs: T0 + 61 * 60_000 })
		]);
		expect(v.map((x) => x.kind)).toEqual(['counted', 'duplicate', 'counted', 'counted', 'counted', 'counted']);
		expect(v[1]).toEqual({ kind: 'duplicate', of: base.id });
	});

	it('never calls an app measurement (no problem) a duplicate', () => {
		expect(screen([candidate({ problem: null }), candidate({ problem: null })]).map((x) => x.kind)).toEqual(['counted', 'counted']);
	});

	it('holds positions outside Vietnam (Laos’ capital, Bangkok, Paris) but not its islands', () => {
		const v = screen([
			candidate({ deviceKey: 'a', lon: 102.6, lat: 17.97 }),
			candidate({ deviceKey: 'b', lon: 100.5, lat: 13.75 }),
			candidate({ deviceKey: 'c', lon: 2.35, lat: 48.85 }),
			candidate({ deviceKey: 'd', lon: 114.3, lat: 10.4 }), // Trường Sa
			candidate({ deviceKey: 'e', lon: 106.7, lat: 10.78 }) // Ho Chi Minh City
		]);
		expect(v.map((x) => (x.kind === 'held' ? x.flags.join() : x.kind))).toEqual(['outside_vietnam', 'outside_vietnam', 'outside_vietnam', 'counted', 'counted']);
	});

	it('holds impossible travel against the report nearest in time, not a slow journey or a GPS jump', () => {
		const v = screen([
			candidate(),
			candidate({ lat: 21.03, lon: 105.85, observedMs: T0 + 60 * 60_000 }), // Hà Nội, ~230 km in an hour: > 250 km/h? no
			candidate({ lat: 10.78, lon: 106.7, observedMs: T0 + 2 * 60 * 60_000 }), // 1,140 km an hour later
			candidate({ lon: 106.21, observedMs: T0 + 10_000 }) // 1 km in 10 s: a GPS jump
		]);
		expect(v.map((x) => (x.kind === 'held' ? x.flags.join() : x.kind))).toEqual(['counted', 'counted', 'impossible_travel', 'counted']);
	});

	it('holds what comes beyond a burst from one address, only for the form’s channel', () => {
		const addresses = new Map([['addr-1', { inWindow: 0, inBurstWindow: 19 }]]);
		const v = screen([candidate({ deviceKey: 'x1' }), candidate({ deviceKey: 'x2' }), candidate({ deviceKey: 'x3', burst: false })], new Map(), addresses);
		expect(v.map((x) => (x.kind === 'held' ? x.flags.join() : x.kind))).toEqual(['counted', 'address_burst', 'counted']);
	});

	it('holds a limited device’s reports', () => {
		const devices = new Map([['dev-1', { inWindow: 0, prior: [], limited: true }]]);
		expect(screen([candidate()], devices)).toEqual([{ kind: 'held', flags: ['limited_device'] }]);
	});
});
