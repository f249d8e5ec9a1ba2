import { describe, expect, it } from 'vitest';
import { parseGeosubmit } from './geosubmit';

const NOW = new Date('2026-12-06T10:00:00Z');
const at = NOW.getTime() - 3_600_000;
const item = (towers: unknown[], over: Record<string, unknown> = {}) => ({
	timestamp: at,
	position: { latitude: 22.71, longitude: 106.21, accuracy: 12, source: 'gps' },
	cellTowers: towers,
	wifiAccessPoints: [{ macAddress: '01:23:45:67:89:ab', signalStrength: -51 }],
	...over
});
const lte = (mnc: number, strength: number, serving?: number) => ({ radioType: 'lte', mobileCountryCode: 452, mobileNetworkCode: mnc, locationAreaCode: 2, cellId: 1234, signalStrength: strength, serving });

describe('parseGeosubmit', () => {
	it('turns serving cells of MCC 452 into measurements of their operator and technology', () => {
		const r = parseGeosubmit(
			{
				items: [
					item([lte(4, -97, 1), lte(1, -80, 0)]),
					item([{ radioType: 'gsm', mobileCountryCode: 452, mobileNetworkCode: 2, signalStrength: -88, serving: 1 }]),
					item([{ radioType: 'nr', mobileCountryCode: 452, mobileNetworkCode: 1, signalStrength: -150 }])
				]
			},
			'geo-abc',
			NOW
		);
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.parse.reports.map((x) => [x.operator, x.technology, x.rsrpDbm, x.rssiDbm])).toEqual([
			['viettel', '4G', -97, null],
			['vnpt', '2G', null, -88],
			// −150 dBm is outside RSRP's reporting range: the reading is dropped, the cell kept.
			['mobifone', '5G', null, null]
		]);
		expect(r.parse.reports[0]).toMatchObject({ sourceKind: 'app', channel: 'geosubmit', deviceKey: 'geo-abc', lon: 106.21, lat: 22.71, accuracyM: 12, observedAt: new Date(at).toISOString() });
		// Wi-Fi is never carried into what is stored, nor into the content hashed for the id.
		expect(JSON.stringify(r.parse)).not.toMatch(/01:23:45/);
	});

	it('counts and skips other countries, items without a serving cell, unknown networks and stale times', () => {
		const r = parseGeosubmit(
			{
				items: [
					item([{ ...lte(4, -90, 1), mobileCountryCode: 262 }]),
					item([]),
					item([lte(4, -90, 0), lte(1, -80, 0)]),
					item([lte(99, -90, 1)]),
					item([lte(4, -90, 1)], { timestamp: at - 200 * 86_400_000 })
				]
			},
			'geo-abc',
			NOW
		);
		expect(r.ok && r.parse.reports).toEqual([]);
		expect(r.ok && r.parse.skipped).toEqual({ otherCountry: 1, noServingCell: 2, unknownNetwork: 1, outOfTime: 1 });
	});

	it('gives the same content the same text (idempotent ids), and another signal another', () => {
		const a = parseGeosubmit({ items: [item([lte(4, -97, 1)])] }, 'geo-a', NOW);
		const b = parseGeosubmit({ items: [item([lte(4, -97, 1)], { wifiAccessPoints: [] })] }, 'geo-b', NOW);
		const c = parseGeosubmit({ items: [item([lte(4, -96, 1)])] }, 'geo-a', NOW);
		expect(a.ok && b.ok && a.parse.contents).toEqual(b.ok && b.parse.contents);
		expect(a.ok && c.ok && a.parse.contents[0] !== c.parse.contents[0]).toBe(true);
	});

	it.each([
		[{}, /^items: /],
		[{ items: [{ position: { latitude: 95, longitude: 106 } }] }, /^items\[0\]\.position\.latitude: /],
		[{ items: [{ timestamp: 'yesterday', position: { latitude: 22, longitude: 106 } }] }, /^items\[0\]\.timestamp: /],
		[{ items: Array.from({ length: 1001 }, () => ({ position: { latitude: 22, longitude: 106 } })) }, /^items: at most 1000 items/]
	])('refuses %j naming the field', (body, message) => {
		const r = parseGeosubmit(body, 'geo', NOW);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.message).toMatch(message);
	});
});
