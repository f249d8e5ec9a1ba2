import { SOURCE_KINDS, type SourceKind } from '../signal/observation';

/**
 * A measured key's state, packed: the (metric, bin, source kind) → count and reporter → count
 * runs that src/lib/coverage/measured.ts adds, merges and summarises, and their stored bytes. Pure.
 */

// One number per (metric, bin, source kind): metric · 2²³ + (bin + 2²⁰) · 4 + kind — bit fields
// [metric | bin + 2²⁰ (21 bits) | kind (2 bits)], below 2³¹ for up to 256 metrics, so a state packs
// into 32-bit integers and its parts come out with shifts. Bins are clamped to ±2²⁰ (days, dBm and
// Mbps all lie far inside).
const BIN_BITS = 21;
const BIN_OFFSET = 1 << (BIN_BITS - 1);
const BIN_MASK = (1 << BIN_BITS) - 1;
export const KIND_INDEX: Record<SourceKind, number> = { resident: 0, drive_test: 1, app: 2 };

/** The state key of a (metric, bin, source kind). */
export function binKey(metric: number, bin: number, kind: SourceKind): number {
	const b = Math.max(-BIN_OFFSET, Math.min(BIN_OFFSET - 1, bin));
	return (((metric << BIN_BITS) | (b + BIN_OFFSET)) << 2) | KIND_INDEX[kind];
}

/** The parts of a state key (hot: the summary reads every key through these). */
export const kindIndexOfKey = (key: number) => key & 3;
export const metricOfKey = (key: number) => key >> (BIN_BITS + 2);
export const binOfKey = (key: number) => ((key >> 2) & BIN_MASK) - BIN_OFFSET;

/** The inverse of {@link binKey}. */
export function unpackBinKey(key: number): { metric: number; bin: number; kind: SourceKind } {
	return { metric: metricOfKey(key), bin: binOfKey(key), kind: SOURCE_KINDS.find((k) => KIND_INDEX[k] === kindIndexOfKey(key))! };
}

/**
 * One key's state, packed: `[nBins, (binKey, count)…, nReporters, (reporter, count)…]`, each part
 * sorted by key, counts non-zero (negative in a delta that removes). Sorted runs merge in linear
 * time and summarise in one pass; the bytes are canonical, so equal states are equal bytes.
 */
export type MeasuredState = Int32Array;

export const emptyState = (): MeasuredState => new Int32Array(2);
export const isEmptyState = (p: MeasuredState) => p[0] === 0 && p[1 + 2 * p[0]] === 0;
/** Distinct reporters of a state. */
export const reportersOf = (p: MeasuredState) => p[1 + 2 * p[0]];

/** The states of one resolution: cell (hex) → "operator|technology" → state. */
export type CellStates = Map<string, Map<string, MeasuredState>>;

/** The dimension string of a key in {@link CellStates}. */
export const dimKey = (operatorCode: string, technology: string) => `${operatorCode}|${technology}`;
const dimParts = new Map<string, readonly [string, string]>();
/** The (operator, technology) of a dimension string; hot, and dimensions are few, so each is split once. */
export function splitDimKey(dim: string): readonly [string, string] {
	let parts = dimParts.get(dim);
	if (!parts) dimParts.set(dim, (parts = dim.split('|') as [string, string]));
	return parts;
}

/** Sorts keys and counts equal ones (each occurrence counting `sign`) into `out` at `at`; returns the pairs written. */
function countRuns(keys: number[], sign: number, out: Int32Array, at: number): number {
	const sorted = Int32Array.from(keys).sort();
	let pairs = 0;
	for (let i = 0; i < sorted.length; ) {
		let j = i;
		while (j < sorted.length && sorted[j] === sorted[i]) j++;
		out[at + 2 * pairs] = sorted[i];
		out[at + 2 * pairs + 1] = sign * (j - i);
		pairs++;
		i = j;
	}
	return pairs;
}

/** A state from raw occurrences: bin keys and reporters, each occurrence counting `sign`. */
export function packState(binKeys: number[], reporters: number[], sign: 1 | -1): MeasuredState {
	const out = new Int32Array(2 + 2 * binKeys.length + 2 * reporters.length);
	const nb = countRuns(binKeys, sign, out, 1);
	out[0] = nb;
	const nr = countRuns(reporters, sign, out, 2 + 2 * nb);
	out[1 + 2 * nb] = nr;
	return out.length === 2 + 2 * (nb + nr) ? out : out.slice(0, 2 + 2 * (nb + nr));
}

