import { cellToLatLng, latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../settings/definitions';
import { settlementLoss } from './link-budget';
import { CellGrid } from './cell-grid';
import { addSite, bestServer, levelsByCell, predictSite, type PredictionContext, type SiteLevels } from './predict';
import { syntheticDem } from '../demo/fields';
import { bearing, Terrain, type ElevationTile } from './terrain';

const settings = { ...DEFAULT_SETTINGS, 'propagation.range_km': 5 };
const flat: PredictionContext = { technology: '4G', operatorCode: null, settings, settlementOf: () => 'rural', terrain: null };
const site = { id: 'A', position: [106.25, 22.66] as [number, number], antennaHeightM: 30 };
const grid = CellGrid.around(site.position, 6000);
const predict = (ctx: PredictionContext) => levelsByCell(grid, predictSite(site, ctx, grid));

describe('predictSite', () => {
	it('covers the cells within range, weaker with distance, on flat ground', () => {
		const levels = predict(flat);
		// π·5² km² over res-9 cells of ~0.105 km² (a little larger at this latitude): ~700.
		expect(levels.size).toBeGreaterThan(600);
		expect(levels.size).toBeLessThan(850);
		const byDistance = [...levels].map(([cell, dbm]) => {
			const [lat, lng] = cellToLatLng(cell);
			return { d: bearing(site.position, [lng, lat]).distanceM, dbm };
		});
		expect(Math.max(...byDistance.map((x) => x.d))).toBeLessThanOrEqual(5000);
		const sorted = byDistance.sort((a, b) => a.d - b.d);
		for (let i = 1; i < sorted.length; i++) expect(sorted[i].dbm).toBeLessThanOrEqual(sorted[i - 1].dbm + 1e-9);
		// 4G at 1800 MHz, rural: 15.2 − 3 + 17 − (COST-231 + Hata open correction) at 5 km ≈ −90 dBm.
		const at5 = sorted.filter((x) => x.d > 4800).map((x) => x.dbm);
		expect(Math.min(...at5)).toBeGreaterThan(-100);
		expect(Math.max(...at5)).toBeLessThan(-80);
	});

	it('shadows the cells behind a ridge, and only those', () => {
		// A tile around the site: flat at 200 m with a 150 m-high ridge 1 km east, north–south.
		const w = 200;
		const elevations = new Int16Array(w * w);
		for (let r = 0; r < w; r++) for (let c = 0; c < w; c++) elevations[r * w + c] = c >= 110 && c <= 111 ? 350 : 200;
		const tile: ElevationTile = { west: 106.15, north: 22.76, pixelWidth: 0.001, pixelHeight: 0.001, width: w, height: w, elevations, nodata: null };
		const withTerrain = predict({ ...flat, terrain: new Terrain([tile]) });
		const plain = predict(flat);
		const east = latLngToCell(22.66, 106.28, 9); // ~3 km east, behind the ridge
		const west = latLngToCell(22.66, 106.22, 9); // ~3 km west, open ground
		expect(plain.get(east)! - withTerrain.get(east)!).toBeGreaterThan(10);
		expect(withTerrain.get(west)).toBeCloseTo(plain.get(west)!, 6);
	});
});

describe('the affine shortcut', () => {
	it('gives what the model gives cell by cell', () => {
		const levels = predict({ ...flat, settlementOf: (i) => (grid.cells[i].endsWith('f') ? 'urban' : 'suburban') });
		for (const [cell, dbm] of [...levels].slice(0, 50)) {
			const [lat, lng] = cellToLatLng(cell);
			const dKm = Math.max(0.1, bearing(site.position, [lng, lat]).distanceM / 1000);
			const loss = settlementLoss(1800, cell.endsWith('f') ? 'urban' : 'suburban', 30, 1.5, dKm).lossDb;
			expect(dbm).toBeCloseTo(15.2 - 3 + 17 - loss, 9);
		}
	});

	it('runs each operator on its own band', () => {
		const cell = latLngToCell(22.66, 106.28, 9);
		const [lat, lng] = cellToLatLng(cell);
		const dKm = bearing(site.position, [lng, lat]).distanceM / 1000;
		const on900 = predict({ ...flat, operatorCode: 'vnpt', settings: { ...settings, 'propagation.4G.freq_mhz.vnpt': 900 } }).get(cell)!;
		expect(on900).toBeCloseTo(15.2 - 3 + 17 - settlementLoss(900, 'rural', 30, 1.5, dKm).lossDb, 9);
		// The same site on the technology's 1800 MHz for another operator: a lower band reaches farther.
		const on1800 = predict({ ...flat, operatorCode: 'mobifone', settings: { ...settings, 'propagation.4G.freq_mhz.vnpt': 900 } }).get(cell)!;
		expect(on1800).toBeCloseTo(15.2 - 3 + 17 - settlementLoss(1800, 'rural', 30, 1.5, dKm).lossDb, 9);
		expect(on900 - on1800).toBeGreaterThan(5);
	});
});

describe('bestServer', () => {
	const levels = (pairs: [number, number][]): SiteLevels => ({ cells: Int32Array.from(pairs, ([c]) => c), dbm: Float64Array.from(pairs, ([, d]) => d) });
	it('takes the strongest site per cell, ties to the smaller site number whatever the order', () => {
		const a = levels([
			[0, -90],
			[1, -100]
		]);
		const b = levels([
			[0, -95],
			[1, -100],
			[2, -80]
		]);
		const one = bestServer(4, [
			[0, a],
			[1, b]
		]);
		const other = bestServer(4, [
			[1, b],
			[0, a]
		]);
		expect(one).toEqual(other);
		expect([...one.dbm]).toEqual([-90, -100, -80, NaN]);
		expect([...one.site]).toEqual([0, 0, 1, -1]);
	});
});

describe('addSite', () => {
	it('gives bestServer over every site, in any order, reading only the profiles that can win', () => {
		const terrain = new Terrain(syntheticDem(3, [106.1, 22.5, 106.45, 22.8]));
		const ctx: PredictionContext = { technology: '4G', operatorCode: null, settings, settlementOf: () => 'rural', terrain };
		const sites = [106.2, 22.6, 106.25, 22.7, 106.3, 22.62, 106.35, 22.68].reduce<{ id: string; position: [number, number]; antennaHeightM: number }[]>(
			(list, v, i, all) => (i % 2 ? list : [...list, { id: `S${i / 2}`, position: [v, all[i + 1]], antennaHeightM: 30 + i }]),
			[]
		);
		const g = new CellGrid(sites.flatMap((x) => CellGrid.around(x.position, 5000).cells));
		const reference = bestServer(g.size, sites.map((x, n) => [n, predictSite(x, ctx, g)] as const));
		for (const order of [[0, 1, 2, 3], [3, 1, 0, 2]]) {
			const best = { dbm: new Float64Array(g.size).fill(NaN), site: new Int32Array(g.size).fill(-1) };
			for (const n of order) addSite(best, n, sites[n], ctx, g);
			expect(best).toEqual(reference);
		}
		expect(new Set([...reference.site].filter((x) => x >= 0)).size).toBe(4); // every site serves somewhere
	});
});

describe('CellGrid', () => {
	it('finds exactly the cells within range, with the distance and azimuth of bearing()', () => {
		const g = CellGrid.around([106.25, 22.66], 8000);
		const seen = new Map<number, [number, number]>();
		g.within([106.27, 22.65], 3000, (i, d, az) => seen.set(i, [d, az]));
		for (let i = 0; i < g.size; i++) {
			const b = bearing([106.27, 22.65], [g.lng[i], g.lat[i]]);
			expect(seen.has(i)).toBe(b.distanceM <= 3000);
			if (seen.has(i)) {
				expect(seen.get(i)![0]).toBeCloseTo(b.distanceM, 6);
				expect(seen.get(i)![1]).toBeCloseTo(b.azimuthDeg, 6);
			}
		}
		expect(seen.size).toBeGreaterThan(200); // π·3² km² over cells of ~0.11 km² here: ~250
		expect(g.indexOf(g.cells[17])).toBe(17);
		expect(g.indexOf('89000000000ffff')).toBe(-1);
	});
});
