import { cellToChildren, cellToParent, latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { CellGrid } from '../propagation/cell-grid';
import { bestServer, predictSite, type PredictionContext } from '../propagation/predict';
import { DEFAULT_SETTINGS } from '../settings/definitions';
import { thresholdsFromSettings } from '../signal/classes';
import { CellHierarchy, decodeTile, encodeTile, levelsOfGroup, packCells, unpackCells, TILE_RES, tilesOf, withAnyKeys } from './predicted-layer';

const t = thresholdsFromSettings(DEFAULT_SETTINGS);

describe('levels of a group', () => {
	it('gives parents the lower median of their predicted res-9 cells, and their count', () => {
		const parent = latLngToCell(22.66, 106.25, 8);
		const children = cellToChildren(parent, 9);
		const h = new CellHierarchy(new CellGrid(children));
		const dbm = new Float64Array(h.grid.size).fill(NaN);
		// Four of seven children predicted: −100, −90, −80, −70 → lower median −90.
		[-100, -90, -80, -70].forEach((v, i) => (dbm[i] = v));
		const key = levelsOfGroup(h, 'viettel', '4G', { dbm, site: new Int32Array(h.grid.size).fill(0) }, ['S1'], t);
		const res8 = key.levels.get(8)!;
		expect(h.cells.get(8)).toEqual([parent]);
		expect(res8.dbm[0]).toBe(-90);
		expect(res8.cells[0]).toBe(4);
		expect(key.levels.get(9)!.classIndex.filter((c) => c >= 0)).toHaveLength(4);
	});
});

describe('any technology and any operator', () => {
	it('takes the best class, then the stronger level, then the first by name', () => {
		const cells = cellToChildren(latLngToCell(22.66, 106.25, 8), 9).slice(0, 3);
		const h = new CellHierarchy(new CellGrid(cells));
		const group = (op: string, tech: '2G' | '4G', levels: number[]) =>
			levelsOfGroup(h, op, tech, { dbm: Float64Array.from(levels), site: new Int32Array(levels.length).fill(0) }, [`${op}-${tech}`], t);
		// Default floors: 4G RSRP −90 / −105 / −115, 2G RSSI −75 / −85 / −95.
		const keys = withAnyKeys(h, [group('viettel', '4G', [-95, -130, NaN]), group('viettel', '2G', [-80, -90, NaN]), group('vnpt', '4G', [-95, -105, -85])]);
		const find = (op: string, tech: string) => keys.find((k) => k.operator === op && k.technology === tech)!.levels.get(9)!;
		const viettel = find('viettel', '*');
		// Cell 0: both fair (4G −95, 2G −80), the stronger wins; cell 1: 2G poor (−90) beats 4G dead (−130).
		expect([...viettel.dbm.slice(0, 2)]).toEqual([-80, -90]);
		expect(viettel.site![0]).toBe('viettel-2G');
		const any = find('*', '*');
		expect(any.dbm[2]).toBe(-85);
		expect(any.site![2]).toBe('vnpt-4G');
		expect(keys.map((k) => `${k.operator}|${k.technology}`)).toEqual(['*|*', 'viettel|*', 'viettel|2G', 'viettel|4G', 'vnpt|*', 'vnpt|4G']);
	});
});

describe('tiles', () => {
	it('round-trip through their bytes', () => {
		const cells = cellToChildren(latLngToCell(22.66, 106.25, 8), 9);
		const h = new CellHierarchy(new CellGrid(cells));
		const dbm = Float64Array.from(h.grid.cells, (_, i) => (i === 3 ? NaN : -70 - i * 1.5));
		const site = Int32Array.from(h.grid.cells, (_, i) => (i === 3 ? -1 : i % 2));
		const [key] = [levelsOfGroup(h, 'viettel', '4G', { dbm, site }, ['S0', 'S1'], t)];
		const tiles = tilesOf(h, [key]).filter((x) => x.res === 9);
		expect(tiles).toHaveLength(1);
		const { payload, sites } = encodeTile(h, tiles[0]);
		const back = decodeTile(payload, sites);
		const kept = h.grid.cells.map((c, i) => i).filter((i) => i !== 3);
		expect(back.cells).toEqual(kept.map((i) => h.grid.cells[i]));
		expect([...back.dbm]).toEqual(kept.map((i) => Math.fround(dbm[i])));
		expect([...back.classIndex]).toEqual(kept.map((i) => key.levels.get(9)!.classIndex[i]));
		expect(back.site).toEqual(kept.map((i) => `S${i % 2}`));
		expect([...back.count]).toEqual(kept.map(() => 1));
		expect(unpackCells(packCells(h.grid.cells))).toEqual(h.grid.cells);
	});

	it('computed from a few tiles equal the same tiles of the whole computation', () => {
		const s = { ...DEFAULT_SETTINGS, 'propagation.range_km': 12 };
		const ctx: PredictionContext = { technology: '4G', operatorCode: null, settings: s, settlementOf: () => 'rural', terrain: null };
		const sites = [
			{ id: 'A', position: [106.2, 22.66] as [number, number], antennaHeightM: 30 },
			{ id: 'B', position: [106.33, 22.7] as [number, number], antennaHeightM: 40 }
		];
		const whole = CellGrid.around([106.26, 22.68], 20_000);
		const run = (grid: CellGrid) => {
			const h = new CellHierarchy(grid);
			const best = bestServer(grid.size, sites.map((site, n) => [n, predictSite(site, ctx, grid)] as const));
			return tilesOf(h, withAnyKeys(h, [levelsOfGroup(h, 'viettel', '4G', best, ['A', 'B'], thresholdsFromSettings(s))])).map((x) => {
				const { payload, sites } = encodeTile(h, x);
				return { key: `${x.operator}|${x.technology}|${x.res}|${x.tile}`, ...decodeTile(payload, sites) };
			});
		};
		const full = run(whole);
		const some = new Set([...new Set(full.map((x) => x.key.split('|')[3]))].slice(0, 2));
		expect(some.size).toBe(2);
		const part = run(new CellGrid(whole.cells.filter((c) => some.has(cellToParent(c, TILE_RES)))));
		expect(part).toEqual(full.filter((x) => some.has(x.key.split('|')[3])));
		expect(part.length).toBeGreaterThan(8); // 2 tiles × 4 resolutions × (4G, any, any × any), where cells fall
	});
});
