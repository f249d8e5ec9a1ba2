import { describe, expect, it } from 'vitest';
import { chooseMapStyle, OFFLINE_STYLE } from './style';

describe('chooseMapStyle', () => {
	it('is offline by default: no source, glyph or sprite URL', () => {
		expect(chooseMapStyle(undefined)).toBe(OFFLINE_STYLE);
		expect(chooseMapStyle('  ')).toBe(OFFLINE_STYLE);
		expect(JSON.stringify(OFFLINE_STYLE)).not.toMatch(/https?:/);
		expect(OFFLINE_STYLE.glyphs).toBeUndefined();
		expect(OFFLINE_STYLE.sprite).toBeUndefined();
	});

	it('uses the configured online style when given', () => {
		expect(chooseMapStyle('https://tiles.example/style.json')).toBe('https://tiles.example/style.json');
	});
});
