/** The text of a PDF's pages, read with pdf.js (Mozilla's reader, not the browser that printed it), NFC-normalised. */
export async function pdfText(bytes: Uint8Array): Promise<{ pages: number; text: string }> {
	const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
	const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise;
	const parts: string[] = [];
	for (let i = 1; i <= doc.numPages; i++) {
		const content = await (await doc.getPage(i)).getTextContent();
		parts.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
	}
	await doc.destroy();
	return { pages: doc.numPages, text: parts.join('\n').normalize('NFC') };
}
