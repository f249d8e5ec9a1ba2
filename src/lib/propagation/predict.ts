import type { Settings } from '../settings/definitions';
import type { Technology } from '../signal/classes';
import { linkBudgetOf, receivedDbm, settlementLoss, type Settlement } from './link-budget';
import type { CellGrid } from './cell-grid';
import { edgeScratch, EDGES_PER_PATH, filledRows, obstructionFromEdges, pathEdges, type EdgeScratch } from './radial-obstruction';
import { offset, radialSweep, type Terrain } from './terrain';

/**
 * Predicted signal per H3 resolution-9 cell from one site, and the best server over many: the link
 * budget of the technology, the path loss for the cell's settlement, and — with a DEM — the terrain
 * obstruction along the site's radial sweep. Pure; the server module stores what this returns.
 */

/** A site as the predictor reads it. */
export interface PredictionSite {
	id: string;
	position: [number, number];
	/** Antenna height above ground, m; null takes `propagation.default_height_m`. */
	antennaHeightM: number | null;
}

/** What a prediction needs besides the site. */
export interface PredictionContext {
	technology: Technology;
	/** The operator, for its own band (null: the technology's band). */
	operatorCode: string | null;
	settings: Settings;
	/** The settlement of a cell (by its number in the grid): from population density, else rural. */
	settlementOf: (cell: number) => Settlement;
	/** Terrain, or null to run flat (and say so). */
	terrain: Terrain | null;
	/** Radial sampling step, m (default 100: about a res-9 cell's edge). */
	stepM?: number;
}

/** Where a level comes from: an operator's technology at a res-9 cell (null: no site reaches it). */
export type LevelAt = (operatorCode: string, technology: string, cell: string) => number | null;

/** One site's predicted levels: cell numbers of the grid and their dBm, in the same order. */
export interface SiteLevels {
	cells: Int32Array;
	dbm: Float64Array;
}

/** A site's cells in range and their distances (and azimuths, for terrain): shared by its technologies. */
export interface SiteGeometry {
	cells: Int32Array;
	distanceM: Float64Array;
	/** log₁₀ of the distance in km, from 100 m (the empirical models' losses are affine in it). */
	log10Km: Float64Array;
	/** Null when computed without terrain (only the sweep needs it). */
	azimuthDeg: Float64Array | null;
	/** With terrain: the cells' Deygout edges (radial-obstruction.ts) for the heights and step in `key`, found as needed; any band prices them. */
	edges?: LazyEdges;
}

/** The cells of `grid` within `rangeM` of a position, with what the models need of each. */
export function siteGeometry(grid: CellGrid, position: readonly [number, number], rangeM: number, withAzimuths: boolean): SiteGeometry {
	const cells: number[] = [];
	const distances: number[] = [];
	const azimuths: number[] = [];
	grid.within(position, rangeM, (cell, distanceM, azimuthDeg) => {
		cells.push(cell);
		distances.push(distanceM);
		if (withAzimuths) azimuths.push(azimuthDeg);
	});
	const distanceM = Float64Array.from(distances);
	// Inside the first 100 m the empirical models do not apply; the cell of the site takes their value at 100 m.
	const log10Km = distanceM.map((d) => Math.log10(Math.max(0.1, d / 1000)));
	return { cells: Int32Array.from(cells), distanceM, log10Km, azimuthDeg: withAzimuths ? Float64Array.from(azimuths) : null };
}

/** What one site at one band gives each cell `k` of its geometry: the level on flat ground, and what terrain takes off it. */
interface SiteModel {
	geometry: SiteGeometry;
	flatDbm(k: number): number;
	obstructionDb(k: number): number;
}

function siteModel(site: PredictionSite, ctx: PredictionContext, grid: CellGrid, geometry?: SiteGeometry): SiteModel {
	const s = ctx.settings;
	const budget = linkBudgetOf(ctx.technology, s, ctx.operatorCode);
	const rangeM = s['propagation.range_km'] * 1000;
	const baseHeightM = site.antennaHeightM ?? s['propagation.default_height_m'];
	const stepM = ctx.stepM ?? 100;
	const withTerrain = ctx.terrain !== null && !ctx.terrain.isEmpty;
	const g = geometry && (geometry.azimuthDeg || !withTerrain) ? geometry : siteGeometry(grid, site.position, rangeM, withTerrain);
	const [west, south] = offset(offset(site.position, 180, rangeM), 270, rangeM);
	const [east, north] = offset(offset(site.position, 0, rangeM), 90, rangeM);
	const edges = withTerrain && ctx.terrain!.meets(west, south, east, north) ? terrainEdges(g, ctx.terrain!, site.position, rangeM, stepM, baseHeightM, budget.mobileHeightM) : null;
	// Every model here is affine in log₁₀ d for a fixed band, heights and settlement (Hata's
	// (44.9 − 6.55 log hb) log d; the corrections do not depend on d): two evaluations per
	// settlement give it for every cell.
	const affine = new Map<Settlement, [number, number]>();
	const affineOf = (settlement: Settlement) => {
		let ab = affine.get(settlement);
		if (!ab) {
			const at1 = settlementLoss(budget.freqMhz, settlement, baseHeightM, budget.mobileHeightM, 1).lossDb;
			const at10 = settlementLoss(budget.freqMhz, settlement, baseHeightM, budget.mobileHeightM, 10).lossDb;
			affine.set(settlement, (ab = [at1, at10 - at1]));
		}
		return ab;
	};
	return {
		geometry: g,
		flatDbm: (k) => {
			const [a, b] = affineOf(ctx.settlementOf(g.cells[k]));
			return receivedDbm(budget, a + b * g.log10Km[k]);
		},
		obstructionDb: (k) => (edges ? obstructionFromEdges(edges.at(k), EDGES_PER_PATH * k, budget.freqMhz) : 0)
	};
}

