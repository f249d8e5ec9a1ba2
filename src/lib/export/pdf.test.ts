import { describe, expect, it } from 'vitest';
import { PAPER_POINTS, fitImage, pdfTextString, pdfWithJpeg } from './pdf';

// A real 2 × 1 baseline JPEG (it decodes in Chromium as 2 × 1), small enough to keep inline.
const JPEG = Uint8Array.from(
	atob(
		'/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/2wBDAQkJCQwLDBgNDRgyIRwhMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjL/wAARCAABAAIDASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDi6KKK+MP0o//Z'
	),
	(c) => c.charCodeAt(0)
);

describe('the map export PDF', () => {
	it('fits the image in the page with its aspect kept', () => {
		const wide = fitImage(2000, 1000, 'A4');
		expect(wide.w / wide.h).toBeCloseTo(2, 6);
		expect(wide.x).toBeCloseTo(24, 6);
		expect(wide.page).toEqual(PAPER_POINTS.A4);
		const tall = fitImage(1000, 2000, 'A4');
		expect(tall.y).toBeCloseTo(24, 6);
	});

	it('writes text strings as UTF-16BE with a byte-order mark', () => {
		expect(pdfTextString('Đà')).toBe('<FEFF011000E0>');
	});

	it('is read by pdf.js (an independent reader) as one landscape page drawing the image, with its title', async () => {
		const bytes = pdfWithJpeg(JPEG, 2, 1, { title: 'Bản đồ vùng phủ — Cao Bằng', subject: 'Phủ Sóng', created: new Date('2026-12-06T10:00:00Z') }, 'A3');
		const { getDocument, OPS } = await import('pdfjs-dist/legacy/build/pdf.mjs');
		const doc = await getDocument({ data: bytes, isEvalSupported: false }).promise;
		expect(doc.numPages).toBe(1);
		const page = await doc.getPage(1);
		expect(page.view.map(Math.round)).toEqual([0, 0, 1191, 842]);
		const ops = await page.getOperatorList();
		expect(ops.fnArray).toContain(OPS.paintImageXObject);
		const { info } = (await doc.getMetadata()) as unknown as { info: { Title: string } };
		expect(info.Title).toBe('Bản đồ vùng phủ — Cao Bằng');
		await doc.destroy();
	});
});
