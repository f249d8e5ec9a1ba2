import { describe, expect, it } from 'vitest';
import { mayReadDisputes } from './disputes';

const user = (role: 'admin' | 'planner' | 'operator' | 'commune', operatorCode: string | null = null) => ({ id: 1, email: 'x@example.vn', displayName: 'X', role, operatorCode });

describe('who reads disputes', () => {
	it.each([
		['the public', null, 'viettel', 401],
		['a commune officer', user('commune'), 'viettel', 403],
		['a liaison, another operator', user('operator', 'vnpt'), 'viettel', 403],
		['a liaison, every operator', user('operator', 'vnpt'), null, 403],
		['a liaison, its own', user('operator', 'vnpt'), 'vnpt', null],
		['a planner, any', user('planner'), null, null],
		['an admin, one', user('admin'), 'mobifone', null]
	] as const)('%s asking for %s', (_label, who, operator, status) => {
		expect(mayReadDisputes(who as never, operator)?.status ?? null).toBe(status);
	});

	it('tells a liaison which operator it may ask for', () => {
		expect(mayReadDisputes(user('operator', 'vnpt') as never, 'viettel')?.message).toMatch(/operator=vnpt/);
	});
});
