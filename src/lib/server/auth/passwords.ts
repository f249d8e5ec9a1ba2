import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id with OWASP's first recommended setting (19 MiB, 2 passes, 1 lane; OWASP Password
 * Storage Cheat Sheet, 2024). `Algorithm.Argon2id` is the library's default.
 */
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Shortest password accepted (NIST SP 800-63B §3.1.1.2 asks for at least 8; we ask for 10). */
export const MIN_PASSWORD_LENGTH = 10;

/** Hashes a password into a PHC string. */
export function hashPassword(password: string): Promise<string> {
	return hash(password, ARGON2_OPTIONS);
}

// Verified against when the account does not exist, so a wrong email costs as long as a wrong password.
let dummyHash: Promise<string> | undefined;

/** Checks a password against a stored hash (or against a dummy when there is none). */
export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
	const target = storedHash ?? (await (dummyHash ??= hashPassword('not-a-real-password-0000')));
	try {
		return (await verify(target, password)) && storedHash !== null;
	} catch {
		return false;
	}
}

/** Why a new password is unacceptable, or null. */
export function passwordProblem(password: string): string | null {
	if (password.length < MIN_PASSWORD_LENGTH) return `password must be at least ${MIN_PASSWORD_LENGTH} characters`;
	if (password.length > 200) return 'password must be at most 200 characters';
	return null;
}
