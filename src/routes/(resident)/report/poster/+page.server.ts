import { qrSvg } from '$lib/server/qr';

// The printable poster: the form's address and its QR code, inline so it prints without a fetch.
export function load({ url }) {
	const formUrl = `${url.origin}/report`;
	return { formUrl, qr: qrSvg(formUrl) };
}
