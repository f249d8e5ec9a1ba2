import { describe, expect, it } from 'vitest';
import { acceptsGzip, ifNoneMatchHas } from './http';

describe('acceptsGzip', () => {
	it.each([
		['gzip, deflate, br', true],
		['br;q=1.0, gzip;q=0.8', true],
		['gzip;q=0', false],
		['*', true],
		['identity', false],
		[null, false]
	])('%s → %s', (header, expected) => expect(acceptsGzip(header)).toBe(expected));
});

describe('ifNoneMatchHas', () => {
	it.each([
		['"41-abc"', true],
		['W/"41-abc"', true],
		['"40-abc", "41-abc"', true],
		['*', true],
		['"40-abc"', false],
		[null, false]
	])('%s → %s', (header, expected) => expect(ifNoneMatchHas(header, '"41-abc"')).toBe(expected));
});
