import { cellToBoundary } from 'h3-js';
import type { Bbox } from '../api/params';
import { ANY, dayOf } from '../coverage/measured';
import { cellCenter } from '../grid/h3';
import { isoDay, measuredCellsVersion, storedCells } from './coverage-cells';
import type { Database } from './db/index';
import { householdLayer, householdsAt, householdsVersion, res9CellsOf, type CommuneRef } from './households';
import { readSettings } from './settings';
import { csvField } from '../text/csv';

/**
 * Stale and unmapped cells: populated cells with no report of any operator within
 * `stale.after_days` (stale) or none at all (unmapped), ranked by households — where community
 * digital teams should go and measure. Res 8 for everyone, 9 for planners.
 */

export interface StaleCell {
	h3: string;
	households: number;
	/** The last day with a report (ISO date), or null: never measured. */
	lastObserved: string | null;
	communes: CommuneRef[];
}

export const staleVersion = async (db: Database) => `${await measuredCellsVersion(db)}|${await householdsVersion(db)}`;

export async function staleCells(db: Database, { res, bbox, today = new Date() }: { res: 8 | 9; bbox: Bbox | null; today?: Date }): Promise<StaleCell[]> {
	const [settings, layer, measured] = await Promise.all([readSettings(db), householdLayer(db), measuredCellsVersion(db).then((v) => storedCells(db, res, ANY, ANY, v))]);
	const lastDay = new Map(measured.map((c) => [c.h3, c.lastDay]));
	const since = dayOf(today.toISOString()) - settings['stale.after_days'];
	const out: StaleCell[] = [];
	for (const [h3, households] of householdsAt(layer, res)) {
		if (!(households > 0)) continue;
		const last = lastDay.get(h3);
		if (last !== undefined && last >= since) continue;
		if (bbox) {
			const [lng, lat] = cellCenter(h3);
			if (lng < bbox[0] || lng > bbox[2] || lat < bbox[1] || lat > bbox[3]) continue;
		}
		const communes = new Map<string, CommuneRef>();
		for (const child of res9CellsOf(h3, res)) for (const ref of layer.communesOf.get(child) ?? []) communes.set(`${ref.set}:${ref.code}`, ref);
		out.push({ h3, households, lastObserved: last === undefined ? null : isoDay(last), communes: [...communes.values()] });
	}
	return out.sort((a, b) => b.households - a.households || (a.h3 < b.h3 ? -1 : 1));
}

/** Stale cells as CSV (one row per cell, communes joined) or GeoJSON (cell outlines). */
export function staleExport(cells: readonly StaleCell[], format: 'csv' | 'geojson'): string {
	if (format === 'csv') {
		const lines = ['h3,lng,lat,households,last_observed,communes'];
		for (const c of cells) {
			const [lng, lat] = cellCenter(c.h3);
			lines.push([c.h3, lng.toFixed(6), lat.toFixed(6), c.households.toFixed(1), c.lastObserved ?? '', csvField(c.communes.map((r) => `${r.name} (${r.code}, ${r.set})`).join('; '))].join(','));
		}
		return lines.join('\n') + '\n';
	}
	return JSON.stringify({
		type: 'FeatureCollection',
		features: cells.map((c, rank) => ({
			type: 'Feature',
			id: c.h3,
			geometry: { type: 'Polygon', coordinates: [cellToBoundary(c.h3, true)] },
			properties: { h3: c.h3, rank: rank + 1, households: Math.round(c.households * 10) / 10, lastObserved: c.lastObserved, communes: c.communes }
		}))
	});
}
