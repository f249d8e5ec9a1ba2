import { describe, expect, it } from 'vitest';
import { badShare, classOfCell } from './cell-summary';

const cell = (good: number, fair: number, poor: number, dead: number) => ({ reports: good + fair + poor + dead, good, fair, poor, dead });

describe('cell summary', () => {
	it.each([
		[cell(10, 0, 0, 0), 0, 'good'],
		[cell(9, 0, 1, 0), 0.1, 'good'],
		[cell(6, 1, 2, 1), 0.3, 'fair'],
		[cell(2, 2, 3, 3), 0.6, 'dead'],
		[cell(1, 1, 2, 1), 0.6, 'dead'],
		[cell(3, 2, 2, 1), 0.375, 'poor'],
		[cell(0, 0, 0, 0), 0, 'good']
	] as const)('%j → share %f, %s', (c, share, cls) => {
		expect(badShare(c)).toBeCloseTo(share, 9);
		expect(classOfCell(c)).toBe(cls);
	});
});
