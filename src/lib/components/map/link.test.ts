import { describe, expect, it } from 'vitest';
import { readMapLink, writeMapLink } from './link';

const none = { bbox: null, at: null, commune: null, layers: null, operator: null, technology: null, minConfidence: null, window: null };

describe('readMapLink', () => {
	it.each([
		{ query: 'bbox=105.1,22.5,105.4,22.8&commune=01234&layers=deadZones,villages', expected: { ...none, bbox: [105.1, 22.5, 105.4, 22.8], commune: '01234', layers: ['deadZones', 'villages'] } },
		{ query: '', expected: none },
		{ query: 'bbox=105.4,22.5,105.1,22.8', expected: none },
		{ query: 'bbox=1,2,3&commune=12&layers=a;b,<x>', expected: { ...none, layers: [] } },
		{ query: 'bbox=a,b,c,d&commune=99999', expected: { ...none, commune: '99999' } },
		{ query: 'at=106.2,22.7,9.5&operator=viettel&technology=4G', expected: { ...none, at: { center: [106.2, 22.7], zoom: 9.5 }, operator: 'viettel', technology: '4G' } },
		{ query: 'at=106.2,22.7,30&operator=<x>&technology=6G', expected: none },
		{ query: 'operator=&technology=', expected: { ...none, operator: '', technology: '' } },
		{ query: 'confidence=0.5', expected: { ...none, minConfidence: 0.5 } },
		{ query: 'confidence=2', expected: none },
		{ query: 'window=180', expected: { ...none, window: 180 } },
		{ query: 'window=30', expected: none }
	])('?$query', ({ query, expected }) => {
		expect(readMapLink(new URLSearchParams(query))).toEqual(expected);
	});
});

describe('writeMapLink', () => {
	it('writes a link that reads back as the same view', () => {
		const view = { center: [106.123456789, 22.7654321] as [number, number], zoom: 10.4567, layers: ['communes', 'deadZones'], operator: 'vnpt', technology: '4G', commune: '01501', minConfidence: 0.5, window: 90 };
		const query = writeMapLink(view);
		expect(query).toBe('at=106.12346,22.76543,10.46&layers=communes,deadZones&operator=vnpt&technology=4G&confidence=0.5&window=90&commune=01501');
		expect(readMapLink(new URLSearchParams(query))).toEqual({ bbox: null, at: { center: [106.12346, 22.76543], zoom: 10.46 }, commune: '01501', layers: ['communes', 'deadZones'], operator: 'vnpt', technology: '4G', minConfidence: 0.5, window: 90 });
	});

	it('leaves "any operator" and "any technology" out, and keeps an empty layer list', () => {
		expect(writeMapLink({ center: [0, 0], zoom: 1, layers: [], operator: '', technology: '', commune: null })).toBe('at=0.00000,0.00000,1.00&layers=');
	});
});
