import { sql } from 'drizzle-orm';
import { cellArea, cellToChildren, UNITS } from 'h3-js';
import { ANY, dayOf } from '../coverage/measured';
import {
	ANY_OPERATOR,
	countCommunes,
	coverKey,
	crosswalkWeights,
	priorityScore,
	rankByPriority,
	rollUp,
	SCORED_TECHNOLOGIES,
	sharesOf,
	splitCounts,
	type CommuneFacts,
	type ScoreCounts,
	type ScoredCell
} from '../coverage/scorecard';
import { isUsable } from '../coverage/villages';
import { ANALYSIS_LAYERS, type AnalysisVersions } from './analysis-versions';
import { measuredCellsVersion, storedCells } from './coverage-cells';
import { cachePerDatabase, readDataVersions } from './data-version';
import { deadZones } from './dead-zones';
import type { Database } from './db/index';
import { fusedCells, operatorCodes } from './fused';
import { householdLayer, type HouseholdLayer } from './households';
import { readSettings } from './settings';
import { cellsNearTowers, fiberByCommune, lastReportByCommune, medianDownloadByCommune, villagesByCommune, type BoundarySet } from './scorecard-inputs';

/**
 * Commune scorecards (src/lib/coverage/scorecard.ts has the arithmetic) from the public layers:
 * fused estimates with measurements of ≥ k reporters, the public (res-8) dead zones, village
 * statuses, fiber, residents' reports and towers. Aggregates only: nothing here names a reporter
 * or a position. Kept per data version and day; every operator view of a boundary set is computed
 * together (they share the cells).
 */

export type { BoundarySet };

export interface Scorecard {
	code: string;
	name: string;
	set: BoundarySet;
	provinceCode: string | null;
	provinceName: string | null;
	districtCode: string | null;
	/** The operator view: an operator code, or '*' for the best of them. */
	operator: string;
	counts: ScoreCounts;
	shares: ReturnType<typeof sharesOf>;
	/** Share of households covered by each operator (any technology). */
	operatorShares: Record<string, number | null>;
	score: number;
	rank: number;
	/** Median 4G download of the commune's measured cells (report-weighted median of cell medians), or null without speed data. */
	median4GDownloadMbps: number | null;
	/** The last day with a report in the commune (ISO), or null. */
	lastReport: string | null;
	/** Figures carried from the 2025 units through the crosswalk (no pre-2025 polygons). */
	viaCrosswalk: boolean;
	/** The 2025 communes the figures come from (the commune itself in the 2025 set), and their province. */
	successors: string[];
	province2025: string | null;
	synthetic: boolean;
}

export interface ScorecardSet {
	set: BoundarySet;
	operator: string;
	operators: string[];
	scorecards: Scorecard[];
	/** Province roll-ups (rank 0; their score is the sum of their communes'). */
	provinces: Scorecard[];
	/** 2025 communes the crosswalk does not reach (pre-2025 figures leave them out). */
	unmapped: string[];
	/** The data version the figures rest on, and the day. */
	vintage: { version: string; day: string };
}

interface CommuneRow {
	code: string;
	name: string;
	province_code: string | null;
	province_name: string | null;
	district_code: string | null;
	population: number | null;
	households: number | null;
	synthetic: boolean;
}

const LAYERS = ['fiber', 'towers', 'crosswalk', 'reports'] as const;

/** The data version token scorecards rest on (one query: a request reads it before its cached answer). */
export async function scorecardsVersion(db: Database, today = new Date()): Promise<{ versions: AnalysisVersions; token: string }> {
	const { rest, ...versions } = await readDataVersions(db, { ...ANALYSIS_LAYERS, rest: LAYERS });
	return { versions, token: `${versions.fused}|${versions.households}|${versions.villages}|${rest}|${today.toISOString().slice(0, 10)}` };
}

const cache = cachePerDatabase<Map<string, ScorecardSet>>(4);

/**
 * Every commune's scorecard of one boundary set for one operator view ('*': any operator).
 * `fresh`: compute again from the (kept) layers beneath, not from the kept scorecards — the
 * benchmark's per-request baseline.
 */
export async function communeScorecards(
	db: Database,
	{ set, operator }: { set: BoundarySet; operator: string },
	minReporters: number,
	{ today = new Date(), fresh = false }: { today?: Date; fresh?: boolean } = {}
): Promise<ScorecardSet> {
	const { versions, token } = await scorecardsVersion(db, today);
	const compute = () => computeAll(db, set, minReporters, versions, token, today);
	const all = await (fresh ? compute() : cache(db).get(`${set}:k${minReporters}`, token, compute));
	const found = all.get(operator);
	if (!found) throw new RangeError(`operator: no operator "${operator}"; use one of ${[...all.keys()].join(', ')}`);
	return found;
}

