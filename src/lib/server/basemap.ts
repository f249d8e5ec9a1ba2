import { open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { BASEMAP_FONTS, GLYPH_RANGE_STARTS } from '../components/map/basemap-style';
import { BASEMAP_PATHS } from '../components/map/style';
import { readConfig } from './config';

/**
 * The basemap a deployment chose: an online MapLibre style (PUBLIC_BASEMAP_STYLE_URL), else a
 * local PMTiles extract (PHU_SONG_BASEMAP_PMTILES, served by this app), else none (the offline
 * background). Returns the style address the maps load, or undefined for the background.
 */
export function basemapStyleUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
	const online = env.PUBLIC_BASEMAP_STYLE_URL?.trim();
	if (online) return online;
	return env.PHU_SONG_BASEMAP_PMTILES?.trim() ? BASEMAP_PATHS.style : undefined;
}

/** The local archive: its path, size and a version that changes when the file is replaced. */
export async function basemapArchive(env: NodeJS.ProcessEnv = process.env): Promise<{ file: string; size: number; version: string } | null> {
	const file = env.PHU_SONG_BASEMAP_PMTILES?.trim();
	if (!file) return null;
	const info = await stat(file).catch(() => null);
	if (!info?.isFile()) return null;
	return { file, size: info.size, version: `${info.size.toString(36)}-${Math.floor(info.mtimeMs).toString(36)}` };
}

/**
 * A byte range of the form MapLibre's PMTiles reader asks for (`bytes=a-b`, `bytes=a-`,
 * `bytes=-n`), clamped to the file; null when there is no header, undefined when it cannot be served.
 */
export function parseRange(header: string | null, size: number): { start: number; end: number } | null | undefined {
	if (!header) return null;
	const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
	if (!m || (m[1] === '' && m[2] === '')) return undefined;
	const [start, end] = m[1] === '' ? [Math.max(0, size - Number(m[2])), size - 1] : [Number(m[1]), m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1)];
	return start <= end && start < size ? { start, end } : undefined;
}

/** Bytes [start, end] of a file. */
export async function readBytes(file: string, start: number, end: number): Promise<Uint8Array<ArrayBuffer>> {
	const handle = await open(file, 'r');
	try {
		const out = new Uint8Array(end - start + 1);
		const { bytesRead } = await handle.read(out, 0, out.length, start);
		return bytesRead === out.length ? out : out.slice(0, bytesRead);
	} finally {
		await handle.close();
	}
}

const FONTS: ReadonlySet<string> = new Set(Object.values(BASEMAP_FONTS));
const RANGES: ReadonlySet<string> = new Set(GLYPH_RANGE_STARTS.map((s) => `${s}-${s + 255}`));

/**
 * A glyph range for a font stack (MapLibre joins a stack's fonts with commas): the first bundled
 * font of the stack, or an empty answer — a stack or range not bundled (other scripts' names)
 * draws nothing rather than failing the tile.
 */
export async function glyphRange(fontstack: string, range: string): Promise<Uint8Array<ArrayBuffer>> {
	const font = fontstack.split(',').map((f) => f.trim()).find((f) => FONTS.has(f));
	if (!font || !RANGES.has(range)) return new Uint8Array(0);
	return new Uint8Array(await readFile(path.join(readConfig().dataRoot, 'glyphs', font, `${range}.pbf`)));
}
