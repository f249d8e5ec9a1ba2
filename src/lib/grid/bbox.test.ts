import { describe, expect, it } from 'vitest';
import { bboxesOverlap, outerRingsBbox } from './bbox';

describe('outerRingsBbox', () => {
	it('spans the outer rings of every polygon and ignores holes', () => {
		const square = (x: number, y: number, size: number) => [
			[x, y],
			[x + size, y],
			[x + size, y + size],
			[x, y + size],
			[x, y]
		];
		const withHole = [square(105, 22, 1), square(105.2, 22.2, 2)];
		expect(outerRingsBbox([withHole, [square(106.5, 21.5, 0.25)]])).toEqual([105, 21.5, 106.75, 23]);
	});

	it('is empty (west > east) with no positions', () => {
		const [w, s, e, n] = outerRingsBbox([]);
		expect(w > e && s > n).toBe(true);
	});
});

describe('bboxesOverlap', () => {
	it('holds for overlapping and touching boxes, not for apart ones', () => {
		expect(bboxesOverlap([0, 0, 2, 2], [1, 1, 3, 3])).toBe(true);
		expect(bboxesOverlap([0, 0, 1, 1], [1, 0, 2, 1])).toBe(true);
		expect(bboxesOverlap([0, 0, 1, 1], [1.01, 0, 2, 1])).toBe(false);
		expect(bboxesOverlap([0, 0, 1, 1], [0, 1.5, 1, 2])).toBe(false);
	});
});
