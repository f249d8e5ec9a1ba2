import type { Settings } from '../settings/definitions';
import { TECHNOLOGIES, type Technology } from '../signal/classes';
import type { CellGrid } from './cell-grid';
import type { Settlement } from './link-budget';
import { addSite, siteGeometry, type BestServers, type PredictionSite } from './predict';
import type { Terrain } from './terrain';

/** One operator × technology to predict: its sites, sorted by code (their numbers in the result). */
export interface PredictionGroup {
	op: string;
	tech: Technology;
	sites: PredictionSite[];
}

/** A tower as the predictor groups it: its operator, its technologies and where its antenna is. */
export interface GroupedTower {
	operatorCode: string;
	siteCode: string;
	position: [number, number];
	antennaHeightM: number | null;
	technologies: readonly string[];
}

/**
 * The towers by operator × technology (technologies the model does not know are left out), sites
 * sorted by code and groups by operator then technology: the order results are numbered in.
 */
export function groupsOf(towers: Iterable<GroupedTower>): PredictionGroup[] {
	const groups = new Map<string, PredictionGroup>();
	for (const t of towers) {
		for (const tech of t.technologies) {
			if (!(TECHNOLOGIES as readonly string[]).includes(tech)) continue;
			const key = `${t.operatorCode}|${tech}`;
			let g = groups.get(key);
			if (!g) groups.set(key, (g = { op: t.operatorCode, tech: tech as Technology, sites: [] }));
			g.sites.push({ id: t.siteCode, position: t.position, antennaHeightM: t.antennaHeightM });
		}
	}
	const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
	for (const g of groups.values()) g.sites.sort((a, b) => byText(a.id, b.id));
	return [...groups.values()].sort((a, b) => byText(a.op, b.op) || byText(a.tech, b.tech));
}

/**
 * The best servers of every group on `grid`, site by site with each site's technologies together:
 * its cells, distances and terrain profiles are found once for all its bands and dropped after
 * (a province's sweeps would not fit in memory at once). Pure.
 */
export function predictAll(
	grid: CellGrid,
	groups: readonly PredictionGroup[],
	{ settings, settlementOf, terrain, onSite }: { settings: Settings; settlementOf: (cell: number) => Settlement; terrain: Terrain | null; onSite?: (done: number, total: number, siteId: string) => void }
): BestServers[] {
	const rangeM = settings['propagation.range_km'] * 1000;
	const withTerrain = terrain !== null && !terrain.isEmpty;
	const bests = groups.map(() => ({ dbm: new Float64Array(grid.size).fill(NaN), site: new Int32Array(grid.size).fill(-1) }));
	const contexts = groups.map((g) => ({ technology: g.tech, operatorCode: g.op, settings, settlementOf, terrain: withTerrain ? terrain : null }));
	const bySite = new Map<string, { site: PredictionSite; uses: [group: number, n: number][] }>();
	groups.forEach((g, gi) =>
		g.sites.forEach((site, n) => {
			const key = `${g.op}|${site.id}|${site.position.join(',')}|${site.antennaHeightM}`;
			let entry = bySite.get(key);
			if (!entry) bySite.set(key, (entry = { site, uses: [] }));
			entry.uses.push([gi, n]);
		})
	);
	let done = 0;
	for (const { site, uses } of bySite.values()) {
		onSite?.(done, bySite.size, site.id);
		const geometry = siteGeometry(grid, site.position, rangeM, withTerrain);
		for (const [gi, n] of uses) addSite(bests[gi], n, site, contexts[gi], grid, geometry);
		done++;
	}
	onSite?.(done, bySite.size, '');
	return bests;
}
