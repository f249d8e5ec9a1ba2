import { describe, expect, it } from 'vitest';
import { readMapLink } from './link';

describe('readMapLink', () => {
	it.each([
		{ query: 'bbox=105.1,22.5,105.4,22.8&commune=01234&layers=deadZones,villages', expected: { bbox: [105.1, 22.5, 105.4, 22.8], commune: '01234', layers: ['deadZones', 'villages'] } },
		{ query: '', expected: { bbox: null, commune: null, layers: [] } },
		{ query: 'bbox=105.4,22.5,105.1,22.8', expected: { bbox: null, commune: null, layers: [] } },
		{ query: 'bbox=1,2,3&commune=12&layers=a;b,<x>', expected: { bbox: null, commune: null, layers: [] } },
		{ query: 'bbox=a,b,c,d&commune=99999', expected: { bbox: null, commune: '99999', layers: [] } }
	])('?$query', ({ query, expected }) => {
		expect(readMapLink(new URLSearchParams(query))).toEqual(expected);
	});
});
