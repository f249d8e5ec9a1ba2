import { error } from '@sveltejs/kit';
import { readConfig } from '$lib/server/config';
import { getDatabase } from '$lib/server/db';
import { provinceReport } from '$lib/server/province-report';

// Public: the province report (KPI cards, priority communes, charts), printable as a PDF.
export async function load({ params }) {
	if (!/^\d{2}$/.test(params.code)) error(400, 'code: must be a two-digit 2025 province code');
	const report = await provinceReport(await getDatabase(), params.code, readConfig().publicMinReporters);
	if (!report) error(404, `code: no commune of province ${params.code} is loaded`);
	return { report };
}
