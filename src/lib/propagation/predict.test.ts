import { cellToLatLng, latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../settings/definitions';
import { settlementLoss } from './link-budget';
import { bestServer, predictSite, type PredictionContext } from './predict';
import { bearing, Terrain, type ElevationTile } from './terrain';

const settings = { ...DEFAULT_SETTINGS, 'propagation.range_km': 5 };
const flat: PredictionContext = { technology: '4G', settings, settlementOf: () => 'rural', terrain: null };
const site = { id: 'A', position: [106.25, 22.66] as [number, number], antennaHeightM: 30 };

describe('predictSite', () => {
	it('covers the cells within range, weaker with distance, on flat ground', () => {
		const levels = predictSite(site, flat);
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
		const withTerrain = predictSite(site, { ...flat, terrain: new Terrain([tile]) });
		const plain = predictSite(site, flat);
		const east = latLngToCell(22.66, 106.28, 9); // ~3 km east, behind the ridge
		const west = latLngToCell(22.66, 106.22, 9); // ~3 km west, open ground
		expect(plain.get(east)! - withTerrain.get(east)!).toBeGreaterThan(10);
		expect(withTerrain.get(west)).toBeCloseTo(plain.get(west)!, 6);
	});
});

describe('the affine shortcut', () => {
	it('gives what the model gives cell by cell', () => {
		const levels = predictSite(site, { ...flat, settlementOf: (c) => (c.endsWith('f') ? 'urban' : 'suburban') });
		for (const [cell, dbm] of [...levels].slice(0, 50)) {
			const [lat, lng] = cellToLatLng(cell);
			const dKm = Math.max(0.1, bearing(site.position, [lng, lat]).distanceM / 1000);
			const loss = settlementLoss(1800, cell.endsWith('f') ? 'urban' : 'suburban', 30, 1.5, dKm).lossDb;
			expect(dbm).toBeCloseTo(15.2 - 3 + 17 - loss, 9);
		}
	});
});

describe('bestServer', () => {
	it('takes the strongest site per cell, ties to the smaller id whatever the order', () => {
		const a = new Map([
			['x', -90],
			['y', -100]
		]);
		const b = new Map([
			['x', -95],
			['y', -100],
			['z', -80]
		]);
		const one = bestServer([
			['A', a],
			['B', b]
		]);
		const other = bestServer([
			['B', b],
			['A', a]
		]);
		expect(one).toEqual(other);
		expect(one.get('x')).toEqual({ dbm: -90, siteId: 'A' });
		expect(one.get('y')).toEqual({ dbm: -100, siteId: 'A' });
		expect(one.get('z')).toEqual({ dbm: -80, siteId: 'B' });
	});
});
