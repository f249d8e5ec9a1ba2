import { error } from '@sveltejs/kit';
import { z } from 'zod';
import type { SessionUser } from '../../auth/roles';
import type { Actor } from '../audit';
import { TEXT_ENCODINGS } from '../../import/encoding';
import { ALL_IMPORT_KINDS } from './any';

/** The signed-in planner of an import request (the route policy already refused anyone else). */
export function importActor(user: SessionUser | null): { accountId: number; actor: Actor } {
	if (!user) error(401, 'sign in as a planner');
	return { accountId: user.id, actor: { accountId: user.id, label: user.email } };
}

const text = (max: number) => z.string().trim().min(1).max(max);

/** Options of an import as the page sends them; names match the CLI's flags. */
export const importOptionsSchema = z
	.object({
		mapping: z.record(text(60), text(200)).default({}),
		skipInvalid: z.boolean().default(false),
		decimalComma: z.boolean().optional(),
		encoding: z.enum(TEXT_ENCODINGS).optional(),
		mcc: z.number().int().min(1).max(999).optional(),
		boundarySet: z.enum(['2025', 'pre2025']).optional(),
		level: z.enum(['province', 'district', 'commune']).optional(),
		operator: text(60).optional(),
		technology: text(20).optional(),
		type: text(60).optional(),
		srid: z.number().int().positive().optional()
	})
	.strict();

export const startJobSchema = z.object({ uploadId: text(64), kind: z.enum(ALL_IMPORT_KINDS), options: importOptionsSchema.default({ mapping: {}, skipInvalid: false }) }).strict();

/** A zod failure as one message naming the field. */
export function describeZodError(err: z.ZodError): string {
	const issue = err.issues[0];
	return `${issue.path.join('.') || 'body'}: ${issue.message}`;
}

/** `map=field=column` query parameters (repeated) to a mapping. */
export function mappingFromQuery(params: URLSearchParams): Record<string, string> {
	const mapping: Record<string, string> = {};
	for (const item of params.getAll('map')) {
		const eq = item.indexOf('=');
		if (eq <= 0) error(400, `map: must be field=column, got "${item}"`);
		mapping[item.slice(0, eq)] = item.slice(eq + 1);
	}
	return mapping;
}
