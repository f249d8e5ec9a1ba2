import { createHash, randomBytes } from 'node:crypto';

/** A new random token (256 bits, base64url) for a session cookie or a one-time link. */
export function newToken(): string {
	return randomBytes(32).toString('base64url');
}

/**
 * The token's SHA-256, which is all the database keeps: a leaked table cannot be replayed as
 * cookies. A fast hash is right here because the token has 256 bits of entropy.
 */
export function hashToken(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}
