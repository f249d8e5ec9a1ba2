import { cellToParent, h3IndexToSplitLong, splitLongToH3Index } from 'h3-js';
import type { CellGrid } from '../propagation/cell-grid';
import type { BestServers } from '../propagation/predict';
import { classifyByFloors, type SignalClass, type SignalThresholds, type Technology } from '../signal/classes';
import { ANY } from './measured';

/**
 * The predicted layer, the rules: from each operator × technology's best servers per res-9 cell
 * (src/lib/propagation/predict.ts) to the stored tiles — parents at res 6–8 as the lower median of
 * their predicted res-9 descendants, any technology / any operator as the best key below — grouped
 * by res-5 tile (~250 km²). A tile holds every descendant of its cells, so it is computed from the
 * sites that reach it alone: recomputing the tiles near a changed tower equals a full rebuild. Pure.
 */

export const PREDICTED_RESOLUTIONS = [6, 7, 8, 9] as const;
export type PredictedResolution = (typeof PREDICTED_RESOLUTIONS)[number];
/** The resolution of a tile: each stored row is one (operator, technology, resolution, tile). */
export const TILE_RES = 5;

/** The parents of a grid's res-9 cells at res 6–8, numbered, and the tile of every cell. */
export class CellHierarchy {
	/** Cells per resolution, sorted (res 9: the grid's). */
	readonly cells = new Map<PredictedResolution, string[]>();
	/** Res-9 number → number at res r (res 9: itself). */
	readonly parentOf = new Map<PredictedResolution, Int32Array>();
	/** Number at res r → tile number. */
	readonly tileOf = new Map<PredictedResolution, Int32Array>();
	/** The res-5 tiles, sorted. */
	readonly tiles: string[];
	/** The cells of each resolution as H3's two 32-bit halves (what the stored bytes hold). */
	readonly halves = new Map<PredictedResolution, { hi: Uint32Array; lo: Uint32Array }>();
	/** Res-9 numbers by parent at res r (CSR: parent p's are order[start[p] … start[p + 1])). */
	readonly children = new Map<PredictedResolution, { start: Int32Array; order: Int32Array }>();

	constructor(readonly grid: CellGrid) {
		const n = grid.size;
		this.cells.set(9, grid.cells);
		this.parentOf.set(9, Int32Array.from({ length: n }, (_, i) => i));
		for (const res of [8, 7, 6] as const) {
			const parents = grid.cells.map((c) => cellToParent(c, res));
			const sorted = [...new Set(parents)].sort();
			const number = new Map(sorted.map((c, i) => [c, i]));
			this.cells.set(res, sorted);
			const parentOf = Int32Array.from(parents, (p) => number.get(p)!);
			this.parentOf.set(res, parentOf);
			const start = new Int32Array(sorted.length + 1);
			for (let i = 0; i < n; i++) start[parentOf[i] + 1]++;
			for (let p = 0; p < sorted.length; p++) start[p + 1] += start[p];
			const fill = start.slice(0, -1);
			const order = new Int32Array(n);
			for (let i = 0; i < n; i++) order[fill[parentOf[i]]++] = i;
			this.children.set(res, { start, order });
		}
		this.tiles = [...new Set(this.cells.get(6)!.map((c) => cellToParent(c, TILE_RES)))].sort();
		const tileNumber = new Map(this.tiles.map((t, i) => [t, i]));
		for (const res of PREDICTED_RESOLUTIONS) {
			const cells = this.cells.get(res)!;
			this.tileOf.set(res, Int32Array.from(cells, (c) => tileNumber.get(cellToParent(c, TILE_RES))!));
			const hi = new Uint32Array(cells.length);
			const lo = new Uint32Array(cells.length);
			cells.forEach((c, i) => ([lo[i], hi[i]] = h3IndexToSplitLong(c)));
			this.halves.set(res, { hi, lo });
		}
	}
}

/** One key's levels at one resolution: dBm (NaN: no prediction), class number (−1: none), res-9 cells it rests on, site. */
export interface Levels {
	dbm: Float64Array;
	classIndex: Int8Array;
	cells: Int32Array;
	/** Res 9 only: the best server's site code. */
	site: (string | null)[] | null;
}

/** One (operator, technology) key at every resolution. */
export interface KeyLevels {
	operator: string;
	technology: string;
	levels: Map<PredictedResolution, Levels>;
}

const floorsOf = (technology: Technology, t: SignalThresholds) => (technology === '4G' || technology === '5G' ? t.rsrpDbm : t.rssiDbm);

