import { distance } from '@turf/turf';
import type { Settings } from '../settings/definitions';
import { insideVietnam } from './vietnam';

/**
 * What happens to a valid report on arrival (README, "Abuse resistance"). Pure: the caller reads
 * the device's and the address's history and counters inside the intake's transaction, then
 * screens the batch's reports in arrival order, each one counting towards the next.
 *
 * - Over a rate limit (per device, per address, fixed one-minute windows): refused, 429.
 * - Same device, same problem, within `reports.duplicate.radius_m` and `.minutes` of one it sent
 *   before: stored as a duplicate of it, counted once.
 * - Suspicious (outside Vietnam, impossible travel, a burst from one address, a device with a
 *   report rejected lately): stored and held; it counts only once a moderator approves it.
 * - Otherwise: counted at once.
 */

export const SPAM_FLAGS = ['outside_vietnam', 'impossible_travel', 'address_burst', 'limited_device'] as const;
export type SpamFlag = (typeof SPAM_FLAGS)[number];

export interface ScreeningRules {
	devicePerMinute: number;
	addressPerMinute: number;
	duplicateRadiusM: number;
	duplicateMs: number;
	maxTravelKmh: number;
	burstReports: number;
}

export function screeningRules(s: Settings): ScreeningRules {
	return {
		devicePerMinute: s['reports.rate.device_per_minute'],
		addressPerMinute: s['reports.rate.address_per_minute'],
		duplicateRadiusM: s['reports.duplicate.radius_m'],
		duplicateMs: s['reports.duplicate.minutes'] * 60_000,
		maxTravelKmh: s['reports.travel.max_kmh'],
		burstReports: s['reports.burst.reports']
	};
}

/** An earlier report of the same device, as screening needs it. */
export interface PriorReport {
	id: string;
	observedMs: number;
	lon: number;
	lat: number;
	problem: string | null;
	/** Only a counted or held report can be the original of a duplicate. */
	status: string;
}

/** What the database says about one device, read before the batch. */
export interface DeviceState {
	/** Reports accepted in the current one-minute window. */
	inWindow: number;
	/** Its reports observed near the batch's times (duplicates, travel). */
	prior: PriorReport[];
	/** A moderator rejected one of its reports lately. */
	limited: boolean;
}

/** What the database says about one address, read before the batch. */
export interface AddressState {
	inWindow: number;
	/** Reports accepted from it within the burst window. */
	inBurstWindow: number;
}

/** A report to screen. */
export interface Candidate {
	id: string;
	deviceKey: string;
	addressKey: string;
	observedMs: number;
	lon: number;
	lat: number;
	problem: string | null;
	/** 1: counts towards the rate limits and is checked against them; 0: rides with the request's first report. */
	weight: 0 | 1;
	/** Whether the burst rule applies (the form's channel; apps upload in bulk by design). */
	burst: boolean;
}

export type Verdict =
	| { kind: 'rate_limited'; scope: 'device' | 'address'; retryAfterS: number }
	| { kind: 'duplicate'; of: string }
	| { kind: 'held'; flags: SpamFlag[] }
	| { kind: 'counted' };

/** Travel shorter than this is never "impossible": a GPS fix can jump a few hundred metres. */
const TRAVEL_SLACK_KM = 2;

/** The speed in km/h between two reports, with a minute's floor on the time between them. */
function speedKmh(a: { lon: number; lat: number; observedMs: number }, b: { lon: number; lat: number; observedMs: number }): { km: number; kmh: number } {
	const km = distance([a.lon, a.lat], [b.lon, b.lat], { units: 'kilometers' });
	const hours = Math.max(Math.abs(a.observedMs - b.observedMs), 60_000) / 3_600_000;
	return { km, kmh: km / hours };
}

/**
 * Screens a batch in order. `devices` and `addresses` hold the state read from the database; they
 * are updated as reports are accepted, so the batch's own reports count towards the limits and
 * become earlier reports of their device. `windowEndsInS`: seconds until the rate window turns.
 */
export function screenBatch(
	candidates: readonly Candidate[],
	devices: Map<string, DeviceState>,
	addresses: Map<string, AddressState>,
	rules: ScreeningRules,
	windowEndsInS: number
): Verdict[] {
	return candidates.map((c) => {
		const device = devices.get(c.deviceKey) ?? { inWindow: 0, prior: [], limited: false };
		const address = addresses.get(c.addressKey) ?? { inWindow: 0, inBurstWindow: 0 };
		devices.set(c.deviceKey, device);
		addresses.set(c.addressKey, address);
		const retryAfterS = Math.max(1, Math.ceil(windowEndsInS));
		if (c.weight > 0) {
			if (device.inWindow >= rules.devicePerMinute) return { kind: 'rate_limited', scope: 'device', retryAfterS };
			if (address.inWindow >= rules.addressPerMinute) return { kind: 'rate_limited', scope: 'address', retryAfterS };
			device.inWindow++;
			address.inWindow++;
		}
		if (c.burst) address.inBurstWindow++;

		const verdict = judge(c, device, address, rules);
		device.prior.push({ id: c.id, observedMs: c.observedMs, lon: c.lon, lat: c.lat, problem: c.problem, status: verdict.kind });
		return verdict;
	});
}

function judge(c: Candidate, device: DeviceState, address: AddressState, rules: ScreeningRules): Verdict {
	// Duplicates are a resident's same complaint sent twice; an app's measurements have no problem to repeat.
	const original = c.problem === null ? undefined : device.prior.find(
		(p) =>
			(p.status === 'counted' || p.status === 'held') &&
			p.problem === c.problem &&
			Math.abs(p.observedMs - c.observedMs) <= rules.duplicateMs &&
			distance([p.lon, p.lat], [c.lon, c.lat], { units: 'meters' }) <= rules.duplicateRadiusM
	);
	if (original) return { kind: 'duplicate', of: original.id };

	const flags: SpamFlag[] = [];
	if (!insideVietnam(c.lon, c.lat)) flags.push('outside_vietnam');
	// The report nearest in time: an offline queue sends reports late and out of order.
	let nearest: PriorReport | undefined;
	for (const p of device.prior) if (!nearest || Math.abs(p.observedMs - c.observedMs) < Math.abs(nearest.observedMs - c.observedMs)) nearest = p;
	if (nearest) {
		const { km, kmh } = speedKmh(nearest, c);
		if (km > TRAVEL_SLACK_KM && kmh > rules.maxTravelKmh) flags.push('impossible_travel');
	}
	// The count includes this report: those beyond the threshold are held.
	if (c.burst && address.inBurstWindow > rules.burstReports) flags.push('address_burst');
	if (device.limited) flags.push('limited_device');
	return flags.length > 0 ? { kind: 'held', flags } : { kind: 'counted' };
}
