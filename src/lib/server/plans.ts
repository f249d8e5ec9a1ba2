import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { MultiLineString, MultiPolygon, Polygon } from 'geojson';
import { ANY } from '../coverage/measured';
import { addCellsOfArea, cellCenter, cellOfPosition, type AreaGeometry } from '../grid/h3';
import { buildCandidates, type CandidateSite, type HostFacility, type HostTower, type SiteTypeSpec } from '../planning/candidates';
import { demandOf, weightsFromSettings, type DemandCell, type DemandCellInput } from '../planning/demand';
import { explainSite } from '../planning/explain';
import type { PlanSite } from '../planning/export';
import { planOutcome, type PlanVillage } from '../planning/scenario';
import type { ScenarioOptions } from '../planning/scenario-options';
import { coverSetsOf } from '../planning/site-coverage';
import { solveMclp } from '../planning/solve';
import { CellGrid } from '../propagation/cell-grid';
import type { Settings } from '../settings/definitions';
import type { Technology } from '../signal/classes';
import { readDataVersion } from './data-version';
import { readAnalysisVersions } from './analysis-versions';
import { deadZones } from './dead-zones';
import type { Database } from './db/index';
import { fusedCells, operatorCodes, type FusedRow } from './fused';
import { householdLayer } from './households';
import { openReportsAt } from './open-reports';
import { readPopulation, readTerrain, settlementsOf } from './predicted';
import { readSettings } from './settings';
import { villageStatuses } from './villages';

/**
 * Running a scenario (issue 16): demand from the fused layers, candidates from the grid, other
 * operators' towers, public sites and the planner's points, cover sets by prediction, the solver
 * (src/lib/planning/solve.ts), then each site explained. The operator's own sites are locked in:
 * the fused layer already counts what they serve, so demand is what they leave. Reads only;
 * saving is `saveScenario`.
 */

export const PLAN_STAGES = ['demand', 'candidates', 'covers', 'solve', 'explain'] as const;
export type PlanStage = (typeof PLAN_STAGES)[number];
export type PlanProgress = (stage: PlanStage, done: number, total: number) => void;

export type { PlanSite };

export interface PlanResult {
	operator: string;
	sites: PlanSite[];
	communes: { code: string; name: string; households: number; servedBefore: number; servedAfter: number }[];
	householdsNewlyCovered: number;
	demandHouseholds: number;
	solver: { coveredWeight: number; totalWeight: number; upperBound: number; gap: number; method: string };
	stats: {
		demandCells: number;
		candidates: number;
		excluded: number;
		noBackhaul: number;
		lockedSites: number;
		terrain: boolean;
		/** Milliseconds per stage. */
		ms: Record<PlanStage, number>;
	};
	builtFrom: string;
}

export class PlanError extends Error {
	constructor(
		readonly field: string,
		message: string
	) {
		super(`${field}: ${message}`);
	}
}

const unservedClass = (r: FusedRow | undefined) => !r || r.fused.class === null || r.fused.class === 'poor' || r.fused.class === 'dead';

/** The res-9 cells of the planned area: chosen communes, a polygon, or every 2025 commune. */
async function areaCells(db: Database, o: ScenarioOptions): Promise<Set<string>> {
	if (o.polygon) return addCellsOfArea(o.polygon as AreaGeometry, 9);
	const rows = await db.rows<{ code: string; g: string }>(
		o.communes.length > 0
			? sql`select code, ST_AsGeoJSON(geom, 7) as g from communes where boundary_set = '2025' and code = any(${`{${o.communes.join(',')}}`}::text[])`
			: sql`select code, ST_AsGeoJSON(geom, 7) as g from communes where boundary_set = '2025'`
	);
	const missing = o.communes.filter((c) => !rows.some((r) => r.code === c));
	if (missing.length > 0) throw new PlanError('communes', `no 2025 commune with code ${missing.join(', ')}`);
	if (rows.length === 0) throw new PlanError('communes', 'no communes are loaded to plan in');
	const cells = new Set<string>();
	for (const r of rows) addCellsOfArea(JSON.parse(r.g) as AreaGeometry, 9, cells);
	return cells;
}

const sortedRows = (rows: FusedRow[]) => new Map(rows.map((r) => [r.h3, r]));