/**
 * The predicted level (dBm) of every cell of `grid` within range of `site`: the link budget, the
 * settlement's path loss and, with a DEM, the terrain obstruction read from the site's radial sweep.
 * `geometry` (from {@link siteGeometry}, with azimuths when there is terrain) can be shared by the
 * site's technologies.
 */
export function predictSite(site: PredictionSite, ctx: PredictionContext, grid: CellGrid, geometry?: SiteGeometry): SiteLevels {
	const m = siteModel(site, ctx, grid, geometry);
	const dbm = new Float64Array(m.geometry.cells.length);
	for (let k = 0; k < dbm.length; k++) dbm[k] = m.flatDbm(k) - m.obstructionDb(k);
	return { cells: m.geometry.cells, dbm };
}

/**
 * Adds site number `n` to running best servers (as {@link bestServer} over all sites, in any
 * order): terrain only ever takes signal away, so a cell whose best level so far beats this site's
 * flat-ground level cannot change, and its profile is never read. With sites in arbitrary order a
 * cell reads the profiles of the few sites that break its record (about ln K of K), not of all.
 */
export function addSite(best: BestServers, n: number, site: PredictionSite, ctx: PredictionContext, grid: CellGrid, geometry?: SiteGeometry): void {
	const m = siteModel(site, ctx, grid, geometry);
	const cells = m.geometry.cells;
	for (let k = 0; k < cells.length; k++) {
		const i = cells[k];
		const current = best.dbm[i];
		const flat = m.flatDbm(k);
		if (flat < current) continue; // false for NaN: a cell nobody reaches yet is always taken
		const level = flat - m.obstructionDb(k);
		if (Number.isNaN(current) || level > current || (level === current && n < best.site[i])) {
			best.dbm[i] = level;
			best.site[i] = n;
		}
	}
}

/** A site's Deygout edges, found cell by cell as they are asked for (its other bands reuse them). */
interface LazyEdges {
	key: string;
	/** The edges of every cell, cell k's (at EDGES_PER_PATH · k) computed on this first call for it. */
	at(k: number): Float64Array;
}

/**
 * The Deygout edges of a site's cells (radial-obstruction.ts), kept on its geometry: one radial
 * sweep on first use, then each cell's path read from its nearest radial when first asked for.
 * Cells within two steps of the site have no terrain between (edges −∞).
 */
function terrainEdges(g: SiteGeometry, terrain: Terrain, position: [number, number], rangeM: number, stepM: number, baseHeightM: number, mobileHeightM: number): LazyEdges {
	const key = `${baseHeightM}|${mobileHeightM}|${stepM}|${rangeM}`;
	if (g.edges?.key === key) return g.edges;
	const values = new Float64Array(EDGES_PER_PATH * g.cells.length).fill(-Infinity);
	const done = new Uint8Array(g.cells.length);
	let rows: Float64Array[] | null = null;
	let scratch: EdgeScratch | null = null;
	const edges: LazyEdges = {
		key,
		at: (k) => {
			if (done[k] === 0) {
				done[k] = 1;
				if (g.distanceM[k] > 2 * stepM) {
					rows ??= filledRows(radialSweep(terrain, position, rangeM, stepM, Math.ceil((2 * Math.PI * rangeM) / stepM)));
					scratch ??= edgeScratch(rows[0].length);
					pathEdges(rows, stepM, g.azimuthDeg![k], g.distanceM[k], baseHeightM, mobileHeightM, scratch, values, EDGES_PER_PATH * k);
				}
			}
			return values;
		}
	};
	g.edges = edges;
	return edges;
}

/** A site's levels by cell (tests, and single-site views). */
export function levelsByCell(grid: CellGrid, levels: SiteLevels): Map<string, number> {
	return new Map(Array.from(levels.cells, (cell, i) => [grid.cells[cell], levels.dbm[i]]));
}

/** The best server of every cell of a grid: its level (NaN where no site reaches) and site (−1 for none). */
export interface BestServers {
	dbm: Float64Array;
	site: Int32Array;
}

/**
 * The best server per cell over sites numbered 0, 1, …: the strongest level, ties to the smaller
 * site number (number sites in a fixed order, e.g. by code, so the answer does not depend on the
 * order they arrive in).
 */
export function bestServer(size: number, perSite: Iterable<[site: number, levels: SiteLevels]>): BestServers {
	const dbm = new Float64Array(size).fill(NaN);
	const site = new Int32Array(size).fill(-1);
	for (const [n, levels] of perSite) {
		for (let k = 0; k < levels.cells.length; k++) {
			const cell = levels.cells[k];
			const level = levels.dbm[k];
			const current = dbm[cell];
			if (Number.isNaN(current) || level > current || (level === current && n < site[cell])) {
				dbm[cell] = level;
				site[cell] = n;
			}
		}
	}
	return { dbm, site };
}