/** The class of a predicted level for a technology (RSRP floors for 4G/5G, RSSI for 2G/3G). */
export function predictedClass(dbm: number, technology: Technology, t: SignalThresholds): SignalClass {
	return classifyByFloors(dbm, floorsOf(technology, t));
}

/** A group's best servers → its levels at res 9 and the lower-median parents at 8, 7, 6. */
export function levelsOfGroup(h: CellHierarchy, operator: string, technology: Technology, best: BestServers, siteCodes: readonly string[], t: SignalThresholds): KeyLevels {
	const levels = new Map<PredictedResolution, Levels>();
	const n9 = h.grid.size;
	const f = floorsOf(technology, t);
	// classifyByFloors as a number (hot: every cell of every group).
	const classOf = (dbm: number) => (dbm >= f.good ? 0 : dbm >= f.fair ? 1 : dbm >= f.poor ? 2 : 3);
	// Levels are stored as 32-bit floats: classes and medians are taken of those, so a group read
	// back from the store gives what its fresh computation gave.
	const dbm9 = Float64Array.from(best.dbm, Math.fround);
	const res9: Levels = { dbm: dbm9, classIndex: new Int8Array(n9).fill(-1), cells: new Int32Array(n9), site: Array.from(best.site, (s) => (s < 0 ? null : siteCodes[s])) };
	for (let i = 0; i < n9; i++) if (!Number.isNaN(dbm9[i])) (res9.classIndex[i] = classOf(dbm9[i])), (res9.cells[i] = 1);
	levels.set(9, res9);
	const scratch = new Float64Array(n9);
	for (const res of [8, 7, 6] as const) {
		const { start, order } = h.children.get(res)!;
		const size = start.length - 1;
		const out: Levels = { dbm: new Float64Array(size).fill(NaN), classIndex: new Int8Array(size).fill(-1), cells: new Int32Array(size), site: null };
		for (let p = 0; p < size; p++) {
			let m = 0;
			for (let k = start[p]; k < start[p + 1]; k++) if (!Number.isNaN(dbm9[order[k]])) scratch[m++] = dbm9[order[k]];
			if (m === 0) continue;
			const list = scratch.subarray(0, m).sort();
			out.dbm[p] = list[Math.floor((m - 1) / 2)];
			out.classIndex[p] = classOf(out.dbm[p]);
			out.cells[p] = m;
		}
		levels.set(res, out);
	}
	return { operator, technology, levels };
}

/**
 * The key `into` from the best of `keys` per cell: best class, then the stronger level, then the
 * first in `keys`' order (sort them by operator and technology for a stable tie-break).
 */
export function bestOf(h: CellHierarchy, operator: string, technology: string, keys: readonly KeyLevels[]): KeyLevels {
	const levels = new Map<PredictedResolution, Levels>();
	for (const res of PREDICTED_RESOLUTIONS) {
		const size = h.cells.get(res)!.length;
		const out: Levels = { dbm: new Float64Array(size).fill(NaN), classIndex: new Int8Array(size).fill(-1), cells: new Int32Array(size), site: res === 9 ? new Array(size).fill(null) : null };
		for (const key of keys) {
			const l = key.levels.get(res)!;
			for (let i = 0; i < size; i++) {
				const c = l.classIndex[i];
				if (c < 0) continue;
				const current = out.classIndex[i];
				if (current >= 0 && (c > current || (c === current && !(l.dbm[i] > out.dbm[i])))) continue;
				out.dbm[i] = l.dbm[i];
				out.classIndex[i] = c;
				out.cells[i] = l.cells[i];
				if (out.site && l.site) out.site[i] = l.site[i];
			}
		}
		levels.set(res, out);
	}
	return { operator, technology, levels };
}

/** The keys of every group plus each operator's any-technology and the any × any key, sorted. */
export function withAnyKeys(h: CellHierarchy, groups: readonly KeyLevels[]): KeyLevels[] {
	const byName = (a: KeyLevels, b: KeyLevels) => (a.operator < b.operator ? -1 : a.operator > b.operator ? 1 : a.technology < b.technology ? -1 : a.technology > b.technology ? 1 : 0);
	const sorted = [...groups].sort(byName);
	const operators = [...new Set(sorted.map((g) => g.operator))];
	const perOperator = operators.map((op) => bestOf(h, op, ANY, sorted.filter((g) => g.operator === op)));
	return [...sorted, ...perOperator, bestOf(h, ANY, ANY, perOperator)].sort(byName);
}

/** One stored row: the predicted cells of one key and resolution in one tile (numbers at that resolution). */
export interface PredictedTile {
	operator: string;
	technology: string;
	res: PredictedResolution;
	tile: string;
	index: Int32Array;
	levels: Levels;
}

