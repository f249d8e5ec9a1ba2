import { describe, expect, it } from 'vitest';
import { cellResolutionForZoom, cellsForZoom, communeDetailForZoom, disputedResolutionForZoom } from './zoom';

describe('what the explorer draws at a zoom', () => {
	it('switches cell sizes and outline detail past zoom 10.5, disputes past 11.5', () => {
		expect([8, 10.49, 10.5, 14].map(cellResolutionForZoom)).toEqual([7, 7, 8, 8]);
		expect([8, 10.49, 10.5, 14].map(communeDetailForZoom)).toEqual([9, 9, 12, 12]);
		expect([11.49, 11.5].map(disputedResolutionForZoom)).toEqual([8, 9]);
	});

	it('draws the cells of the wanted resolution, else those it has, never nothing while loading', () => {
		expect(cellsForZoom({ 7: ['a'], 8: ['b'] }, 8)).toEqual(['b']);
		expect(cellsForZoom({ 7: ['a'] }, 8)).toEqual(['a']);
		expect(cellsForZoom({}, 8)).toEqual([]);
		expect(cellsForZoom(null, 7)).toEqual([]);
	});
});
