/**
 * Makes the basemap's glyph ranges (data/glyphs/<font>/<start>-<end>.pbf) from DejaVu Sans, once,
 * on a developer's machine: `npx tsx scripts/make-glyphs.ts` (needs Debian's chromium and
 * fonts-dejavu-core). The output is committed, so nothing is made or downloaded at run time.
 *
 * Each glyph is drawn by TinySDF in Chromium — the signed-distance renderer MapLibre itself uses
 * for local glyphs — at its settings (24 px, buffer 3, radius 8, cutoff 0.25) and baseline
 * adjustment (src/render/glyph_manager.ts), so bundled and local glyphs line up.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { encodeGlyphRange, type Glyph } from '../src/lib/tiles/glyphs';
import { BASEMAP_FONTS, GLYPH_RANGE_STARTS } from '../src/lib/components/map/basemap-style';

const FONT_DIR = '/usr/share/fonts/truetype/dejavu';
const FILES: Record<string, { file: string; weight: string; style: string }> = {
	[BASEMAP_FONTS.regular]: { file: 'DejaVuSans.ttf', weight: '400', style: 'normal' },
	[BASEMAP_FONTS.bold]: { file: 'DejaVuSans-Bold.ttf', weight: '700', style: 'normal' },
	[BASEMAP_FONTS.italic]: { file: 'DejaVuSans-Oblique.ttf', weight: '400', style: 'italic' }
};

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
await page.setContent('<html><body></body></html>');
const tinySdf = readFileSync('node_modules/@mapbox/tiny-sdf/index.js', 'utf8').replace('export default class TinySDF', 'window.TinySDF = class TinySDF');
await page.addScriptTag({ content: tinySdf });

for (const [name, font] of Object.entries(FILES)) {
	const base64 = readFileSync(`${FONT_DIR}/${font.file}`).toString('base64');
	await page.evaluate(async ({ base64, font }) => {
		const face = new FontFace('Bundled', `url(data:font/ttf;base64,${base64})`, { weight: font.weight, style: font.style });
		await face.load();
		document.fonts.add(face);
	}, { base64, font });
	mkdirSync(`data/glyphs/${name}`, { recursive: true });
	for (const start of GLYPH_RANGE_STARTS) {
		const drawn = await page.evaluate(({ start, font }) => {
			// @ts-expect-error added above
			const sdf = new window.TinySDF({ fontSize: 24, buffer: 3, radius: 8, cutoff: 0.25, fontFamily: 'Bundled', fontWeight: font.weight, fontStyle: font.style });
			const out = [];
			for (let id = start; id < start + 256; id++) {
				// Control characters draw nothing and take no space.
				if (id < 32 || (id >= 127 && id < 160)) continue;
				const c = sdf.draw(String.fromCodePoint(id));
				out.push({ id, data: Array.from(c.data as Uint8ClampedArray), width: c.glyphWidth, height: c.glyphHeight, left: c.glyphLeft, top: c.glyphTop, advance: c.glyphAdvance });
			}
			return out;
		}, { start, font });
		const glyphs: Glyph[] = drawn.map((g) => ({
			id: g.id,
			bitmap: g.width > 0 ? Uint8Array.from(g.data) : new Uint8Array(0),
			width: g.width,
			height: g.height,
			left: Math.round(g.left + 0.5),
			// MapLibre's baseline adjustment for TinySDF glyphs (27.5), rounded to the format's integers.
			top: Math.round(g.top - 27.5),
			advance: Math.round(g.advance)
		}));
		writeFileSync(`data/glyphs/${name}/${start}-${start + 255}.pbf`, encodeGlyphRange(name, start, glyphs));
	}
	console.log(`${name}: ${GLYPH_RANGE_STARTS.length} ranges`);
}
await browser.close();
