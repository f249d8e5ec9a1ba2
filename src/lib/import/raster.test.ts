import { describe, expect, it } from 'vitest';
import { addPopulationStrip, cutDemStrip, hgtGrid, overlapsVietnam, pixelCentre } from './raster';

describe('raster helpers', () => {
	it('georeferences an SRTM tile by its name: samples on whole degrees, 3″ apart', () => {
		const g = hgtGrid('N22E105.hgt', 1201 * 1201 * 2);
		expect(pixelCentre(g, 0, 0)).toEqual([105, 23]);
		const [x, y] = pixelCentre(g, 1200, 1200);
		expect(x).toBeCloseTo(106, 12);
		expect(y).toBeCloseTo(22, 12);
		expect(hgtGrid('s08w035.HGT', 3601 * 3601 * 2)).toMatchObject({ width: 3601, originX: -35 - 1 / 7200 });
		expect(() => hgtGrid('dem.hgt', 1201 * 1201 * 2)).toThrow(/no georeference/);
	});

	it('gives each pixel to the cell of its centre and skips nodata, zero and negative pixels', () => {
		const grid = { width: 2, height: 2, originX: 100, originY: 20, pixelWidth: 1, pixelHeight: 1 };
		const cells = new Map<string, number>();
		const seen: number[][] = [];
		const result = addPopulationStrip(cells, [5, -9, 0, 7], grid, 0, {
			nodata: -9,
			toWgs84: null,
			cellOf: (p) => {
				seen.push(p);
				return p[0] < 101 ? 'west' : 'east';
			}
		});
		expect(result).toEqual({ people: 12, empty: 2 });
		expect(Object.fromEntries(cells)).toEqual({ west: 5, east: 7 });
		expect(seen).toEqual([
			[100.5, 19.5],
			[101.5, 18.5]
		]);
	});

	it('cuts a strip into tiles, rounding metres and marking nodata', () => {
		const grid = { width: 3, height: 2, originX: 0, originY: 0, pixelWidth: 1, pixelHeight: 1 };
		const tiles = cutDemStrip([1.4, 2.6, -1, 4, 5, 6], grid, 0, 2, -1, -32768);
		expect(tiles.map((t) => ({ column: t.column, width: t.width, elevations: [...t.elevations] }))).toEqual([
			{ column: 0, width: 2, elevations: [1, 3, 4, 5] },
			{ column: 2, width: 1, elevations: [-32768, 6] }
		]);
	});

	it('knows whether an extent touches Vietnam', () => {
		expect(overlapsVietnam([105, 22, 106, 23])).toBe(true);
		expect(overlapsVietnam([2, 48, 3, 49])).toBe(false);
	});
});
