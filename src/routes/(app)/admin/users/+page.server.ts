import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { ROLES, type SessionUser } from '$lib/auth/roles';
import { VIETNAM_OPERATORS } from '$lib/operators/operators';
import { AccountError, disableAccount, enableAccount, inviteAccount, listAccounts, resetAccount } from '$lib/server/accounts';
import type { Actor } from '$lib/server/audit';
import { getDatabase } from '$lib/server/db';

const actorOf = (user: SessionUser | null): Actor => ({ accountId: user!.id, label: user!.email });
const idSchema = z.coerce.number().int().positive();
const inviteSchema = z.object({
	email: z.string().trim().min(3).max(200),
	displayName: z.string().trim().min(1).max(120),
	role: z.enum(ROLES),
	operatorCode: z.string().trim().max(40).transform((v) => v || null),
	communeCode: z.string().trim().max(20).optional().transform((v) => v || null)
});

function linkFor(url: URL, token: string): string {
	return `${url.origin}/set-password?token=${encodeURIComponent(token)}`;
}

async function withAccountErrors<T>(work: () => Promise<T>) {
	try {
		return await work();
	} catch (err) {
		if (err instanceof AccountError) return fail(400, { error: err.message, link: null, linkEmail: null });
		throw err;
	}
}

/** Runs a change on the account the form names. */
async function changeAccount(
	{ request, locals }: { request: Request; locals: App.Locals },
	change: (db: Awaited<ReturnType<typeof getDatabase>>, actor: Actor, id: number) => Promise<void>
) {
	const id = idSchema.safeParse((await request.formData()).get('id'));
	if (!id.success) return fail(400, { error: 'id: must be an account id', link: null, linkEmail: null });
	return withAccountErrors(async () => {
		await change(await getDatabase(), actorOf(locals.user), id.data);
		return { error: null, link: null, linkEmail: null };
	});
}

export async function load() {
	return { accounts: await listAccounts(await getDatabase()), operators: VIETNAM_OPERATORS.map((o) => ({ code: o.code, name: o.name })) };
}

export const actions = {
	invite: async ({ request, locals, url }) => {
		const parsed = inviteSchema.safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) {
			const issue = parsed.error.issues[0];
			return fail(400, { error: `${issue.path.join('.')}: ${issue.message}`, link: null, linkEmail: null });
		}
		return withAccountErrors(async () => {
			const token = await inviteAccount(await getDatabase(), actorOf(locals.user), parsed.data);
			return { error: null, link: linkFor(url, token), linkEmail: parsed.data.email.toLowerCase() };
		});
	},
	disable: (event) => changeAccount(event, disableAccount),
	enable: (event) => changeAccount(event, enableAccount),
	reset: async ({ request, locals, url }) => {
		const form = await request.formData();
		const id = idSchema.safeParse(form.get('id'));
		if (!id.success) return fail(400, { error: 'id: must be an account id', link: null, linkEmail: null });
		return withAccountErrors(async () => {
			const token = await resetAccount(await getDatabase(), actorOf(locals.user), id.data);
			return { error: null, link: linkFor(url, token), linkEmail: String(form.get('email') ?? '') };
		});
	}
};
