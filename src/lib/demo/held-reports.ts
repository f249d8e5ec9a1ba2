import { createRandom } from '../random/prng';
import type { IntakeReport } from '../reports/intake-report';
import type { SpamFlag } from '../reports/screening';
import { trackingCodeFrom } from '../reports/tracking-code';
import type { DemoCommuneInput } from './generate';

/**
 * SYNTHETIC residents' reports waiting for a moderator, so the demo's /moderation page has work:
 * a commune meeting sending many at once from one Wi-Fi (held as a burst) and a phone whose
 * position jumped (impossible travel). Deterministic from the seed; every note says it is sample
 * data. They are held, so they reach no analysis until someone approves them.
 */
export interface HeldDemoReport {
	report: IntakeReport;
	flags: SpamFlag[];
	trackingCode: string;
	addressKey: string;
}

const NOTES = [
	'[Dữ liệu mẫu tổng hợp] Họp thôn: cả thôn không gọi được từ nhà văn hoá.',
	'[Dữ liệu mẫu tổng hợp] Trong nhà mất sóng, ra sân mới có 1 vạch.',
	'[Dữ liệu mẫu tổng hợp] Chiều tối hay rớt cuộc gọi.',
	null
];
const PROBLEMS = ['no_signal', 'weak_signal', 'call_drop'] as const;
const OPERATORS = ['viettel', 'vnpt', 'mobifone'] as const;

function uuidFrom(random: () => number): string {
	const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
	hex[12] = '4';
	hex[16] = '89ab'[Math.floor(random() * 4)];
	const h = hex.join('');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** `count` held reports near the centres of `communes` (the gap communes), observed before `until`. */
export function heldDemoReports(communes: readonly DemoCommuneInput[], seed: number, until: string, count = 12): HeldDemoReport[] {
	const random = createRandom(seed ^ 0x5eed17);
	const end = Date.parse(until);
	return Array.from({ length: count }, (_, i) => {
		const commune = communes[i % communes.length];
		const burst = i < count - 2;
		const problem = PROBLEMS[random.int(0, PROBLEMS.length - 1)];
		const noService = problem === 'no_signal';
		const bytes = new Uint8Array(16).map(() => random.int(0, 239));
		return {
			report: {
				id: uuidFrom(() => random.next()),
				channel: 'api',
				sourceKind: 'resident',
				deviceKey: `demo-held-${seed}-${i}`,
				observedAt: new Date(end - random.uniform(1, 48) * 3_600_000).toISOString(),
				positionSource: random.chance(0.3) ? 'map' : 'gps',
				accuracyM: Math.round(random.uniform(8, 60)),
				lon: commune.center[0] + random.normal(0, 0.01),
				lat: commune.center[1] + random.normal(0, 0.01),
				operator: OPERATORS[i % OPERATORS.length],
				technology: noService ? null : '4G',
				noService,
				signalBars: noService ? 0 : random.int(0, 2),
				rsrpDbm: null,
				rssiDbm: null,
				indoor: random.chance(0.5),
				floor: null,
				problem,
				note: NOTES[i % NOTES.length],
				contact: null,
				downloadMbps: null,
				uploadMbps: null,
				latencyMs: null
			},
			flags: burst ? ['address_burst'] : ['impossible_travel'],
			trackingCode: trackingCodeFrom(bytes),
			addressKey: burst ? `demo-meeting-${seed}` : `demo-phone-${seed}-${i}`
		};
	});
}
