import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { getDatabase } from '$lib/server/db';
import { ALL_IMPORT_KINDS } from '$lib/server/import/any';
import { IMPORT_KINDS } from '$lib/server/import/kinds';
import { listImports, undoImport } from '$lib/server/import/history';
import { importActor } from '$lib/server/import/request';
import { SUPPORTED_SRIDS } from '$lib/import/projection';
import { TEXT_ENCODINGS } from '$lib/import/encoding';
import { VIETNAM_OPERATORS } from '$lib/operators/operators';
import { FACILITY_TYPES } from '$lib/import/layers';

export async function load() {
	return {
		imports: await listImports(await getDatabase(), 100),
		kinds: [...ALL_IMPORT_KINDS],
		tabularKinds: [...IMPORT_KINDS] as string[],
		srids: SUPPORTED_SRIDS,
		encodings: [...TEXT_ENCODINGS],
		operators: VIETNAM_OPERATORS.map((o) => ({ code: o.code, name: o.name })),
		facilityTypes: [...FACILITY_TYPES]
	};
}

const idSchema = z.coerce.number().int().positive();

export const actions = {
	undo: async ({ request, locals }) => {
		const { actor } = importActor(locals.user);
		const id = idSchema.safeParse((await request.formData()).get('id'));
		if (!id.success) return fail(400, { error: 'id: must be an import id', undone: null });
		try {
			const { removed, restored, followUp } = await undoImport(await getDatabase(), id.data, actor);
			return { error: null, undone: { id: id.data, removed, restored, followUp } };
		} catch (err) {
			if (err instanceof RangeError) return fail(400, { error: err.message, undone: null });
			throw err;
		}
	}
};
