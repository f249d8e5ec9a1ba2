/**
 * Tracking codes a resident can read aloud or copy from a screenshot: 8 characters from an
 * alphabet of 30 without the look-alikes 0/O, 1/l/I (and U, as Crockford's base 32, against
 * accidental words), shown as two groups of four. 30⁸ ≈ 6.6 × 10¹¹ codes: guessing one is hopeless at any
 * rate the intake allows, and a code reveals nothing personal anyway.
 */
export const TRACKING_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
export const TRACKING_LENGTH = 8;

/** A fresh code from `random` bytes (crypto.getRandomValues in the caller), e.g. "7KQ4-M2XD". */
export function trackingCodeFrom(random: Uint8Array): string {
	if (random.length < TRACKING_LENGTH) throw new Error(`trackingCodeFrom needs ${TRACKING_LENGTH} random bytes`);
	let code = '';
	// 256 is not a multiple of 30: the first 240 values map evenly; the caller's bytes are many
	// enough that a rejected one is replaced by the next (see newTrackingCode).
	for (let i = 0; code.length < TRACKING_LENGTH; i++) {
		if (i >= random.length) throw new Error('not enough random bytes');
		const b = random[i];
		if (b >= 240) continue;
		code += TRACKING_ALPHABET[b % TRACKING_ALPHABET.length];
	}
	return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** A code as typed (any case, with or without the dash or spaces), or null when it cannot be one. */
export function normaliseTrackingCode(typed: string): string | null {
	const s = typed.toUpperCase().replace(/[\s-]/g, '');
	if (s.length !== TRACKING_LENGTH) return null;
	for (const ch of s) if (!TRACKING_ALPHABET.includes(ch)) return null;
	return `${s.slice(0, 4)}-${s.slice(4)}`;
}
