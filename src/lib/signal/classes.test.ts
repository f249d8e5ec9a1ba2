import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../settings/definitions';
import { classifyBars, classifyObservation, classifyRsrp, classifyRssi, signalMetricOf, thresholdsFromSettings } from './classes';
import { classifySpeed } from './speed';

describe('classifyRsrp', () => {
	it.each([
		[-44, 'good'],
		[-90, 'good'],
		[-90.1, 'fair'],
		[-105, 'fair'],
		[-110, 'poor'],
		[-115, 'poor'],
		[-115.5, 'dead'],
		[-140, 'dead']
	] as const)('%d dBm → %s', (rsrp, cls) => expect(classifyRsrp(rsrp)).toBe(cls));

	it('refuses a non-number', () => {
		expect(() => classifyRsrp(Number.NaN)).toThrow(/rsrpDbm must be a finite number/);
	});
});

describe('classifyRssi', () => {
	it.each([
		[-60, 'good'],
		[-80, 'fair'],
		[-90, 'poor'],
		[-101, 'dead']
	] as const)('%d dBm → %s', (rssi, cls) => expect(classifyRssi(rssi)).toBe(cls));
});

describe('classifyBars', () => {
	it.each([
		[0, 'dead'],
		[1, 'poor'],
		[2, 'fair'],
		[3, 'fair'],
		[4, 'good'],
		[5, 'good']
	] as const)('%d bars → %s', (bars, cls) => expect(classifyBars(bars)).toBe(cls));

	it('refuses bars outside 0–5', () => {
		expect(() => classifyBars(6)).toThrow(/signalBars must be an integer 0–5, got 6/);
		expect(() => classifyBars(2.5)).toThrow(/signalBars/);
	});
});

describe('classifyObservation', () => {
	it.each([
		[{ noService: true, rsrpDbm: -80 }, 'dead'],
		[{ rsrpDbm: -100, rssiDbm: -60 }, 'fair'],
		[{ rssiDbm: -60, signalBars: 0 }, 'good'],
		[{ signalBars: 1 }, 'poor'],
		[{}, null]
	] as const)('%j → %s', (obs, cls) => expect(classifyObservation(obs)).toBe(cls));
});

describe('thresholds from settings, at every edge per technology', () => {
	const t = thresholdsFromSettings({ ...DEFAULT_SETTINGS, 'signal.rsrp.good_dbm': -85, 'signal.rsrp.fair_dbm': -100, 'signal.rsrp.poor_dbm': -110, 'signal.rssi.fair_dbm': -88 });
	it.each([
		['4G', { rsrpDbm: -85 }, 'good'],
		['4G', { rsrpDbm: -85.5 }, 'fair'],
		['5G', { rsrpDbm: -100 }, 'fair'],
		['5G', { rsrpDbm: -100.5 }, 'poor'],
		['4G', { rsrpDbm: -110 }, 'poor'],
		['4G', { rsrpDbm: -110.5 }, 'dead'],
		['3G', { rssiDbm: -75 }, 'good'],
		['3G', { rssiDbm: -88 }, 'fair'],
		['2G', { rssiDbm: -88.5 }, 'poor'],
		['2G', { rssiDbm: -95.5 }, 'dead'],
		['4G', { signalBars: 4 }, 'good'],
		['4G', { signalBars: 1 }, 'poor'],
		['4G', { signalBars: 0 }, 'dead'],
		['4G', { noService: true, rsrpDbm: -60 }, 'dead']
	] as const)('%s %j → %s', (technology, o, cls) => {
		expect(classifyObservation(o, t)).toBe(cls);
		const metric = signalMetricOf(technology);
		if (metric in o) expect(['rsrpDbm', 'rssiDbm']).toContain(metric);
	});
	it('reads RSRP for LTE/NR and RSSI for GSM/UMTS', () => {
		expect(['2G', '3G', '4G', '5G'].map((x) => signalMetricOf(x as '4G'))).toEqual(['rssiDbm', 'rssiDbm', 'rsrpDbm', 'rsrpDbm']);
	});
});

describe('classifySpeed', () => {
	it.each([
		[40, 10, 'meets_target'],
		[39.9, 10, 'above_floor'],
		[5, 1, 'above_floor'],
		[4.9, 10, 'below_floor'],
		[80, 0.9, 'below_floor'],
		[80, null, 'meets_target'],
		[null, 5, null]
	] as const)('%s / %s Mbps → %s', (dl, ul, cls) => expect(classifySpeed(dl, ul)).toBe(cls));
});
