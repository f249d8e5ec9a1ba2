import { describe, expect, it } from 'vitest';
import { isCrossSiteWrite } from './origin';

const app = 'https://phusong.example.vn';
const req = (method: string, headers: Record<string, string>) => new Request(`${app}/api/x`, { method, headers });

describe('isCrossSiteWrite', () => {
	it.each([
		['GET', { origin: 'https://evil.example' }, false],
		['POST', { origin: app }, false],
		['POST', { origin: 'https://evil.example', 'content-type': 'application/json' }, true],
		['DELETE', { origin: 'null' }, true],
		['POST', { 'sec-fetch-site': 'cross-site' }, true],
		['POST', { 'sec-fetch-site': 'same-origin' }, false],
		['POST', {}, false]
	] as const)('%s %j → %s', (method, headers, expected) => {
		expect(isCrossSiteWrite(req(method, headers), app)).toBe(expected);
	});
});
