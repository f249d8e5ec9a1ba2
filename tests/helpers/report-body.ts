import { randomUUID } from 'node:crypto';

/** A resident's report as `POST /api/reports` takes it: weak 4G signal outdoors, a fresh id; `over` changes any field. */
export function weakSignalReportBody(over: Record<string, unknown> = {}) {
	return {
		id: randomUUID(),
		deviceKey: 'test-device-0001',
		lat: 22.72,
		lon: 106.18,
		accuracyM: 15,
		positionSource: 'gps',
		observedAt: new Date(Date.now() - 60_000).toISOString(),
		operator: 'viettel',
		technology: '4G',
		signalBars: 1,
		rsrpDbm: -117,
		indoor: false,
		problem: 'weak_signal',
		...over
	};
}
