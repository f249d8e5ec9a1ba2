import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { basemapArchive, basemapStyleUrl, glyphRange, parseRange, readBytes } from './basemap';

describe('the basemap a deployment chose', () => {
	it('is an online style first, else the local archive, else the background', () => {
		expect(basemapStyleUrl({ PUBLIC_BASEMAP_STYLE_URL: 'https://tiles.example/style.json', PHU_SONG_BASEMAP_PMTILES: '/srv/vn.pmtiles' })).toBe('https://tiles.example/style.json');
		expect(basemapStyleUrl({ PHU_SONG_BASEMAP_PMTILES: '/srv/vn.pmtiles' })).toBe('/basemap/style.json');
		expect(basemapStyleUrl({ PHU_SONG_BASEMAP_PMTILES: '  ' })).toBeUndefined();
		expect(basemapStyleUrl({})).toBeUndefined();
	});

	it('serves a local archive only when the file is there, versioned by size and time', async () => {
		const dir = await mkdtemp(path.join(os.tmpdir(), 'basemap-'));
		const file = path.join(dir, 'vn.pmtiles');
		expect(await basemapArchive({ PHU_SONG_BASEMAP_PMTILES: file })).toBeNull();
		await writeFile(file, Uint8Array.from({ length: 1000 }, (_, i) => i % 256));
		const archive = await basemapArchive({ PHU_SONG_BASEMAP_PMTILES: file });
		expect(archive).toMatchObject({ file, size: 1000 });
		expect(await readBytes(file, 254, 258)).toEqual(Uint8Array.from([254, 255, 0, 1, 2]));
		expect(await basemapArchive({ PHU_SONG_BASEMAP_PMTILES: dir })).toBeNull();
	});
});

describe('byte ranges', () => {
	it('read the forms the PMTiles reader sends, clamped to the file', () => {
		expect(parseRange(null, 100)).toBeNull();
		expect(parseRange('bytes=0-16383', 100)).toEqual({ start: 0, end: 99 });
		expect(parseRange('bytes=10-19', 100)).toEqual({ start: 10, end: 19 });
		expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
		expect(parseRange('bytes=-5', 100)).toEqual({ start: 95, end: 99 });
	});

	it('refuse what cannot be served (416)', () => {
		for (const bad of ['bytes=100-200', 'bytes=5-1', 'bytes=-', 'items=0-1', 'bytes=0-1,5-6']) expect(parseRange(bad, 100)).toBeUndefined();
	});
});

describe('glyph ranges', () => {
	it('are the bundled font of a stack, or empty for fonts and ranges not bundled', async () => {
		const vietnamese = await glyphRange('DejaVu Sans Book,Noto Sans Regular', '7680-7935');
		expect(vietnamese.length).toBeGreaterThan(10_000);
		expect(new TextDecoder().decode(vietnamese.subarray(0, 40))).toContain('DejaVu Sans Book');
		expect(await glyphRange('Noto Sans Devanagari Regular v1', '2304-2559')).toHaveLength(0);
		expect(await glyphRange('DejaVu Sans Book', '19968-20223')).toHaveLength(0);
		expect(await glyphRange('DejaVu Sans Book', '../../etc/passwd')).toHaveLength(0);
	});
});
