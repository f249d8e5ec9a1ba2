import { describe, expect, it } from 'vitest';
import { terrainObstructionLoss } from './knife-edge';
import { bearing, bilinear, offset, profileAlong, radialSweep, Terrain, type ElevationTile } from './terrain';

/** A tile of `w`×`h` pixels of 0.001° from (106, 23), heights from f(column, row). */
function tile(w: number, h: number, f: (c: number, r: number) => number, nodata: number | null = null): ElevationTile {
	const elevations = new Int16Array(w * h);
	for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) elevations[r * w + c] = f(c, r);
	return { west: 106, north: 23, pixelWidth: 0.001, pixelHeight: 0.001, width: w, height: h, elevations, nodata };
}

describe('DEM heights', () => {
	it('interpolates bilinearly between pixel centres and clamps at the edges', () => {
		const t = tile(3, 3, (c, r) => 10 * c + 100 * r);
		expect(bilinear(t, 0, 0)).toBe(0);
		expect(bilinear(t, 0.5, 0.5)).toBeCloseTo(55, 10);
		expect(bilinear(t, 1.25, 2)).toBeCloseTo(212.5, 10);
		expect(bilinear(t, -0.4, 0)).toBe(0);
		const terrain = new Terrain([t]);
		// The centre of pixel (1, 1) is at 106.0015, 22.9985.
		expect(terrain.heightAt(106.0015, 22.9985)).toBeCloseTo(110, 6);
		expect(terrain.heightAt(105, 22)).toBeNull();
	});
	it('says "no data" rather than inventing a height next to a hole', () => {
		const t = tile(2, 2, (c, r) => (c === 1 && r === 1 ? -32768 : 50), -32768);
		expect(bilinear(t, 0.5, 0.5)).toBeNull();
	});
});

describe('radial sweep', () => {
	it('finds a point again from its bearing and distance', () => {
		const origin: [number, number] = [106.2, 22.7];
		const p = offset(origin, 57, 8_000);
		const b = bearing(origin, p);
		expect(b.azimuthDeg).toBeCloseTo(57, 6);
		expect(b.distanceM).toBeCloseTo(8_000, 3);
	});
	it('reads a cell\'s profile from the nearest radial, with the cell itself interpolated', () => {
		// A ridge running north–south 2 km east of the site: heights 0, then 80 m from column 20 to 22.
		const t = tile(200, 200, (c) => (c >= 20 && c <= 22 ? 80 : 0));
		const terrain = new Terrain([t]);
		const site: [number, number] = [106.0005, 22.9005];
		const sweep = radialSweep(terrain, site, 10_000, 50, 256);
		const east = profileAlong(sweep, 90, 4_025);
		expect(Array.from(east.distanceM).at(-1)).toBe(4_025);
		expect(east.distanceM[1]).toBe(50);
		expect(Math.max(...Array.from(east.groundM))).toBeGreaterThan(70);
		const west = profileAlong(sweep, 270, 4_000);
		// Out of the tile to the west: no data anywhere, so flat at the first known height (0).
		expect(Math.max(...Array.from(west.groundM))).toBe(0);
		// Behind the ridge the terrain adds loss; the same distance north (no ridge) adds none.
		expect(terrainObstructionLoss(east, 30, 1.5, 900).lossDb).toBeGreaterThan(10);
		expect(terrainObstructionLoss(profileAlong(sweep, 0, 4_000), 30, 1.5, 900).lossDb).toBe(0);
	});
});
