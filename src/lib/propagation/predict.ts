import { cellToLatLng, gridDisk, latLngToCell } from 'h3-js';
import type { Settings } from '../settings/definitions';
import type { Technology } from '../signal/classes';
import { terrainObstructionLoss } from './knife-edge';
import { linkBudgetOf, receivedDbm, settlementLoss, type Settlement } from './link-budget';
import { bearing, profileAlong, radialSweep, type Terrain } from './terrain';

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
	settings: Settings;
	/** The settlement of a cell (from population density, else rural). */
	settlementOf: (cell: string) => Settlement;
	/** Terrain, or null to run flat (and say so). */
	terrain: Terrain | null;
	/** Radial sampling step, m (default 100: about a res-9 cell's edge). */
	stepM?: number;
}

/** H3 res-9 centre spacing is ~300 m (edge 174 m × √3): rings needed to reach a range. */
const RES9_SPACING_M = 174.4 * Math.sqrt(3);

/** A site's cells within range, with their distance and azimuth: shared by every technology of the site. */
export interface SiteGeometry {
	cells: string[];
	distanceM: Float64Array;
	azimuthDeg: Float64Array;
}

/** The res-9 cells whose centre lies within `rangeM` of a position. */
export function siteGeometry(position: [number, number], rangeM: number): SiteGeometry {
	const [lng, lat] = position;
	const cells: string[] = [];
	const distances: number[] = [];
	const azimuths: number[] = [];
	for (const cell of gridDisk(latLngToCell(lat, lng, 9), Math.ceil(rangeM / RES9_SPACING_M))) {
		const [cLat, cLng] = cellToLatLng(cell);
		const { azimuthDeg, distanceM } = bearing(position, [cLng, cLat]);
		if (distanceM > rangeM) continue;
		cells.push(cell);
		distances.push(distanceM);
		azimuths.push(azimuthDeg);
	}
	return { cells, distanceM: Float64Array.from(distances), azimuthDeg: Float64Array.from(azimuths) };
}

/**
 * The predicted level (dBm) of every res-9 cell within range of `site` (`geometry`: its cells, from
 * {@link siteGeometry}, computed once per site whatever the technologies).
 */
export function predictSite(site: PredictionSite, ctx: PredictionContext, geometry?: SiteGeometry): Map<string, number> {
	const s = ctx.settings;
	const budget = linkBudgetOf(ctx.technology, s);
	const rangeM = s['propagation.range_km'] * 1000;
	const baseHeightM = site.antennaHeightM ?? s['propagation.default_height_m'];
	const stepM = ctx.stepM ?? 100;
	const sweep = ctx.terrain && !ctx.terrain.isEmpty ? radialSweep(ctx.terrain, site.position, rangeM, stepM, Math.ceil((2 * Math.PI * rangeM) / stepM)) : null;
	// Every model here is affine in log₁₀ d for a fixed band, heights and settlement (Hata's
	// (44.9 − 6.55 log hb) log d; the corrections do not depend on d): two evaluations per
	// settlement give it for every cell.
	const affine = new Map<Settlement, [number, number]>();
	const lossAt = (settlement: Settlement, dKm: number) => {
		let ab = affine.get(settlement);
		if (!ab) {
			const at1 = settlementLoss(budget.freqMhz, settlement, baseHeightM, budget.mobileHeightM, 1).lossDb;
			const at10 = settlementLoss(budget.freqMhz, settlement, baseHeightM, budget.mobileHeightM, 10).lossDb;
			affine.set(settlement, (ab = [at1, at10 - at1]));
		}
		return ab[0] + ab[1] * Math.log10(dKm);
	};
	const g = geometry ?? siteGeometry(site.position, rangeM);
	const out = new Map<string, number>();
	for (let i = 0; i < g.cells.length; i++) {
		const cell = g.cells[i];
		const distanceM = g.distanceM[i];
		if (distanceM > rangeM) continue;
		// Inside the first 100 m the empirical models do not apply; the cell of the site takes their value at 100 m.
		const loss = lossAt(ctx.settlementOf(cell), Math.max(0.1, distanceM / 1000));
		const obstruction = sweep && distanceM > 2 * stepM ? terrainObstructionLoss(profileAlong(sweep, g.azimuthDeg[i], distanceM), baseHeightM, budget.mobileHeightM, budget.freqMhz).lossDb : 0;
		out.set(cell, receivedDbm(budget, loss, obstruction));
	}
	return out;
}

/** The best server per cell: the strongest predicted level of any site, and which site. */
export function bestServer(perSite: Iterable<[siteId: string, levels: Map<string, number>]>): Map<string, { dbm: number; siteId: string }> {
	const best = new Map<string, { dbm: number; siteId: string }>();
	for (const [siteId, levels] of perSite) {
		for (const [cell, dbm] of levels) {
			const current = best.get(cell);
			// Ties go to the smaller site id, so the answer does not depend on the order of sites.
			if (!current || dbm > current.dbm || (dbm === current.dbm && siteId < current.siteId)) best.set(cell, { dbm, siteId });
		}
	}
	return best;
}
