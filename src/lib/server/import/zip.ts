import { Unzip, UnzipInflate, UnzipPassThrough, unzipSync } from 'fflate';
import { ImportFileError } from '../../import/issues';

/**
 * Zip reading with limits, so a small archive cannot unpack into gigabytes (a "zip bomb": a
 * 1 MB KMZ once took the server from 1 to 2.9 GB). Checked twice: the sizes the central
 * directory declares, before inflating, and the bytes actually produced (an archive can lie),
 * while inflating in small steps (deflate's best ratio is about 1032:1, so a 64 kB step yields at
 * most ~66 MB before the next check).
 */
export const ZIP_LIMITS = {
	/** Uncompressed bytes of all entries read, in total (the size a feature file may have whole). */
	maxTotalBytes: 256 * 2 ** 20,
	/** Uncompressed ÷ compressed, per entry, once an entry passes `ratioFloorBytes`. */
	maxRatio: 100,
	ratioFloorBytes: 8 * 2 ** 20
};

/** A zip would unpack past a limit: answered 413 by the upload endpoint, an error by imports. */
export class ZipTooLargeError extends ImportFileError {
	readonly status = 413;
	constructor(message: string) {
		super(message);
		this.name = 'ZipTooLargeError';
	}
}

const STEP_BYTES = 64 * 1024;
const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;

/**
 * The entries of `bytes` whose names `wanted` accepts, inflated, within `limits`. Entries not
 * wanted are never inflated.
 */
export function unzipBounded(bytes: Uint8Array, wanted: (name: string) => boolean, limits = ZIP_LIMITS): { entries: Record<string, Uint8Array>; names: string[] } {
	// The sizes the central directory declares: read without inflating anything (the filter says no).
	let declaredTotal = 0;
	try {
		unzipSync(bytes, {
			filter(file) {
				if (!wanted(file.name)) return false;
				declaredTotal += file.originalSize;
				if (declaredTotal > limits.maxTotalBytes) {
					throw new ZipTooLargeError(
						`the zip would unpack to more than ${mb(limits.maxTotalBytes)} (its entry ${file.name} declares ${mb(file.originalSize)}); the limit for an unpacked feature file is ${mb(limits.maxTotalBytes)}`
					);
				}
				return false;
			}
		});
	} catch (err) {
		if (err instanceof ZipTooLargeError) throw err;
		throw new ImportFileError(`not a readable zip: ${(err as Error).message}`);
	}

	const entries: Record<string, Uint8Array> = {};
	const names: string[] = [];
	let total = 0;
	let failure: Error | null = null;
	const unzip = new Unzip((file) => {
		names.push(file.name);
		if (failure || !wanted(file.name)) return;
		const chunks: Uint8Array[] = [];
		let produced = 0;
		file.ondata = (err, chunk, final) => {
			if (failure) return;
			if (err) {
				failure = new ImportFileError(`not a readable zip: ${err.message}`);
				return;
			}
			produced += chunk.length;
			total += chunk.length;
			const compressed = Math.max(1, file.size ?? 1);
			if (total > limits.maxTotalBytes) {
				failure = new ZipTooLargeError(`the zip unpacks to more than ${mb(limits.maxTotalBytes)} (stopped in ${file.name}); the limit for an unpacked feature file is ${mb(limits.maxTotalBytes)}`);
			} else if (produced > limits.ratioFloorBytes && produced / compressed > limits.maxRatio) {
				failure = new ZipTooLargeError(
					`the zip entry ${file.name} unpacks more than ${limits.maxRatio} times its packed size (${mb(produced)} from ${Math.ceil(compressed / 1024)} kB so far): refused as a zip bomb; the limit is a ratio of ${limits.maxRatio}:1`
				);
			}
			if (failure) {
				file.terminate();
				return;
			}
			chunks.push(chunk);
			if (final) entries[file.name] = concat(chunks, produced);
		};
		file.start();
	});
	unzip.register(UnzipInflate);
	unzip.register(UnzipPassThrough);
	try {
		for (let at = 0; at < bytes.length && !failure; at += STEP_BYTES) {
			unzip.push(bytes.subarray(at, Math.min(bytes.length, at + STEP_BYTES)), at + STEP_BYTES >= bytes.length);
		}
	} catch (err) {
		throw failure ?? new ImportFileError(`not a readable zip: ${(err as Error).message}`);
	}
	if (failure) throw failure;
	return { entries, names };
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
	if (chunks.length === 1) return chunks[0];
	const out = new Uint8Array(length);
	let at = 0;
	for (const c of chunks) {
		out.set(c, at);
		at += c.length;
	}
	return out;
}
