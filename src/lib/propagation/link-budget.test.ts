import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../settings/definitions';
import { cost231Loss } from './cost231';
import { hataLoss } from './hata';
import { bandOf, linkBudgetOf, receivedDbm, settlementLoss, settlementOf } from './link-budget';

describe('link budget', () => {
	it('gives RSRP from the reference-signal power: 15.2 − 3 + 17 − loss', () => {
		const b = linkBudgetOf('4G', DEFAULT_SETTINGS);
		expect(b).toEqual({ freqMhz: 1800, txDbm: 15.2, antennaGainDbi: 17, cableLossDb: 3, mobileHeightM: 1.5 });
		expect(receivedDbm(b, 120)).toBeCloseTo(-90.8, 10);
		expect(receivedDbm(b, 120, 12)).toBeCloseTo(-102.8, 10);
	});
	it.each([
		['4G', 'viettel', {}, 1800],
		['5G', 'viettel', {}, 2550],
		['5G', 'vnpt', {}, 3750],
		['5G', 'mobifone', {}, 3500],
		['5G', 'vietnamobile', {}, 3500],
		['5G', null, {}, 3500],
		['4G', 'vnpt', { 'propagation.4G.freq_mhz.vnpt': 900 }, 900],
		['4G', 'mobifone', { 'propagation.4G.freq_mhz': 2100 }, 2100]
	] as const)('%s of %s with %o runs on %d MHz (an operator’s own band, else the technology’s)', (tech, op, overrides, mhz) => {
		const s = { ...DEFAULT_SETTINGS, ...overrides };
		expect(bandOf(tech, op, s)).toBe(mhz);
		expect(linkBudgetOf(tech, s, op).freqMhz).toBe(mhz);
	});
	it.each([
		[null, 'rural'],
		[100, 'rural'],
		[300, 'suburban'],
		[2999, 'suburban'],
		[3000, 'urban']
	] as const)('density %s people/km² is %s', (density, settlement) => expect(settlementOf(density, DEFAULT_SETTINGS)).toBe(settlement));
	it('uses Hata up to 1500 MHz and COST-231 above, with Hata’s open correction carried over', () => {
		expect(settlementLoss(900, 'rural', 30, 1.5, 5).lossDb).toBeCloseTo(hataLoss({ freqMhz: 900, baseHeightM: 30, mobileHeightM: 1.5, distanceKm: 5 }, 'open').lossDb, 10);
		const at1800 = { freqMhz: 1800, baseHeightM: 30, mobileHeightM: 1.5, distanceKm: 5 };
		expect(settlementLoss(1800, 'urban', 30, 1.5, 5).lossDb).toBeCloseTo(cost231Loss(at1800, 'medium').lossDb, 10);
		const openCorrection = hataLoss(at1800, 'open').lossDb - hataLoss(at1800, 'urban-small').lossDb;
		expect(openCorrection).toBeLessThan(-25);
		expect(settlementLoss(1800, 'rural', 30, 1.5, 5).lossDb).toBeCloseTo(cost231Loss(at1800, 'medium').lossDb + openCorrection, 10);
		expect(settlementLoss(3500, 'urban', 30, 1.5, 5).warnings.map((w) => w.parameter)).toEqual(['freqMhz']);
	});
});
