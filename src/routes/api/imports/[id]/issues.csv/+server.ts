import { error } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { importIssues } from '$lib/server/import/history';
import { issuesToCsv } from '$lib/import/issues-csv';

/** An import's quarantined or refused rows with their reasons, as CSV (UTF-8 with BOM, for spreadsheets). */
export async function GET({ params }) {
	const id = Number(params.id);
	if (!Number.isInteger(id) || id <= 0) error(400, 'id: must be an import id');
	const issues = await importIssues(await getDatabase(), id);
	return new Response(issuesToCsv(issues), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="import-${id}-issues.csv"`,
			'cache-control': 'no-store'
		}
	});
}
