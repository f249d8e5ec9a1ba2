import { ImportFileError } from './issues';

export const TEXT_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1258', 'windows-1252'] as const;
export type TextEncoding = (typeof TEXT_ENCODINGS)[number];

const BOMS: Partial<Record<TextEncoding, number[]>> = { 'utf-8': [0xef, 0xbb, 0xbf], 'utf-16le': [0xff, 0xfe], 'utf-16be': [0xfe, 0xff] };

/** Length of the byte-order mark of `encoding` at the start of `sample`, if it is there. */
export function bomLengthOf(sample: Uint8Array, encoding: TextEncoding): number {
	const bom = BOMS[encoding];
	return bom && bom.every((b, i) => sample[i] === b) ? bom.length : 0;
}

/**
 * Bytes that only make sense as Windows-1258: its combining tone marks (grave 0xCC, hook 0xD2,
 * tilde 0xDE, acute 0xEC, dot below 0xF2) and its Vietnamese letters (Ă 0xC3, Đ 0xD0, Ơ 0xD5,
 * Ư 0xDD, ă 0xE3, đ 0xF0, ơ 0xF5, ư 0xFD). In Windows-1252 they are rare Latin letters (Ì Ò Þ ì ò Ã Ð Õ Ý ã ð õ ý).
 */
const CP1258_MARKERS = new Set([0xcc, 0xd2, 0xde, 0xec, 0xf2, 0xc3, 0xd0, 0xd5, 0xdd, 0xe3, 0xf0, 0xf5, 0xfd]);

/**
 * Tells a file's text encoding from its first bytes: a BOM first, then strict UTF-8, then the
 * Windows code pages (1258 when its Vietnamese bytes are frequent, else 1252). Refuses what it
 * cannot read rather than guess: garbled names are worse than a clear refusal.
 */
export function detectEncoding(sample: Uint8Array): { encoding: TextEncoding; bomLength: number } {
	if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
	if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
	if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
	// UTF-16 without a BOM shows as NUL bytes between ASCII letters.
	const nuls = sample.subarray(0, 200).filter((b) => b === 0).length;
	if (nuls > 10) throw new ImportFileError('the file looks like UTF-16 without a byte-order mark; save it as UTF-8 (or UTF-16 with BOM)');
	// A multi-byte UTF-8 sequence may be cut at the end of the sample: decode only whole sequences.
	let end = sample.length;
	for (let back = 1; back <= 3 && end - back >= 0; back++) {
		const b = sample[end - back];
		if ((b & 0xc0) === 0xc0) {
			const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
			if (back < need) end -= back;
			break;
		}
		if ((b & 0x80) === 0) break;
	}
	try {
		new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, end));
		return { encoding: 'utf-8', bomLength: 0 };
	} catch {
		// not UTF-8: a Windows code page
	}
	let high = 0;
	let vietnamese = 0;
	for (const b of sample) {
		if (b >= 0x80) high++;
		if (CP1258_MARKERS.has(b)) vietnamese++;
	}
	if (high === 0) return { encoding: 'utf-8', bomLength: 0 };
	return { encoding: vietnamese / high > 0.3 ? 'windows-1258' : 'windows-1252', bomLength: 0 };
}
