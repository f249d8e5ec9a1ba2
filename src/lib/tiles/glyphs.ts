import { ProtobufWriter } from './protobuf';

/**
 * One glyph as MapLibre draws it: a signed-distance bitmap of (width + 6) × (height + 6) bytes
 * (a 3-pixel buffer on every side) and metrics at a 24-pixel font size, as in
 * https://github.com/maplibre/maplibre-gl-js/blob/main/src/style/parse_glyph_pbf.ts.
 */
export interface Glyph {
	id: number;
	bitmap: Uint8Array;
	width: number;
	height: number;
	left: number;
	top: number;
	advance: number;
}

/** The buffer MapLibre expects around every glyph bitmap. */
export const GLYPH_BUFFER = 3;

/**
 * A glyph range file (`{fontstack}/{start}-{end}.pbf`): message glyphs { repeated fontstack
 * stacks = 1 }, fontstack { name = 1, range = 2, repeated glyph glyphs = 3 }, glyph { id = 1,
 * bitmap = 2, width = 3, height = 4, left = 5 (sint32), top = 6 (sint32), advance = 7 }.
 */
export function encodeGlyphRange(fontstack: string, start: number, glyphs: readonly Glyph[]): Uint8Array {
	if (start % 256 !== 0) throw new Error(`range start ${start} is not a multiple of 256`);
	for (const g of glyphs) {
		if (g.id < start || g.id > start + 255) throw new Error(`glyph ${g.id} is outside ${start}-${start + 255}`);
		const expected = g.width > 0 ? (g.width + 2 * GLYPH_BUFFER) * (g.height + 2 * GLYPH_BUFFER) : 0;
		if (g.bitmap.length !== expected) throw new Error(`glyph ${g.id}: bitmap of ${g.bitmap.length} bytes, expected ${expected}`);
	}
	return new ProtobufWriter()
		.message(1, (stack) => {
			stack.string(1, fontstack).string(2, `${start}-${start + 255}`);
			for (const g of glyphs)
				stack.message(3, (w) => {
					w.uint(1, g.id);
					if (g.bitmap.length > 0) w.bytes(2, g.bitmap);
					w.uint(3, g.width).uint(4, g.height).sint(5, g.left).sint(6, g.top).uint(7, g.advance);
				});
		})
		.finish();
}