async function computeAll(db: Database, set: BoundarySet, minReporters: number, versions: AnalysisVersions, token: string, today: Date): Promise<Map<string, ScorecardSet>> {
	const [settings, layer, operators] = await Promise.all([readSettings(db), householdLayer(db, versions.households), operatorCodes(db)]);
	const views = [...operators, ANY_OPERATOR];
	// Operators with no tower, report or declared map in the data would only add columns of zeros.
	const present = new Set(
		(
			await db.rows<{ code: string }>(sql`
			select operator_code as code from towers union select operator_code from measured_cells where res = 9 union select operator_code from declared_coverage`)
		).map((r) => r.code)
	);
	const shown = operators.filter((op) => present.has(op));
	const coverKeys = views.flatMap((op) => SCORED_TECHNOLOGIES.map((t) => coverKey(op, t)));
	const hasPolygons = [...layer.communesOf.values()].some((refs) => refs.some((r) => r.set === set));
	// Without pre-2025 polygons the old units' figures come from the 2025 ones through the crosswalk.
	const cellSet: BoundarySet = hasPolygons ? set : '2025';
	const communes = await db.rows<CommuneRow>(sql`
		select code, name, province_code, province_name, district_code, population, households, households_synthetic as synthetic
		from communes where boundary_set = ${cellSet} order by code`);
	const cells = await scoredCells(db, { layer, cellSet, views, minReporters, versions, today, settings });
	const villages = await villagesByCommune(db, layer, cellSet, views, minReporters, versions);
	const fiber = await fiberByCommune(db, views);
	const speed = await medianDownloadByCommune(db, layer, cellSet, operators);
	const lastReport = lastReportByCommune(cells.lastDay, layer, cellSet);
	const out = new Map<string, ScorecardSet>();
	for (const view of views) {
		const facts: CommuneFacts[] = communes.map((c) => ({
			code: c.code,
			population: c.population,
			households: c.households,
			villages: villages.get(view)?.get(c.code) ?? [],
			fiber: fiber.get(view)?.get(c.code) ?? null
		}));
		let counts = countCommunes(cells.cells, facts, { view, coverKeys, peoplePerHousehold: layer.peoplePerHousehold });
		let units: { code: string; name: string; provinceCode: string | null; provinceName: string | null; districtCode: string | null; synthetic: boolean }[] = communes.map((c) => ({
			code: c.code,
			name: c.name,
			provinceCode: c.province_code,
			provinceName: c.province_name,
			districtCode: c.district_code,
			synthetic: c.synthetic
		}));
		let unmapped: string[] = [];
		let newOf = new Map<string, string[]>();
		if (cellSet !== set) {
			const split = await splitToPre2025(db, counts);
			counts = split.counts;
			unmapped = split.unmapped;
			units = split.units;
			newOf = split.newOf;
		}
		const rule = { remoteWeight: settings['priority.remote_weight'] };
		const province2025Of = new Map(communes.map((c) => [c.code, c.province_code]));
		const ranked = rankByPriority(units.filter((u) => counts.has(u.code)).map((u) => ({ ...u, score: priorityScore(counts.get(u.code)!, rule) })));
		const scorecards: Scorecard[] = ranked.map((u) => {
			const c = counts.get(u.code)!;
			const sources = cellSet === set ? [u.code] : (newOf.get(u.code) ?? []);
			return {
				code: u.code,
				name: u.name,
				set,
				provinceCode: u.provinceCode,
				provinceName: u.provinceName,
				districtCode: u.districtCode,
				operator: view,
				counts: c,
				shares: sharesOf(c, view),
				operatorShares: sharesByOperator(c, shown),
				score: u.score,
				rank: u.rank,
				// Not additive: a pre-2025 unit takes its successors' best.
				median4GDownloadMbps: maxOrNull(sources.map((s) => speed.get(s) ?? null)),
				lastReport: maxOrNull(sources.map((s) => lastReport.get(s) ?? null)),
				viaCrosswalk: cellSet !== set,
				successors: sources,
				province2025: cellSet === set ? u.provinceCode : (province2025Of.get(sources[0]) ?? null),
				synthetic: u.synthetic
			};
		});
		const provinceName = new Map(units.map((u) => [u.provinceCode, u.provinceName]));
		const provinceOf = new Map(units.map((u) => [u.code, u.provinceCode]));
		const byProvince = rollUp(counts, (code) => provinceOf.get(code) ?? null);
		out.set(view, {
			set,
			operator: view,
			operators: shown,
			scorecards,
			provinces: [...byProvince].map(([code, c]) => {
				const communesOf = scorecards.filter((x) => x.provinceCode === code);
				return {
					...communesOf[0],
					code,
					name: provinceName.get(code) ?? code,
					districtCode: null,
					counts: c,
					shares: sharesOf(c, view),
					operatorShares: sharesByOperator(c, shown),
					score: priorityScore(c, rule),
					rank: 0,
					median4GDownloadMbps: null,
					lastReport: maxOrNull(communesOf.map((x) => x.lastReport)),
					successors: [...new Set(communesOf.flatMap((x) => x.successors))],
					province2025: communesOf[0]?.province2025 ?? null,
					synthetic: communesOf.some((x) => x.synthetic)
				};
			}),
			unmapped,
			vintage: { version: token, day: today.toISOString().slice(0, 10) }
		});
	}
	return out;
}

