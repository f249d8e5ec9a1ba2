import { describe, expect, it } from 'vitest';
import { safeNextPath } from './redirect';

describe('safeNextPath', () => {
	it.each([
		['/admin/users', '/admin/users'],
		['/?x=1', '/?x=1'],
		['//evil.example/x', '/'],
		['/\\evil.example', '/'],
		['https://evil.example', '/'],
		['', '/'],
		[null, '/']
	])('%j → %j', (input, expected) => expect(safeNextPath(input)).toBe(expected));
});
