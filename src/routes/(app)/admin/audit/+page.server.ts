import { listAudit } from '$lib/server/audit';
import { getDatabase } from '$lib/server/db';

export async function load({ url }) {
	const before = Number(url.searchParams.get('before'));
	const entries = await listAudit(await getDatabase(), { limit: 100, beforeId: Number.isInteger(before) && before > 0 ? before : undefined });
	return { entries };
}