/** The share of households each operator covers (any technology). */
const sharesByOperator = (c: ScoreCounts, operators: readonly string[]) =>
	Object.fromEntries(operators.map((op) => [op, c.households > 0 ? (c.coveredHouseholds[coverKey(op, '*')] ?? 0) / c.households : null]));

function maxOrNull<T extends number | string>(values: readonly (T | null)[]): T | null {
	let best: T | null = null;
	for (const v of values) if (v !== null && (best === null || v > best)) best = v;
	return best;
}

/** The populated res-9 cells of `cellSet`'s communes with what the scorecards count of them. */
async function scoredCells(
	db: Database,
	{
		layer,
		cellSet,
		views,
		minReporters,
		versions,
		today,
		settings
	}: { layer: HouseholdLayer; cellSet: BoundarySet; views: string[]; minReporters: number; versions: AnalysisVersions; today: Date; settings: Awaited<ReturnType<typeof readSettings>> }
): Promise<{ cells: ScoredCell[]; lastDay: Map<string, number> }> {
	const covered = new Map<string, Set<string>>();
	for (const view of views)
		for (const technology of SCORED_TECHNOLOGIES)
			for (const r of await fusedCells(db, { res: 9, operator: view === ANY_OPERATOR ? ANY : view, technology: technology === '*' ? ANY : technology, minReporters, today }, versions.fused)) {
				if (!isUsable(r.fused.class)) continue;
				const set = covered.get(r.h3) ?? covered.set(r.h3, new Set()).get(r.h3)!;
				set.add(coverKey(view, technology));
			}
	const deadZoneOf = new Map<string, Set<string>>();
	for (const view of views) {
		const zones = await deadZones(db, { res: 8, operator: view === ANY_OPERATOR ? null : view, minReporters, today }, { versions });
		for (const z of zones.zones)
			for (const c of z.cells)
				for (const child of cellToChildren(c, 9)) (deadZoneOf.get(child) ?? deadZoneOf.set(child, new Set()).get(child)!).add(view);
	}
	const near = await cellsNearTowers(db, settings['priority.remote_km']);
	const since = new Date((dayOf(today.toISOString()) - settings['deadzone.open_report_days']) * 86_400_000);
	const open = new Map(
		(
			await db.rows<{ h3: string; n: number }>(sql`
			select to_hex(h3_res9) as h3, count(*)::int as n from signal_reports where source_kind = 'resident' and observed_at >= ${since.toISOString()} group by h3_res9`)
		).map((r) => [r.h3, r.n])
	);
	const lastDay = new Map((await storedCells(db, 9, ANY, ANY, await measuredCellsVersion(db))).map((c) => [c.h3, c.lastDay]));
	const freshFrom = dayOf(today.toISOString()) - settings['stale.after_days'];
	const none = new Set<string>();
	const cells: ScoredCell[] = [];
	for (const [h3, households] of layer.households) {
		const commune = layer.communesOf.get(h3)?.find((r) => r.set === cellSet);
		if (!commune) continue;
		cells.push({
			commune: commune.code,
			households,
			areaKm2: cellArea(h3, UNITS.km2),
			covered: covered.get(h3) ?? none,
			deadZoneOf: deadZoneOf.get(h3) ?? none,
			remote: !near.has(h3),
			openReports: open.get(h3) ?? 0,
			fresh: (lastDay.get(h3) ?? -Infinity) >= freshFrom
		});
	}
	return { cells, lastDay };
}

/** Pre-2025 counts from the 2025 ones through the crosswalk, with the old units' names. */
async function splitToPre2025(db: Database, counts: Map<string, ScoreCounts>) {
	const links = await db.rows<{ old_code: string; old_name: string | null; old_province_code: string | null; new_code: string; share: number }>(sql`
		select old_code, old_name, old_province_code, new_code, share from commune_crosswalk`);
	const old = new Map((await db.rows<{ code: string; name: string; population: number | null; district_code: string | null; province_code: string | null; province_name: string | null }>(sql`
		select code, name, population, district_code, province_code, province_name from communes where boundary_set = 'pre2025'`)).map((r) => [r.code, r]));
	const weights = crosswalkWeights(
		links.map((l) => ({ oldCode: l.old_code, newCode: l.new_code, share: l.share })),
		(code) => old.get(code)?.population ?? null
	);
	const split = splitCounts(counts, weights);
	const newOf = new Map<string, string[]>();
	const units = new Map<string, { code: string; name: string; provinceCode: string | null; provinceName: string | null; districtCode: string | null; synthetic: boolean }>();
	for (const l of links) {
		if (!split.counts.has(l.old_code)) continue;
		newOf.set(l.old_code, [...(newOf.get(l.old_code) ?? []), l.new_code]);
		const o = old.get(l.old_code);
		units.set(l.old_code, {
			code: l.old_code,
			name: o?.name ?? l.old_name ?? l.old_code,
			provinceCode: o?.province_code ?? l.old_province_code,
			provinceName: o?.province_name ?? null,
			districtCode: o?.district_code ?? null,
			synthetic: false
		});
	}
	return { counts: split.counts, unmapped: split.unmapped, units: [...units.values()], newOf };
}