/** Every key's levels cut into tiles (only cells with a prediction; tiles without any are left out). */
export function tilesOf(h: CellHierarchy, keys: readonly KeyLevels[]): PredictedTile[] {
	const out: PredictedTile[] = [];
	for (const key of keys) {
		for (const res of PREDICTED_RESOLUTIONS) {
			const l = key.levels.get(res)!;
			const tileOf = h.tileOf.get(res)!;
			const counts = new Int32Array(h.tiles.length);
			for (let i = 0; i < tileOf.length; i++) if (l.classIndex[i] >= 0) counts[tileOf[i]]++;
			const index = h.tiles.map((_, k) => new Int32Array(counts[k]));
			counts.fill(0);
			for (let i = 0; i < tileOf.length; i++) if (l.classIndex[i] >= 0) index[tileOf[i]][counts[tileOf[i]]++] = i;
			h.tiles.forEach((tile, k) => index[k].length > 0 && out.push({ operator: key.operator, technology: key.technology, res, tile, index: index[k], levels: l }));
		}
	}
	return out;
}

/** Bytes per entry: cell (two u32), dBm (f32), class (u8), res-9 cells behind it (u16), site number (u16). */
const ENTRY_BYTES = 17;
const NO_SITE = 0xffff;

/**
 * A tile's entries as bytes (little-endian), with its site codes apart: `[n u32, entries…]`. A
 * row per tile keeps a province's layer to a few thousand rows (cheap to write, and to rewrite
 * where towers changed) instead of a million.
 */
export function encodeTile(h: CellHierarchy, t: PredictedTile): { payload: Uint8Array; sites: string[] } {
	const { hi, lo } = h.halves.get(t.res)!;
	const l = t.levels;
	const siteOf = (i: number) => (l.site ? l.site[i] : null);
	const sites = [...new Set(Array.from(t.index, siteOf).filter((x): x is string => x !== null))].sort();
	if (sites.length >= NO_SITE) throw new Error(`a tile has ${sites.length} sites; at most ${NO_SITE - 1} fit`);
	const number = new Map(sites.map((x, i) => [x, i]));
	const payload = new Uint8Array(4 + ENTRY_BYTES * t.index.length);
	const v = new DataView(payload.buffer);
	v.setUint32(0, t.index.length, true);
	for (let k = 0, at = 4; k < t.index.length; k++, at += ENTRY_BYTES) {
		const i = t.index[k];
		const site = siteOf(i);
		v.setUint32(at, hi[i], true);
		v.setUint32(at + 4, lo[i], true);
		v.setFloat32(at + 8, l.dbm[i], true);
		v.setUint8(at + 12, l.classIndex[i]);
		v.setUint16(at + 13, Math.min(0xffff, l.cells[i]), true);
		v.setUint16(at + 15, site === null ? NO_SITE : number.get(site)!, true);
	}
	return { payload, sites };
}

/** The entries of a stored tile. */
export interface DecodedTile {
	cells: string[];
	dbm: Float32Array;
	classIndex: Uint8Array;
	count: Uint16Array;
	site: (string | null)[];
}

export function decodeTile(payload: Uint8Array, sites: readonly string[]): DecodedTile {
	const v = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
	const n = v.getUint32(0, true);
	const out: DecodedTile = { cells: new Array(n), dbm: new Float32Array(n), classIndex: new Uint8Array(n), count: new Uint16Array(n), site: new Array(n) };
	for (let i = 0, at = 4; i < n; i++, at += ENTRY_BYTES) {
		out.cells[i] = splitLongToH3Index(v.getUint32(at + 4, true), v.getUint32(at, true));
		out.dbm[i] = v.getFloat32(at + 8, true);
		out.classIndex[i] = v.getUint8(at + 12);
		out.count[i] = v.getUint16(at + 13, true);
		const site = v.getUint16(at + 15, true);
		out.site[i] = site === NO_SITE ? null : sites[site];
	}
	return out;
}

/** Cells as bytes: each H3 index as two little-endian u32 (high, low). */
export function packCells(cells: readonly string[]): Uint8Array {
	const out = new Uint8Array(8 * cells.length);
	const v = new DataView(out.buffer);
	cells.forEach((c, i) => {
		const [lo, hi] = h3IndexToSplitLong(c);
		v.setUint32(8 * i, hi, true);
		v.setUint32(8 * i + 4, lo, true);
	});
	return out;
}

/** The inverse of {@link packCells}. */
export function unpackCells(bytes: Uint8Array): string[] {
	const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	return Array.from({ length: bytes.byteLength / 8 }, (_, i) => splitLongToH3Index(v.getUint32(8 * i + 4, true), v.getUint32(8 * i, true)));
}
