import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { getDatabase } from '$lib/server/db';
import { changeSetting } from '$lib/server/analysis';
import { listSettings, SettingError } from '$lib/server/settings';

const formSchema = z.object({ key: z.string().trim().min(1).max(100), value: z.string().max(40) });

export async function load() {
	return { settings: await listSettings(await getDatabase()) };
}

export const actions = {
	default: async ({ request, locals }) => {
		const parsed = formSchema.safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { error: `${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}`, saved: null });
		try {
			const value = await changeSetting(await getDatabase(), { accountId: locals.user!.id, label: locals.user!.email }, parsed.data.key, parsed.data.value);
			return { error: null, saved: { key: parsed.data.key, value } };
		} catch (err) {
			if (err instanceof SettingError) return fail(400, { error: err.message, saved: null });
			throw err;
		}
	}
};
