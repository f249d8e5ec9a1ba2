/**
 * Who may do what. Pure: the server enforces it, the UI only uses it to hide what would be refused.
 */
export const ROLES = ['admin', 'planner', 'operator', 'commune'] as const;
export type Role = (typeof ROLES)[number];

/** Roles from the least to the most privileged; forms that choose a role default to the first. */
export const ROLES_BY_PRIVILEGE: readonly Role[] = ['commune', 'operator', 'planner', 'admin'];

/** The signed-in person as pages and server functions see them (never the password hash). */
export interface SessionUser {
	id: number;
	email: string;
	displayName: string;
	role: Role;
	/** Set for role `operator`: the only operator whose data they may see. */
	operatorCode: string | null;
	/** Set for role `commune`: the commune (2025 code) whose proposals and reports they follow. */
	communeCode: string | null;
	demo: boolean;
}

/**
 * What a route needs:
 * - `public`: anyone, signed in or not;
 * - `signed-in`: any account;
 * - `operator`: an operator liaison, a planner or an admin (an operator's data is scoped to it);
 * - `planner`: a planner or an admin (province staff: exact report points, imports, analysis);
 * - `admin`: accounts and settings.
 */
export type Access = 'public' | 'signed-in' | 'operator' | 'planner' | 'admin';

const ALLOWED: Record<Exclude<Access, 'public' | 'signed-in'>, readonly Role[]> = {
	operator: ['operator', 'planner', 'admin'],
	planner: ['planner', 'admin'],
	admin: ['admin']
};

/** Whether `user` (null: the anonymous public) meets `access`. */
export function canAccess(user: SessionUser | null, access: Access): boolean {
	if (access === 'public') return true;
	if (!user) return false;
	if (access === 'signed-in') return true;
	return ALLOWED[access].includes(user.role);
}

/** Sees exact report points and residents' data. */
export const isPlanner = (user: SessionUser | null) => canAccess(user, 'planner');
