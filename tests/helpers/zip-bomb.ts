import { Zip, ZipDeflate } from 'fflate';

/**
 * A zip whose one entry inflates to `unpackedBytes` of repetitive KML-ish text, built by streaming
 * so the test never holds the unpacked bytes. `declaredBytes` rewrites the size its central
 * directory declares (a lying archive).
 */
export function makeZipBomb(unpackedBytes: number, { name = 'doc.kml', declaredBytes }: { name?: string; declaredBytes?: number } = {}): Uint8Array<ArrayBuffer> {
	const parts: Uint8Array[] = [];
	const zip = new Zip((err, chunk) => {
		if (err) throw err;
		parts.push(chunk);
	});
	const entry = new ZipDeflate(name, { level: 9 });
	zip.add(entry);
	const block = new TextEncoder().encode('<Placemark><name>x</name></Placemark>'.repeat(Math.ceil(2 ** 20 / 38)).slice(0, 2 ** 20));
	for (let left = unpackedBytes; left > 0; left -= block.length) entry.push(left > block.length ? block : block.subarray(0, left), left <= block.length);
	zip.end();
	const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let at = 0;
	for (const p of parts) (bytes.set(p, at), (at += p.length));
	if (declaredBytes !== undefined) {
		// The central directory entry (signature PK\1\2) holds the uncompressed size at offset 24.
		const view = new DataView(bytes.buffer);
		for (let i = bytes.length - 22; i >= 0; i--) {
			if (view.getUint32(i, true) === 0x02014b50) {
				view.setUint32(i + 24, declaredBytes, true);
				break;
			}
		}
	}
	return bytes;
}
