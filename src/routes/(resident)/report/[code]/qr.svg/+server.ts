import { error } from '@sveltejs/kit';
import { normaliseTrackingCode } from '$lib/reports/tracking-code';
import { qrSvgResponse } from '$lib/server/qr';

/** GET /report/{code}/qr.svg: the QR code of a report's tracking page, for the resident to keep. */
export function GET({ url, params }) {
	const code = normaliseTrackingCode(params.code);
	if (!code) error(400, 'code: must be a tracking code such as ABCD-EFGH');
	return qrSvgResponse(`${url.origin}/report/${code}`);
}
