import { describe, expect, it } from 'vitest';
import { safeNextPath } from './redirect';

describe('safeNextPath', () => {
	it.each([
		['/admin/users', '/admin/users'],
		['/?x=1', '/?x=1'],
		['/import?job=abc#top', '/import?job=abc#top'],
		['/communes/Đàm Thuỷ', '/communes/%C4%90%C3%A0m%20Thu%E1%BB%B7'],
		['//evil.example/x', '/'],
		['/\\evil.example', '/'],
		// Browsers drop tabs and newlines from URLs, so these would reach evil.example.
		['/\t/evil.example/phish', '/'],
		['/\t\\evil.example', '/'],
		['/\n/evil.example', '/'],
		['/%09/evil.example/phish', '/%09/evil.example/phish'],
		// A header value cannot hold CR or LF: refused rather than a 500.
		['/x\r\nset-cookie: a=b', '/'],
		['/\u0000', '/'],
		['https://evil.example', '/'],
		['http:/evil.example', '/'],
		['', '/'],
		[null, '/']
	])('%j → %j', (input, expected) => expect(safeNextPath(input)).toBe(expected));
});