/** Merges two sorted (key, count) runs into `out` at `at`, summing equal keys and dropping zeros; returns the pairs written. */
function mergeRuns(a: Int32Array, ai: number, an: number, b: Int32Array, bi: number, bn: number, out: Int32Array, at: number): number {
	const aEnd = ai + 2 * an;
	const bEnd = bi + 2 * bn;
	let o = at;
	while (ai < aEnd && bi < bEnd) {
		const ka = a[ai];
		const kb = b[bi];
		if (ka === kb) {
			const n = a[ai + 1] + b[bi + 1];
			if (n !== 0) (out[o] = ka), (out[o + 1] = n), (o += 2);
			ai += 2;
			bi += 2;
		} else if (ka < kb) {
			(out[o] = ka), (out[o + 1] = a[ai + 1]), (o += 2), (ai += 2);
		} else {
			(out[o] = kb), (out[o + 1] = b[bi + 1]), (o += 2), (bi += 2);
		}
	}
	// The rest of either run: its counts are non-zero already.
	if (ai < aEnd) out.set(a.subarray(ai, aEnd), o), (o += aEnd - ai);
	if (bi < bEnd) out.set(b.subarray(bi, bEnd), o), (o += bEnd - bi);
	return (o - at) / 2;
}

/** The sum of two states (a state plus a delta, or two children), without zero counts. */
export function mergeState(a: MeasuredState, b: MeasuredState): MeasuredState {
	const nbA = a[0];
	const nbB = b[0];
	const nrA = a[1 + 2 * nbA];
	const nrB = b[1 + 2 * nbB];
	const out = new Int32Array(2 + 2 * (nbA + nbB + nrA + nrB));
	const nb = mergeRuns(a, 1, nbA, b, 1, nbB, out, 1);
	out[0] = nb;
	const nr = mergeRuns(a, 2 + 2 * nbA, nrA, b, 2 + 2 * nbB, nrB, out, 2 + 2 * nb);
	out[1 + 2 * nb] = nr;
	return out.length === 2 + 2 * (nb + nr) ? out : out.slice(0, 2 + 2 * (nb + nr));
}

/**
 * A state's stored bytes, canonical and compact: each part as its length, then per pair the key's
 * gap from the previous key and the count (zigzag), all as LEB128 varints. Sorted keys make gaps
 * small (consecutive days, nearby reporter numbers) and counts are mostly 1, so a pair takes ~2
 * bytes instead of 8 — the stored layer and every change's reads and writes shrink with it.
 */
export function encodeState(p: MeasuredState): Uint8Array {
	const out = new Uint8Array(5 * p.length);
	let at = 0;
	let i = 0;
	for (let part = 0; part < 2; part++) {
		const pairs = p[i++];
		let previous = 0;
		for (let j = -1; j < 2 * pairs; j++) {
			// The length first, then per pair the key's gap and the zigzagged count.
			let v: number;
			if (j < 0) v = pairs;
			else if (j % 2 === 0) (v = p[i] - previous), (previous = p[i]), i++;
			else {
				const n = p[i++];
				v = n >= 0 ? 2 * n : -2 * n - 1;
			}
			// Gaps and zigzagged counts are non-negative and below 2³²: unsigned shifts are exact.
			while (v >= 0x80) {
				out[at++] = (v & 0x7f) | 0x80;
				v >>>= 7;
			}
			out[at++] = v;
		}
	}
	return out.slice(0, at);
}

/** The inverse of {@link encodeState}. */
export function decodeState(bytes: Uint8Array): MeasuredState {
	// Every pair takes at least two bytes: this bounds the length; the result is cut to size.
	const out = new Int32Array(2 + bytes.length);
	let at = 0;
	let i = 0;
	for (let part = 0; part < 2; part++) {
		// Varints read inline (hot: every touched state passes here); the one-byte case first.
		let pairs = bytes[at++];
		if (pairs >= 0x80) {
			pairs &= 0x7f;
			for (let scale = 0x80; ; scale *= 0x80) {
				const b = bytes[at++];
				pairs += (b & 0x7f) * scale;
				if (b < 0x80) break;
			}
		}
		out[i++] = pairs;
		let previous = 0;
		for (let j = 0; j < 2 * pairs; j++) {
			let v = bytes[at++];
			if (v >= 0x80) {
				v &= 0x7f;
				for (let scale = 0x80; ; scale *= 0x80) {
					const b = bytes[at++];
					v += (b & 0x7f) * scale;
					if (b < 0x80) break;
				}
			}
			if (j % 2 === 0) out[i++] = previous += v;
			else out[i++] = v % 2 === 0 ? v / 2 : -(v + 1) / 2;
		}
	}
	return out.slice(0, i);
}
