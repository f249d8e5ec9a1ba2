import { zxyToTileId } from 'pmtiles';

/**
 * Writes a PMTiles v3 archive (https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md):
 * a 127-byte header, one root directory, JSON metadata and the tiles, nothing compressed, tiles
 * deduplicated. Enough for test and sample basemaps of a few thousand tiles; Protomaps' own tools
 * write the real extracts.
 */
export interface ArchiveTile {
	z: number;
	x: number;
	y: number;
	data: Uint8Array;
}

export interface ArchiveOptions {
	tileType: 'mvt' | 'png';
	bounds: [number, number, number, number];
	center: [number, number, number];
	metadata: Record<string, unknown>;
}

const HEADER_BYTES = 127;
const TILE_TYPE = { mvt: 1, png: 2 } as const;
const COMPRESSION_NONE = 1;

function varints(values: readonly number[]): number[] {
	const out: number[] = [];
	for (let v of values) {
		while (v >= 0x80) {
			out.push((v % 0x80) | 0x80);
			v = Math.floor(v / 0x80);
		}
		out.push(v);
	}
	return out;
}

/** The archive's bytes; at most 16,384 distinct tile entries (one root directory). */
export function writePmtiles(tiles: readonly ArchiveTile[], o: ArchiveOptions): Uint8Array {
	const entries = tiles.map((t) => ({ id: zxyToTileId(t.z, t.x, t.y), data: t.data })).sort((a, b) => a.id - b.id);
	for (let i = 1; i < entries.length; i++) if (entries[i].id === entries[i - 1].id) throw new Error(`tile ${entries[i].id} is given twice`);
	if (entries.length > 16_384) throw new Error(`${entries.length} tiles: this writer keeps one root directory (≤ 16,384)`);
	// Identical tiles (open sea, empty land) are stored once.
	const stored = new Map<string, { offset: number; data: Uint8Array }>();
	const blobs: Uint8Array[] = [];
	let dataLength = 0;
	const dir = entries.map((e) => {
		const key = e.data.join(",");
		let blob = stored.get(key);
		if (!blob) {
			blob = { offset: dataLength, data: e.data };
			stored.set(key, blob);
			blobs.push(e.data);
			dataLength += e.data.length;
		}
		return { id: e.id, offset: blob.offset, length: e.data.length };
	});
	// Directory: count, id deltas, run lengths (1), lengths, offsets (0 = right after the previous).
	const directory = Uint8Array.from([
		...varints([dir.length]),
		...varints(dir.map((d, i) => d.id - (i > 0 ? dir[i - 1].id : 0))),
		...varints(dir.map(() => 1)),
		...varints(dir.map((d) => d.length)),
		...varints(dir.map((d, i) => (i > 0 && d.offset === dir[i - 1].offset + dir[i - 1].length ? 0 : d.offset + 1)))
	]);
	const metadata = new TextEncoder().encode(JSON.stringify(o.metadata));
	const out = new Uint8Array(HEADER_BYTES + directory.length + metadata.length + dataLength);
	const view = new DataView(out.buffer);
	out.set(new TextEncoder().encode('PMTiles'), 0);
	out[7] = 3;
	const u64 = (at: number, v: number) => view.setBigUint64(at, BigInt(v), true);
	const rootOffset = HEADER_BYTES;
	const metadataOffset = rootOffset + directory.length;
	const dataOffset = metadataOffset + metadata.length;
	u64(8, rootOffset);
	u64(16, directory.length);
	u64(24, metadataOffset);
	u64(32, metadata.length);
	u64(40, dataOffset); // no leaf directories
	u64(48, 0);
	u64(56, dataOffset);
	u64(64, dataLength);
	u64(72, dir.length);
	u64(80, dir.length);
	u64(88, blobs.length);
	out[96] = 1; // clustered: tiles in id order
	out[97] = COMPRESSION_NONE;
	out[98] = COMPRESSION_NONE;
	out[99] = TILE_TYPE[o.tileType];
	out[100] = Math.min(...tiles.map((t) => t.z));
	out[101] = Math.max(...tiles.map((t) => t.z));
	const e7 = (deg: number) => Math.round(deg * 1e7);
	view.setInt32(102, e7(o.bounds[0]), true);
	view.setInt32(106, e7(o.bounds[1]), true);
	view.setInt32(110, e7(o.bounds[2]), true);
	view.setInt32(114, e7(o.bounds[3]), true);
	out[118] = o.center[2];
	view.setInt32(119, e7(o.center[0]), true);
	view.setInt32(123, e7(o.center[1]), true);
	out.set(directory, rootOffset);
	out.set(metadata, metadataOffset);
	let at = dataOffset;
	for (const b of blobs) {
		out.set(b, at);
		at += b.length;
	}
	return out;
}

/** The tile (x, y) at zoom z holding a longitude and latitude (Web Mercator). */
export function tileOf(lon: number, lat: number, z: number): { x: number; y: number } {
	const n = 2 ** z;
	const rad = (lat * Math.PI) / 180;
	const x = Math.floor(((lon + 180) / 360) * n);
	const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n);
	return { x: Math.min(n - 1, Math.max(0, x)), y: Math.min(n - 1, Math.max(0, y)) };
}

/** A longitude and latitude in tile (x, y, z) as tile coordinates of `extent` units. */
export function toTileCoordinates(lon: number, lat: number, tile: { z: number; x: number; y: number }, extent = 4096): [number, number] {
	const n = 2 ** tile.z;
	const rad = (lat * Math.PI) / 180;
	const fx = ((lon + 180) / 360) * n - tile.x;
	const fy = ((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n - tile.y;
	return [Math.round(fx * extent), Math.round(fy * extent)];
}
