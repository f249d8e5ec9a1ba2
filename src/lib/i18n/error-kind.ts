/** Statuses with their own wording; any other 4xx reads as 404's, any other 5xx as 500's. */
export const ERROR_KINDS = [403, 404, 405, 500, 503] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** The status whose wording (`error.title.*`, `error.body.*`) an HTTP status uses. */
export function errorKind(status: number): ErrorKind {
	if ((ERROR_KINDS as readonly number[]).includes(status)) return status as ErrorKind;
	return status >= 500 ? 500 : 404;
}
