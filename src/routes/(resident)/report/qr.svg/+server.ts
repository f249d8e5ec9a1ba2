import { qrSvgResponse } from '$lib/server/qr';

/** GET /report/qr.svg: the QR code of the report form's address (the poster, a shared screen). */
export const GET = ({ url }) => qrSvgResponse(`${url.origin}/report`);
