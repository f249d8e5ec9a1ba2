import { describe, expect, it } from 'vitest';
import { Terrain } from '../propagation/terrain';
import { shadowingField, syntheticDem, ValueNoise } from './fields';

const BBOX: [number, number, number, number] = [106.0, 22.5, 106.3, 22.8];

const sd = (xs: number[]) => {
	const m = xs.reduce((a, b) => a + b, 0) / xs.length;
	return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
};

describe('value noise', () => {
	it('is the same for the same seed and different for another', () => {
		const a = new ValueNoise(1, ...BBOX, 0.01);
		expect(new ValueNoise(1, ...BBOX, 0.01).at(106.1, 22.6)).toBe(a.at(106.1, 22.6));
		expect(new ValueNoise(2, ...BBOX, 0.01).at(106.1, 22.6)).not.toBe(a.at(106.1, 22.6));
	});
});

describe('shadowing', () => {
	const field = shadowingField(42, BBOX, 8, 500);
	const points = Array.from({ length: 4000 }, (_, i) => [106.0 + 0.3 * ((i * 0.618034) % 1), 22.5 + 0.3 * ((i * 0.414214) % 1)] as const);
	it('spreads about σ = 8 dB around 0', () => {
		const values = points.map(([x, y]) => field(x, y));
		expect(Math.abs(values.reduce((a, b) => a + b, 0) / values.length)).toBeLessThan(1);
		expect(sd(values)).toBeGreaterThan(6.5);
		expect(sd(values)).toBeLessThan(9.5);
	});
	it('is correlated over tens of metres and not over kilometres', () => {
		const step = (dM: number) => sd(points.map(([x, y]) => field(x, y) - field(x + dM / 102_000, y)));
		expect(step(30)).toBeLessThan(2);
		expect(step(3000)).toBeGreaterThan(9); // ≈ √2 · σ for independent values
	});
});

describe('synthetic DEM', () => {
	const tiles = syntheticDem(7, BBOX);
	it('tiles the bbox like an import (≤ 256 px), heights within bounds', () => {
		expect(tiles.length).toBe(4); // 300 × 300 px at 0.001°
		expect(Math.max(...tiles.map((t) => Math.max(t.width, t.height)))).toBeLessThanOrEqual(256);
		const all = tiles.flatMap((t) => Array.from(t.elevations));
		expect(Math.min(...all)).toBeGreaterThanOrEqual(200);
		expect(Math.max(...all)).toBeLessThanOrEqual(1600);
		expect(sd(all)).toBeGreaterThan(80); // relief, not a plain
	});
	it('reads back through Terrain, smooth between neighbouring pixels and varied across the area', () => {
		const terrain = new Terrain(tiles);
		const h = (x: number, y: number) => terrain.heightAt(x, y)!;
		expect(Math.abs(h(106.1, 22.6) - h(106.1005, 22.6))).toBeLessThan(60);
		expect(new Set([h(106.05, 22.55), h(106.15, 22.65), h(106.25, 22.75)]).size).toBe(3);
		expect(syntheticDem(7, BBOX)[0].elevations).toEqual(tiles[0].elevations);
	});
});
