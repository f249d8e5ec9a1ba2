import type { CellGrid } from '../propagation/cell-grid';
import type { Settlement } from '../propagation/link-budget';
import { predictSite, siteGeometry } from '../propagation/predict';
import type { Terrain } from '../propagation/terrain';
import type { Settings } from '../settings/definitions';
import { signalMetricOf, thresholdsFromSettings, type Technology } from '../signal/classes';
import type { CandidateSite, SiteType } from './candidates';

/**
 * What a candidate site would cover: the demand cells its predicted signal (src/lib/propagation,
 * with terrain when a DEM is loaded) lifts to at least fair for the technology — the cover sets the
 * solver chooses among. A small cell is the same model with its own power, antenna gain, height
 * and a shorter range (the `planning.small_cell.*` settings); a macro tower the operator's own
 * budget at the macro height. Pure.
 */

/** The settings a site type is predicted with (the propagation settings, with the type's radio). */
export function settingsForSiteType(s: Settings, type: SiteType, technology: Technology): Settings {
	if (type === 'macro') return s;
	return {
		...s,
		[`propagation.${technology}.tx_dbm`]: technology === '4G' || technology === '5G' ? s['planning.small_cell.tx_dbm'] : s[`propagation.${technology}.tx_dbm`],
		'propagation.antenna_gain_dbi': s['planning.small_cell.antenna_gain_dbi'],
		'propagation.range_km': Math.min(s['propagation.range_km'], s['planning.small_cell.range_km'])
	} as Settings;
}

/** The lowest level that counts as fair for a technology (RSRP for 4G/5G, RSSI/RSCP for 2G/3G). */
export const fairFloorDbm = (s: Settings, technology: Technology) => thresholdsFromSettings(s)[signalMetricOf(technology)].fair;

export interface CoverageContext {
	technology: Technology;
	operatorCode: string;
	settings: Settings;
	settlementOf: (cell: number) => Settlement;
	terrain: Terrain | null;
}

/**
 * For each candidate, the cells of `grid` (the demand cells) it would serve at least fair, as
 * ascending cell numbers, and the predicted level at each. `onSite` reports progress.
 */
export function coverSetsOf(
	candidates: readonly CandidateSite[],
	grid: CellGrid,
	ctx: CoverageContext,
	onSite?: (done: number, total: number) => void
): { covers: Int32Array[]; levels: Float64Array[] } {
	const floor = fairFloorDbm(ctx.settings, ctx.technology);
	const withTerrain = ctx.terrain !== null && !ctx.terrain.isEmpty;
	const byType = new Map<SiteType, Settings>();
	const covers: Int32Array[] = [];
	const levels: Float64Array[] = [];
	candidates.forEach((c, i) => {
		if (i % 25 === 0) onSite?.(i, candidates.length);
		let settings = byType.get(c.type);
		if (!settings) byType.set(c.type, (settings = settingsForSiteType(ctx.settings, c.type, ctx.technology)));
		const site = { id: c.id, position: c.position, antennaHeightM: c.heightM };
		const context = { technology: ctx.technology, operatorCode: ctx.operatorCode, settings, settlementOf: ctx.settlementOf, terrain: null };
		// Flat ground first: terrain only takes signal away, so a cell below the floor there stays
		// below it, and the terrain sweep need only reach the farthest cell that could still be served
		// (its cost grows with the square of the range).
		const around = siteGeometry(grid, c.position, settings['propagation.range_km'] * 1000, false);
		const flat = predictSite(site, context, grid, around);
		let reachM = 0;
		for (let k = 0; k < flat.cells.length; k++) if (flat.dbm[k] >= floor) reachM = Math.max(reachM, around.distanceM[k]);
		let predicted = flat;
		if (reachM > 0 && withTerrain) {
			const reach = { ...settings, 'propagation.range_km': Math.min(settings['propagation.range_km'], (reachM + 200) / 1000) } as Settings;
			predicted = predictSite(site, { ...context, settings: reach, terrain: ctx.terrain }, grid, siteGeometry(grid, c.position, reach['propagation.range_km'] * 1000, true));
		}
		const order: number[] = [];
		for (let k = 0; k < predicted.cells.length; k++) if (predicted.dbm[k] >= floor) order.push(k);
		order.sort((a, b) => predicted.cells[a] - predicted.cells[b]);
		covers.push(Int32Array.from(order, (k) => predicted.cells[k]));
		levels.push(Float64Array.from(order, (k) => predicted.dbm[k]));
	});
	onSite?.(candidates.length, candidates.length);
	return { covers, levels };
}
