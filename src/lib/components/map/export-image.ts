/**
 * The map as a picture to send or print (issue 19): the map canvas — MapLibre and the deck.gl
 * layers drawn into the same WebGL canvas (interleaved), kept readable by preserveDrawingBuffer —
 * under a title, the date and the data's vintage, above the legend of the layers shown and the
 * notes (attribution, the synthetic-data notice). Drawn with the page's own fonts, so Vietnamese
 * reads right in the PNG and in the PDF made from it (src/lib/export/pdf.ts). Browser only.
 */
export interface LegendEntry {
	rgb: [number, number, number];
	label: string;
	/** A filled box (areas, cells), a ring (outlines) or a dot (points). */
	shape: 'box' | 'ring' | 'dot';
}

export interface ExportSheet {
	title: string;
	/** Under the title: the date, the filters, the data's vintage. */
	subtitle: string[];
	legend: LegendEntry[];
	/** At the foot: attribution and, for demo data, the synthetic notice. */
	notes: string[];
}

const FONT = 'system-ui, "Noto Sans", "DejaVu Sans", sans-serif';

/** `text` broken into lines no wider than `width` at the context's current font. */
function wrap(g: CanvasRenderingContext2D, text: string, width: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(/\s+/)) {
		const next = line ? `${line} ${word}` : word;
		if (g.measureText(next).width > width && line) {
			lines.push(line);
			line = word;
		} else line = next;
	}
	if (line) lines.push(line);
	return lines;
}

export function composeExport(map: HTMLCanvasElement, sheet: ExportSheet): HTMLCanvasElement {
	const dpr = map.width / Math.max(1, map.clientWidth || map.width);
	const px = (n: number) => Math.round(n * dpr);
	const width = map.width;
	const pad = px(16);
	const out = document.createElement('canvas');
	const g = out.getContext('2d')!;

	// Measure the footer first: legend items flow in rows, notes wrap.
	g.font = `${px(13)}px ${FONT}`;
	const swatch = px(14);
	const itemWidths = sheet.legend.map((e) => swatch + px(6) + g.measureText(e.label).width + px(18));
	const rows: LegendEntry[][] = [[]];
	let rowWidth = 0;
	sheet.legend.forEach((entry, i) => {
		if (rowWidth + itemWidths[i] > width - 2 * pad && rows[rows.length - 1].length > 0) {
			rows.push([]);
			rowWidth = 0;
		}
		rows[rows.length - 1].push(entry);
		rowWidth += itemWidths[i];
	});
	g.font = `${px(11)}px ${FONT}`;
	const noteLines = sheet.notes.flatMap((n) => wrap(g, n, width - 2 * pad));
	const header = px(30) + sheet.subtitle.length * px(18) + pad;
	const legendHeight = sheet.legend.length ? rows.length * px(22) + px(8) : 0;
	const footer = pad + legendHeight + noteLines.length * px(15) + pad;
	out.width = width;
	out.height = header + map.height + footer;

	g.fillStyle = '#fff';
	g.fillRect(0, 0, out.width, out.height);
	g.fillStyle = '#1c2730';
	g.textBaseline = 'top';
	g.font = `600 ${px(20)}px ${FONT}`;
	g.fillText(sheet.title, pad, pad * 0.75);
	g.font = `${px(13)}px ${FONT}`;
	g.fillStyle = '#55636e';
	sheet.subtitle.forEach((line, i) => g.fillText(line, pad, pad * 0.75 + px(28) + i * px(18)));

	g.drawImage(map, 0, header);
	g.strokeStyle = '#d5dde2';
	g.lineWidth = px(1);
	g.strokeRect(0, header, width, map.height);

	let y = header + map.height + pad;
	g.font = `${px(13)}px ${FONT}`;
	g.textBaseline = 'middle';
	for (const row of rows) {
		let x = pad;
		for (const entry of row) {
			const colour = `rgb(${entry.rgb.join(',')})`;
			const cy = y + px(9);
			if (entry.shape === 'dot') {
				g.fillStyle = colour;
				g.beginPath();
				g.arc(x + swatch / 2, cy, swatch / 2.4, 0, 2 * Math.PI);
				g.fill();
			} else if (entry.shape === 'ring') {
				g.strokeStyle = colour;
				g.lineWidth = px(2);
				g.strokeRect(x + px(1), cy - swatch / 2 + px(1), swatch - px(2), swatch - px(2));
			} else {
				g.fillStyle = colour;
				g.fillRect(x, cy - swatch / 2, swatch, swatch);
			}
			g.fillStyle = '#1c2730';
			g.fillText(entry.label, x + swatch + px(6), cy);
			x += swatch + px(6) + g.measureText(entry.label).width + px(18);
		}
		y += px(22);
	}
	y += sheet.legend.length ? px(8) : 0;
	g.font = `${px(11)}px ${FONT}`;
	g.fillStyle = '#55636e';
	g.textBaseline = 'top';
	for (const line of noteLines) {
		g.fillText(line, pad, y);
		y += px(15);
	}
	return out;
}

export const canvasBytes = (canvas: HTMLCanvasElement, type: 'image/png' | 'image/jpeg', quality?: number): Promise<Uint8Array> =>
	new Promise((resolve, reject) =>
		canvas.toBlob((blob) => (blob ? blob.arrayBuffer().then((b) => resolve(new Uint8Array(b)), reject) : reject(new Error('the canvas could not be encoded'))), type, quality)
	);

/** Offers bytes as a download under `name`. */
export function download(bytes: Uint8Array, type: string, name: string): void {
	const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
	const a = document.createElement('a');
	a.href = url;
	a.download = name;
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
