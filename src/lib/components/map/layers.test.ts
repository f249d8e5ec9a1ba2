import { describe, expect, it } from 'vitest';
import { cellResolutionForZoom, hexToRgb } from './layers';

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
