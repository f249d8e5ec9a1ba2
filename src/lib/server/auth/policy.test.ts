import { describe, expect, it } from 'vitest';
import { accessFor, acceptsCrossOriginWrite, routePath } from './policy';

describe('route policy', () => {
	it.each([
		['/(app)/moderation', '/moderation'],
		['/(resident)/report/[code]', '/report/[code]'],
		['/(app)', '/'],
		['/api/reports', '/api/reports']
	])('%s reads as %s', (id, path) => expect(routePath(id)).toBe(path));

	it('finds a grouped route’s access under its URL', () => {
		expect(accessFor('/(app)/moderation', 'GET')).toBe('signed-in');
		expect(accessFor('/(resident)/report/[code]', 'POST')).toBe('public');
		expect(accessFor('/(app)/nowhere', 'GET')).toBeNull();
	});

	it('takes cross-site writes only on the intake', () => {
		expect(acceptsCrossOriginWrite('/api/reports', 'POST')).toBe(true);
		expect(acceptsCrossOriginWrite('/(app)/moderation', 'POST')).toBe(false);
	});
});
