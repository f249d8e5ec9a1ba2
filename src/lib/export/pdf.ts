/**
 * A one-page PDF holding one JPEG image, fitted to an A4 or A3 landscape page with a margin: the
 * map export (issue 19). Written by hand (ISO 32000-1: header, four objects, cross-reference
 * table, trailer) because the image is already composed in the browser — title, legend and
 * notes drawn with the page's own fonts, Vietnamese included — so a PDF library would only wrap
 * it. The JPEG goes in as is (DCTDecode); the title and subject go in the document information
 * dictionary as UTF-16BE text strings so readers show them with diacritics.
 */

export type PaperSize = 'A4' | 'A3';
/** Landscape page sizes in points (1/72 in): ISO 216. */
export const PAPER_POINTS: Record<PaperSize, [number, number]> = { A4: [841.89, 595.28], A3: [1190.55, 841.89] };
const MARGIN_PT = 24;

/** A PDF text string in UTF-16BE with its byte-order mark, hex-encoded (ISO 32000-1 §7.9.2.2). */
export function pdfTextString(text: string): string {
	let hex = 'FEFF';
	for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase();
	return `<${hex}>`;
}

/** Where the image goes on the page: as large as fits inside the margins, centred, aspect kept. */
export function fitImage(widthPx: number, heightPx: number, paper: PaperSize): { x: number; y: number; w: number; h: number; page: [number, number] } {
	const page = PAPER_POINTS[paper];
	const [aw, ah] = [page[0] - 2 * MARGIN_PT, page[1] - 2 * MARGIN_PT];
	const scale = Math.min(aw / widthPx, ah / heightPx);
	const [w, h] = [widthPx * scale, heightPx * scale];
	return { x: (page[0] - w) / 2, y: (page[1] - h) / 2, w, h, page };
}

export function pdfWithJpeg(jpeg: Uint8Array, widthPx: number, heightPx: number, info: { title: string; subject: string; created: Date }, paper: PaperSize = 'A4'): Uint8Array {
	const encoder = new TextEncoder();
	const f = (n: number) => n.toFixed(2);
	const place = fitImage(widthPx, heightPx, paper);
	const content = `q ${f(place.w)} 0 0 ${f(place.h)} ${f(place.x)} ${f(place.y)} cm /Map Do Q`;
	const stamp = info.created.toISOString().replace(/[-:T]/g, '').slice(0, 14);
	const parts: (string | Uint8Array)[] = [];
	const offsets: number[] = [];
	let length = 0;
	const push = (part: string | Uint8Array) => {
		parts.push(part);
		length += typeof part === 'string' ? encoder.encode(part).length : part.length;
	};
	const object = (n: number, body: (string | Uint8Array)[]) => {
		offsets[n] = length;
		push(`${n} 0 obj\n`);
		for (const b of body) push(b);
		push('\nendobj\n');
	};
	// A binary comment after the header tells transfer programs the file is binary (§7.5.2).
	push('%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n'.replace(/[\u0080-\u00ff]/g, '*'));
	object(1, ['<< /Type /Catalog /Pages 2 0 R >>']);
	object(2, ['<< /Type /Pages /Kids [3 0 R] /Count 1 >>']);
	object(3, [`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${f(place.page[0])} ${f(place.page[1])}] /Resources << /XObject << /Map 4 0 R >> >> /Contents 5 0 R >>`]);
	object(4, [`<< /Type /XObject /Subtype /Image /Width ${widthPx} /Height ${heightPx} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ${jpeg.length} >>\nstream\n`, jpeg, '\nendstream']);
	object(5, [`<< /Length ${encoder.encode(content).length} >>\nstream\n${content}\nendstream`]);
	object(6, [`<< /Title ${pdfTextString(info.title)} /Subject ${pdfTextString(info.subject)} /Producer (Phu Song) /CreationDate (D:${stamp}Z) >>`]);
	const xref = length;
	push(`xref\n0 7\n0000000000 65535 f \n${offsets.slice(1).map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`);
	push(`trailer\n<< /Size 7 /Root 1 0 R /Info 6 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
	const out = new Uint8Array(length);
	let at = 0;
	for (const part of parts) {
		const bytes = typeof part === 'string' ? encoder.encode(part) : part;
		out.set(bytes, at);
		at += bytes.length;
	}
	return out;
}
