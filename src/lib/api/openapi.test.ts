import { describe, expect, it } from 'vitest';
import { ROUTE_ACCESS } from '../server/auth/policy';
import { OPENAPI, OPENAPI_ROUTE_IDS } from './openapi';

describe('the OpenAPI description', () => {
	it('describes exactly the public API routes of the access policy', () => {
		const publicApi = Object.entries(ROUTE_ACCESS)
			.filter(([id, methods]) => id.startsWith('/api/') && methods.GET === 'public')
			.map(([id]) => id);
		expect([...OPENAPI_ROUTE_IDS].sort()).toEqual(publicApi.sort());
	});

	it('gives every operation a summary, responses and described parameters', () => {
		for (const [path, item] of Object.entries(OPENAPI.paths)) {
			expect(item.get.summary, path).toMatch(/\S/);
			expect(Object.keys(item.get.responses), path).toContain('200');
			for (const p of item.get.parameters as readonly { name: string; in: string; description: string }[]) {
				expect(p.description, `${path} ${p.name}`).toMatch(/\S/);
				if (p.in === 'path') expect(path).toContain(`{${p.name}}`);
			}
		}
		expect(OPENAPI.openapi).toBe('3.1.0');
	});
});