/**
 * Cover sets already predicted, per database: for one context (the DEM, population and settings
 * versions, operator, technology and the demand cells) each candidate's covered demand indices, by
 * its id and height. A planner changing only p, the budget or the site types runs again without
 * predicting again; anything else the prediction rests on gives a new context. Four are kept.
 */
const coverCaches = new WeakMap<object, Map<string, Map<string, Int32Array>>>();

async function coverSets(
	db: Database,
	candidates: readonly CandidateSite[],
	demand: readonly DemandCell[],
	grid: CellGrid,
	o: { operator: string; technology: Technology; settings: Settings },
	onSite: (done: number, total: number) => void
): Promise<Int32Array[]> {
	const versions = await readDataVersion(db, ['dem', 'population', 'settings']);
	const context = `${versions}|${o.operator}|${o.technology}|${demand.length}:${createHash('sha256').update(demand.map((d) => d.h3).join(',')).digest('base64')}`;
	let contexts = coverCaches.get(db.orm as object);
	if (!contexts) coverCaches.set(db.orm as object, (contexts = new Map()));
	let known = contexts.get(context);
	if (!known) {
		contexts.set(context, (known = new Map()));
		while (contexts.size > 4) contexts.delete(contexts.keys().next().value!);
	}
	const keyOf = (c: CandidateSite) => `${c.id}|${c.heightM}`;
	const missing = candidates.filter((c) => !known.has(keyOf(c)));
	if (missing.length > 0) {
		const demandIndex = new Map(demand.map((d, i) => [d.h3, i]));
		const toDemand = Int32Array.from(grid.cells, (c) => demandIndex.get(c)!);
		const terrain = await readTerrain(db);
		const settlements = settlementsOf(grid, await readPopulation(db), o.settings);
		const { covers } = coverSetsOf(
			missing,
			grid,
			{ technology: o.technology, operatorCode: o.operator, settings: o.settings, settlementOf: (i) => settlements[i], terrain: terrain.isEmpty ? null : terrain },
			onSite
		);
		missing.forEach((c, i) => known.set(keyOf(c), Int32Array.from(covers[i], (g) => toDemand[g]).sort()));
	} else onSite(candidates.length, candidates.length);
	return candidates.map((c) => known.get(keyOf(c))!);
}

