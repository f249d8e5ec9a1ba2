import type { Page } from 'playwright-core';

export type Rgb = [number, number, number];

/** What the map canvas shows: how many distinct colours, and how many pixels near each target colour. */
export interface PixelStats {
	distinctColours: number;
	near: Record<string, number>;
	/** Pixels clearly red (dead-signal reports or cells, even blended half-transparent). */
	reddish: number;
}

/**
 * Reads the map's WebGL canvas back (the app keeps its drawing buffer) and counts pixels within
 * `tolerance` of each target colour, so a test can tell whether a layer is drawn.
 */
export function mapPixelStats(page: Page, targets: Record<string, Rgb>, tolerance = 24): Promise<PixelStats> {
	return page.evaluate(
		({ targets, tolerance }) => {
			const source = document.querySelector<HTMLCanvasElement>('[data-testid=map] canvas');
			if (!source) throw new Error('no map canvas');
			const copy = document.createElement('canvas');
			copy.width = source.width;
			copy.height = source.height;
			const ctx = copy.getContext('2d')!;
			ctx.drawImage(source, 0, 0);
			const { data } = ctx.getImageData(0, 0, copy.width, copy.height);
			const distinct = new Set<number>();
			const near: Record<string, number> = Object.fromEntries(Object.keys(targets).map((k) => [k, 0]));
			const entries = Object.entries(targets);
			let reddish = 0;
			for (let i = 0; i < data.length; i += 4) {
				const r = data[i], g = data[i + 1], b = data[i + 2];
				if (r - g > 80 && r - b > 80) reddish++;
				distinct.add(((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3));
				for (const [name, [tr, tg, tb]] of entries) {
					if (Math.abs(r - tr) <= tolerance && Math.abs(g - tg) <= tolerance && Math.abs(b - tb) <= tolerance) near[name]++;
				}
			}
			return { distinctColours: distinct.size, near, reddish };
		},
		{ targets, tolerance }
	);
}

/**
 * Where on the map (CSS pixels from its top left) a pixel of one of `targets` lies with its four
 * neighbours of the same colour — inside a dot or a shape, not on its edge; null when none is.
 */
export function findColour(page: Page, targets: Rgb[], tolerance = 10): Promise<{ x: number; y: number } | null> {
	return page.evaluate(
		({ targets, tolerance }) => {
			const source = document.querySelector<HTMLCanvasElement>('[data-testid=map] canvas')!;
			const copy = document.createElement('canvas');
			[copy.width, copy.height] = [source.width, source.height];
			const ctx = copy.getContext('2d')!;
			ctx.drawImage(source, 0, 0);
			const { data } = ctx.getImageData(0, 0, copy.width, copy.height);
			const scale = source.width / source.getBoundingClientRect().width;
			for (const [r, g, b] of targets) {
				const near = (i: number) => Math.abs(data[i] - r) < tolerance && Math.abs(data[i + 1] - g) < tolerance && Math.abs(data[i + 2] - b) < tolerance;
				for (let i = 0; i < data.length; i += 4)
					if (near(i) && near(i + 4) && near(i - 4) && near(i + 4 * copy.width) && near(i - 4 * copy.width)) {
						const p = i / 4;
						return { x: (p % copy.width) / scale, y: Math.floor(p / copy.width) / scale };
					}
			}
			return null;
		},
		{ targets, tolerance }
	);
}

/** The map's pixels (RGB) in a box of CSS pixels [x, y, width, height] from its top left, row by row. */
export function mapPixelsIn(page: Page, [x, y, width, height]: [number, number, number, number]): Promise<Rgb[]> {
	return page.evaluate(
		({ x, y, width, height }) => {
			const source = document.querySelector<HTMLCanvasElement>('[data-testid=map] canvas')!;
			const scale = source.width / source.clientWidth;
			const copy = document.createElement('canvas');
			[copy.width, copy.height] = [source.width, source.height];
			const ctx = copy.getContext('2d')!;
			ctx.drawImage(source, 0, 0);
			const { data } = ctx.getImageData(Math.round(x * scale), Math.round(y * scale), Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale)));
			const out: [number, number, number][] = [];
			for (let i = 0; i < data.length; i += 4) out.push([data[i], data[i + 1], data[i + 2]]);
			return out;
		},
		{ x, y, width, height }
	);
}
