import { renderSVG } from 'uqr';

/**
 * A QR code as SVG, made here (uqr, MIT, no dependencies) so no outside service sees the link.
 * Error correction "M" (15 %) survives a creased or smudged print (ISO/IEC 18004 §4.7.2).
 */
export function qrSvg(text: string): string {
	return renderSVG(text, { ecc: 'M', border: 2, pixelSize: 8, blackColor: '#000', whiteColor: '#fff' });
}

export const qrSvgResponse = (text: string) =>
	new Response(qrSvg(text), { headers: { 'content-type': 'image/svg+xml; charset=utf-8', 'cache-control': 'public, max-age=86400' } });
