import { describe, expect, it } from 'vitest';
import { checkSettings, DEFAULT_SETTINGS, parseSettingValue, SETTING_DEFINITIONS } from './definitions';

describe('setting definitions', () => {
	it('have unique keys, defaults within their bounds, a source and both languages', () => {
		expect(new Set(SETTING_DEFINITIONS.map((d) => d.key)).size).toBe(SETTING_DEFINITIONS.length);
		for (const d of SETTING_DEFINITIONS) {
			const zeroAllowed = 'zeroMeans' in d && d.default === 0;
			if (!zeroAllowed) expect(d.default).toBeGreaterThanOrEqual(d.min);
			expect(d.default).toBeLessThanOrEqual(d.max);
			expect(d.source.length).toBeGreaterThan(10);
			expect(d.vi.length).toBeGreaterThan(5);
		}
		expect(checkSettings(DEFAULT_SETTINGS)).toBeNull();
	});

	it.each([
		['signal.rsrp.fair_dbm', '-100', -100],
		['signal.rsrp.fair_dbm', ' −108 ', -108],
		['signal.bars.good', '5', 5],
		['measured.weight.drive_test', '1.5', 1.5],
		['propagation.4G.freq_mhz.viettel', '0', 0],
		['propagation.4G.freq_mhz.viettel', '900', 900]
	])('parses %s = %s', (key, text, value) => expect(parseSettingValue(key, text)).toBe(value));

	it.each([
		['signal.rsrp.fair_dbm', 'abc', /signal\.rsrp\.fair_dbm: must be a number/],
		['signal.rsrp.fair_dbm', '-200', /must be within −?-140…-44 dBm/],
		['signal.bars.good', '4.5', /must be a whole number/],
		['propagation.4G.freq_mhz.viettel', '100', /must be within 150…6000 MHz \(or 0 for propagation\.4G\.freq_mhz\), got 100/],
		['propagation.4G.freq_mhz', '0', /must be within 150…6000 MHz, got 0/],
		['no.such', '1', /no\.such: is not a setting/]
	])('refuses %s = %s', (key, text, message) => expect(() => parseSettingValue(key, text)).toThrow(message));

	it('refuses floors that do not descend', () => {
		expect(checkSettings({ ...DEFAULT_SETTINGS, 'signal.rsrp.fair_dbm': -80 })?.message).toMatch(/signal\.rsrp\.\*: floors must descend: good -90 ≥ fair -80/);
	});
});
