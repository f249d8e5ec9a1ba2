import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { bomLengthOf, detectEncoding, type TextEncoding } from '../../import/encoding';
import { ImportFileError } from '../../import/issues';

/** Longest record accepted; a longer one is a broken file, not data. */
export const MAX_RECORD_BYTES = 65_536;

export type Delimiter = ',' | ';' | '\t';

/** A CSV file opened for streaming: what was detected, the header, and the records. */
export interface CsvFile {
	encoding: TextEncoding;
	delimiter: Delimiter;
	header: string[];
	sizeBytes: number;
	/** Bytes read so far (for progress). */
	bytesRead(): number;
	/** SHA-256 of the file's bytes, complete once `records` is exhausted. */
	contentHash(): string;
	/** Data records (header excluded), with the file line each ends on. Values are NFC. */
	records: AsyncIterable<{ values: string[]; line: number }>;
}

/** Picks the delimiter that splits the header line into the most columns. */
export function detectDelimiter(headerLine: string): Delimiter {
	const counts = ([',', ';', '\t'] as const).map((d) => [d, headerLine.split(d).length - 1] as const);
	const [best, count] = counts.reduce((a, b) => (b[1] > a[1] ? b : a));
	if (count === 0) throw new ImportFileError('found no delimiter (comma, semicolon or tab) in the header line');
	return best;
}

/**
 * Opens a CSV file: detects encoding (unless `encoding` is given, e.g. chosen on the upload page)
 * and delimiter from its first 64 kB, then streams records.
 */
export async function openCsv(filePath: string, { encoding: chosen }: { encoding?: TextEncoding } = {}): Promise<CsvFile> {
	const { size } = await stat(filePath);
	if (size === 0) throw new ImportFileError('the file is empty');
	const handle = await open(filePath, 'r');
	const sample = new Uint8Array(Math.min(size, 65_536));
	await handle.read(sample, 0, sample.length, 0);
	await handle.close();
	const { encoding, bomLength } = chosen ? { encoding: chosen, bomLength: bomLengthOf(sample, chosen) } : detectEncoding(sample);
	const sampleText = iconv.decode(Buffer.from(sample.subarray(bomLength)), encoding);
	const firstLine = sampleText.split(/\r?\n/, 1)[0];
	const delimiter = detectDelimiter(firstLine);

	let bytesRead = 0;
	const hash = createHash('sha256');
	const raw = createReadStream(filePath);
	let skipBom = bomLength;
	// Hashing, counting and BOM removal in one synchronous pipe: a 'data' listener attached before
	// the pipe (with an await between) would set the stream flowing and lose the first chunks.
	const decoded = raw
		.pipe(
			new Transform({
				transform(chunk: Buffer, _enc, done) {
					hash.update(chunk);
					bytesRead += chunk.length;
					// Drop the BOM bytes from the text; the hash above saw them.
					if (skipBom > 0) {
						const cut = Math.min(skipBom, chunk.length);
						skipBom -= cut;
						chunk = chunk.subarray(cut);
					}
					done(null, chunk);
				}
			})
		)
		.pipe(iconv.decodeStream(encoding));
	const parser = decoded.pipe(
		parse({ delimiter, relax_column_count: true, max_record_size: MAX_RECORD_BYTES, info: true, skip_empty_lines: true, trim: false })
	);
	const iterator = parser[Symbol.asyncIterator]() as AsyncIterator<{ record: string[]; info: { lines: number } }>;
	let first: IteratorResult<{ record: string[]; info: { lines: number } }>;
	try {
		first = await iterator.next();
	} catch (err) {
		throw toFileError(err);
	}
	if (first.done) throw new ImportFileError('the file has no header line');
	const header = first.value.record.map((h) => h.normalize('NFC').trim());
	if (header.length < 2) throw new ImportFileError(`the header has a single column ("${header[0]}"); is the delimiter right?`);

	return {
		encoding,
		delimiter,
		header,
		sizeBytes: size,
		bytesRead: () => bytesRead,
		contentHash: () => hash.copy().digest('hex'),
		records: {
			async *[Symbol.asyncIterator]() {
				try {
					for (;;) {
						const item = await iterator.next();
						if (item.done) return;
						yield { values: item.value.record.map(toNfc), line: item.value.info.lines };
					}
				} catch (err) {
					throw toFileError(err);
				} finally {
					// A reader that stops early (the upload page's preview) must not leave the file open.
					raw.destroy();
				}
			}
		}
	};
}

// ASCII is already NFC; only text with other characters needs normalising.
const NON_ASCII = /[^\u0000-\u007f]/;
const toNfc = (value: string) => (NON_ASCII.test(value) ? value.normalize('NFC') : value);

/** csv-parse's errors, as messages that name the line. */
function toFileError(err: unknown): Error {
	const e = err as { code?: string; lines?: number; message?: string };
	if (e.code === 'CSV_MAX_RECORD_SIZE') return new ImportFileError(`line ${e.lines}: a record longer than ${MAX_RECORD_BYTES.toLocaleString('en')} characters; the file is probably not CSV or is broken`);
	if (e.code === 'CSV_QUOTE_NOT_CLOSED') return new ImportFileError(`line ${e.lines}: a quoted field is never closed; the file may be truncated`);
	if (e.code?.startsWith('CSV_')) return new ImportFileError(`line ${e.lines ?? '?'}: ${e.message}`);
	return err as Error;
}
