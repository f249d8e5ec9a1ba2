import { describe, expect, it } from 'vitest';
import { classifyBars, classifyObservation, classifyRsrp, classifyRssi } from './classes';

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
