import { describe, expect, it } from 'vitest';
import { cellResolutionForZoom, hexToRgb, measuredCellFill } from './layers';

describe('layers helpers', () => {
	it.each([
		[6, 7],
		[10, 7],
		[10.5, 8],
		[14, 8]
	])('zoom %f draws report cells at resolution %i', (zoom, res) => expect(cellResolutionForZoom(zoom)).toBe(res));

	it('parses hex colours and names a bad one', () => {
		expect(hexToRgb('#e4002b')).toEqual([228, 0, 43]);
		expect(() => hexToRgb('red')).toThrow(/colour must be "#rrggbb", got "red"/);
	});
});

describe('measured cell colours', () => {
	it.each([
		[{ class: 'good' as const, confidence: 1 }, [44, 123, 182, 217]],
		[{ class: 'dead' as const, confidence: 0 }, [215, 25, 28, 77]],
		[{ class: null, confidence: 0.5 }, [150, 150, 150, 147]],
		[{ class: 'fair' as const, confidence: 7 }, [171, 217, 233, 217]]
	])('%j → %j (class colour or grey, opacity by confidence)', (cell, rgba) => expect(measuredCellFill(cell)).toEqual(rgba));
});