export async function runScenario(db: Database, o: ScenarioOptions, onProgress: PlanProgress = () => {}): Promise<PlanResult> {
	const ms = Object.fromEntries(PLAN_STAGES.map((s) => [s, 0])) as Record<PlanStage, number>;
	let t = performance.now();
	const lap = (stage: PlanStage) => {
		const now = performance.now();
		ms[stage] = now - t;
		t = now;
	};
	const operators = await operatorCodes(db);
	if (!operators.includes(o.operator)) throw new PlanError('operator', `unknown operator "${o.operator}" (known: ${operators.join(', ')})`);
	const settings = await readSettings(db);
	const versions = await readAnalysisVersions(db);

	// Demand.
	onProgress('demand', 0, 1);
	const area = await areaCells(db, o);
	const layer = await householdLayer(db, versions.households);
	const demandOperators = o.shared ? operators : [o.demandFor === 'all' ? ANY : o.operator];
	const fusedBy = new Map<string, Map<string, FusedRow>>();
	for (const op of new Set([...demandOperators, o.operator]))
		fusedBy.set(op, sortedRows(await fusedCells(db, { res: 9, operator: op, technology: ANY, minReporters: 1 }, versions.fused)));
	const zones = await deadZones(db, { res: 9, operator: o.demandFor === 'all' && !o.shared ? null : o.operator, minReporters: 1 }, { versions });
	const zoneOf = new Map<string, number>();
	for (const z of zones.zones) for (const c of z.cells) zoneOf.set(c, z.id);
	const villages = (await villageStatuses(db, { operator: o.demandFor === 'all' && !o.shared ? null : o.operator, minReporters: 1 }, { versions })).filter((v) => area.has(cellOfPosition(v.position)));
	const flaggedCells = new Set<string>();
	for (const v of villages) if (v.evidence.status !== 'co_song') for (const c of v.evidence.unservedCells) flaggedCells.add(c);
	const facilityRows = await db.rows<{ facility_type: string; name: string | null; lng: number; lat: number }>(sql`
		select facility_type, name, ST_X(geom) as lng, ST_Y(geom) as lat from facilities order by id`);
	const facilitiesPerCell = new Map<string, number>();
	for (const f of facilityRows)
		if (f.facility_type === 'school' || f.facility_type === 'health_station' || f.facility_type === 'commune_office') {
			const c = cellOfPosition([f.lng, f.lat]);
			facilitiesPerCell.set(c, (facilitiesPerCell.get(c) ?? 0) + 1);
		}
	const since = new Date(Date.now() - settings['deadzone.open_report_days'] * 86_400_000);
	const areaList = [...area].sort();
	const open = await openReportsAt(db, areaList, since, versions.fused);
	const commune2025 = (cell: string) => layer.communesOf.get(cell)?.find((c) => c.set === '2025') ?? null;
	const inputs: DemandCellInput[] = [];
	for (const h3 of areaList) {
		const households = layer.households.get(h3) ?? 0;
		// A shared site counts a household once for every operator that does not serve it.
		const unservedFor = demandOperators.filter((op) => unservedClass(fusedBy.get(op)!.get(h3))).length;
		if (unservedFor === 0) continue;
		inputs.push({
			h3,
			unserved: true,
			households: households * unservedFor,
			openReporters: open.get(h3)?.reporters.length ?? 0,
			inFlaggedVillage: flaggedCells.has(h3),
			facilities: facilitiesPerCell.get(h3) ?? 0,
			communeCode: commune2025(h3)?.code ?? null,
			zoneId: zoneOf.get(h3) ?? null
		});
	}
	const demand = demandOf(inputs, weightsFromSettings(settings));
	onProgress('demand', 1, 1);
	lap('demand');

	// Candidates.
	onProgress('candidates', 0, 1);
	const towers = await db.rows<{ operator_code: string; site_code: string; antenna_height_m: number | null; lng: number; lat: number }>(sql`
		select distinct on (operator_code, site_code) operator_code, site_code, antenna_height_m, ST_X(geom) as lng, ST_Y(geom) as lat
		from towers order by operator_code, site_code, source`);
	const fiber = await db.rows<{ g: string }>(sql`select ST_AsGeoJSON(geom, 6) as g from fiber_routes`);
	const exclusions = await db.rows<{ g: string }>(sql`select ST_AsGeoJSON(geom, 7) as g from exclusion_zones`);
	const demandCentres = demand.map((d) => cellCenter(d.h3));
	const nearArea = (p: [number, number]) => area.has(cellOfPosition(p));
	const otherTowers: HostTower[] = towers
		.filter((r) => r.operator_code !== o.operator && nearArea([r.lng, r.lat]))
		.map((r) => ({ operator: r.operator_code, site: r.site_code, position: [r.lng, r.lat], heightM: r.antenna_height_m }));
	const facilities: HostFacility[] = facilityRows.filter((f) => nearArea([f.lng, f.lat])).map((f) => ({ position: [f.lng, f.lat], facilityType: f.facility_type, name: f.name }));
	const spec = (type: SiteTypeSpec['type']): SiteTypeSpec =>
		type === 'macro' ? { type, heightM: settings['planning.macro.height_m'], cost: settings['planning.macro.cost'] } : { type, heightM: settings['planning.small_cell.height_m'], cost: settings['planning.small_cell.cost'] };
	const built = buildCandidates({
		demand: demandCentres,
		spacingKm: o.spacingKm,
		siteTypes: o.siteTypes.map(spec),
		otherTowers,
		facilities,
		plannerPoints: o.plannerPoints,
		exclusions: exclusions.map((r) => JSON.parse(r.g) as Polygon | MultiPolygon),
		backhaul: { points: towers.map((r) => [r.lng, r.lat]), lines: fiber.flatMap((r) => (JSON.parse(r.g) as MultiLineString).coordinates as [number, number][][]) },
		colocationCostShare: settings['planning.colocation_cost_share'],
		smallCellMaxBackhaulKm: settings['planning.small_cell.max_backhaul_km']
	});
	onProgress('candidates', 1, 1);
	lap('candidates');

	// Cover sets: the demand cells each candidate's predicted signal lifts to at least fair.
	const grid = new CellGrid(demand.map((d) => d.h3));
	const covers = await coverSets(db, built.candidates, demand, grid, { operator: o.operator, technology: o.technology, settings }, (done, total) => onProgress('covers', done, total));
	lap('covers');

	// Solve.
	onProgress('solve', 0, 1);
	const solved = await solveMclp(
		{ weights: Float64Array.from(demand, (d) => d.weight), costs: Float64Array.from(built.candidates, (c) => c.cost), covers, existing: new Uint8Array(built.candidates.length), maxSites: o.p, budget: o.budget },
		{ timeLimitS: o.timeLimitS }
	);
	onProgress('solve', 1, 1);
	lap('solve');

	// Explain.
	onProgress('explain', 0, 1);
	const planVillages: PlanVillage[] = villages.map((v) => ({
		id: v.id,
		name: v.name,
		communeCode: v.communeCode,
		status: v.evidence.status,
		centreCell: cellOfPosition(v.position),
		unservedCells: v.evidence.unservedCells,
		unservedHouseholds: v.evidence.unservedHouseholds
	}));
	const communeTotals = new Map<string, { name: string; households: number; served: number }>();
	const own = fusedBy.get(o.operator)!;
	for (const h3 of areaList) {
		const ref = commune2025(h3);
		if (!ref) continue;
		const entry = communeTotals.get(ref.code) ?? { name: ref.name, households: 0, served: 0 };
		const households = layer.households.get(h3) ?? 0;
		entry.households += households;
		if (!unservedClass(own.get(h3))) entry.served += households;
		communeTotals.set(ref.code, entry);
	}
	const outcome = planOutcome({
		demand,
		candidates: built.candidates,
		covers,
		chosen: solved.selected,
		villages: planVillages,
		householdsOf: (h3) => layer.households.get(h3) ?? 0,
		communes: [...communeTotals].map(([communeCode, c]) => ({ communeCode, households: c.households, served: c.served })),
		minVillageHouseholds: settings['village.lom_min_households']
	});
	const operatorNames = new Map((await db.rows<{ code: string; name: string }>(sql`select code, name from operators`)).map((r) => [r.code, r.name]));
	const operatorName = (code: string) => operatorNames.get(code) ?? code;
	const sites: PlanSite[] = outcome.sites.map((s) => {
		const ref = commune2025(cellOfPosition(s.candidate.position));
		const names = { communeName: ref?.name ?? null, operatorName };
		return {
			rank: s.rank,
			key: s.candidate.id,
			type: s.candidate.type,
			source: s.candidate.source,
			position: s.candidate.position,
			cost: s.candidate.cost,
			communeCode: ref?.code ?? null,
			communeName: ref?.name ?? null,
			householdsNewlyCovered: s.householdsNewlyCovered,
			weightNewlyCovered: s.weightNewlyCovered,
			zoneId: s.zoneId,
			zoneShareClosed: s.zoneShareClosed,
			villagesChanged: s.villagesChanged,
			backhaulKm: s.candidate.backhaulKm,
			host: s.candidate.host,
			explanation: { vi: explainSite(s, 'vi', names), en: explainSite(s, 'en', names) },
			newCells: s.newCells,
			coveredCells: s.coveredCells
		};
	});
	onProgress('explain', 1, 1);
	lap('explain');
	return {
		operator: o.operator,
		sites,
		communes: outcome.communes.map((c) => ({ code: c.communeCode, name: communeTotals.get(c.communeCode)!.name, households: c.households, servedBefore: c.servedBefore, servedAfter: c.servedAfter })),
		householdsNewlyCovered: outcome.householdsNewlyCovered,
		demandHouseholds: outcome.demandHouseholds,
		solver: { coveredWeight: solved.coveredWeight, totalWeight: solved.totalWeight, upperBound: solved.upperBound, gap: solved.gap, method: solved.method },
		stats: {
			demandCells: demand.length,
			candidates: built.candidates.length,
			excluded: built.excluded,
			noBackhaul: built.noBackhaul,
			lockedSites: towers.filter((r) => r.operator_code === o.operator && nearArea([r.lng, r.lat])).length,
			terrain: (await db.rows<{ n: number }>(sql`select count(*)::int as n from dem_tiles`))[0].n > 0,
			ms
		},
		builtFrom: `${versions.fused}|${versions.households}|${versions.villages}`
	};
}
