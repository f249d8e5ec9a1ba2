import { describe, expect, it } from 'vitest';
import { canAccess, ROLES, ROLES_BY_PRIVILEGE, type Access, type Role, type SessionUser } from './roles';

const user = (role: Role): SessionUser => ({
	id: 1,
	email: `${role}@x.vn`,
	displayName: role,
	role,
	operatorCode: role === 'operator' ? 'viettel' : null,
	communeCode: role === 'commune' ? '01501' : null,
	demo: false
});

// Rows: who; columns: public, signed-in, operator, planner, admin.
const table: [string, SessionUser | null, boolean[]][] = [
	['anonymous', null, [true, false, false, false, false]],
	['commune', user('commune'), [true, true, false, false, false]],
	['operator', user('operator'), [true, true, true, false, false]],
	['planner', user('planner'), [true, true, true, true, false]],
	['admin', user('admin'), [true, true, true, true, true]]
];
const levels: Access[] = ['public', 'signed-in', 'operator', 'planner', 'admin'];

describe('canAccess', () => {
	it.each(table)('%s', (_name, who, expected) => {
		expect(levels.map((level) => canAccess(who, level))).toEqual(expected);
	});
});

describe('ROLES_BY_PRIVILEGE', () => {
	const ACCESS: Access[] = ['public', 'signed-in', 'operator', 'planner', 'admin'];
	const allowed = (role: Role) => ACCESS.filter((a) => canAccess(user(role), a)).length;
	it('lists every role once, each allowed at least what the one before it is', () => {
		expect([...ROLES_BY_PRIVILEGE].sort()).toEqual([...ROLES].sort());
		const counts = ROLES_BY_PRIVILEGE.map(allowed);
		expect(counts).toEqual([...counts].sort((a, b) => a - b));
		expect(counts[0]).toBeLessThan(counts.at(-1)!);
	});
});
