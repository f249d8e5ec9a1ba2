import type { SessionUser } from '$lib/auth/roles';

declare global {
	namespace App {
		interface Locals {
			/** The signed-in account, or null for the anonymous public. */
			user: SessionUser | null;
			/** The session cookie's token, for logout. Never logged or returned. */
			sessionToken: string | null;
			/** Set by handleError when a query lost its database connection: the answer becomes 503. */
			databaseUnavailable: boolean;
			/** The handle this request's public reads use (a read replica, or the primary); null: the primary. */
			readDb: import('$lib/server/db').Database | null;
		}
		interface PageData {
			user?: SessionUser | null;
		}
	}
}
export {};
