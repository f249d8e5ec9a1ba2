import { describe, expect, it } from 'vitest';
import { canAccess, type Access, type Role, type SessionUser } from './roles';

const user = (role: Role): SessionUser => ({
	id: 1,
	email: `${role}@x.vn`,
	displayName: role,
	role,
	operatorCode: role === 'operator' ? 'viettel' : null,
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
