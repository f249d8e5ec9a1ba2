/**
 * Commune scorecards: what planners report upward per commune — coverage per operator and
 * technology, fiber, dead zones, villages, open reports, evidence freshness — and a priority rank.
 * Pure: the server gathers the facts per res-9 cell and per commune; this module adds them up,
 * derives the shares, ranks, rolls up and splits across boundary sets.
 *
 * Every figure that is split or summed is a count (households, people, km², villages, reports);
 * shares are derived from counts after any sum or split, so the sum of parts equals the whole.
 */

/** The operator views: an operator code, or '*' for the best of them. */
export type OperatorKey = string;
export const ANY_OPERATOR = '*';
export const SCORED_TECHNOLOGIES = ['*', '4G', '5G'] as const;
export type ScoredTechnology = (typeof SCORED_TECHNOLOGIES)[number];

/** One populated res-9 cell as the scorecards see it. */
export interface ScoredCell {
	commune: string;
	households: number;
	areaKm2: number;
	/** Operator views × technology this cell is covered by (best estimate good or fair), as `${operator}|${technology}`. */
	covered: ReadonlySet<string>;
	/** Operator views whose dead zones hold this cell. */
	deadZoneOf: ReadonlySet<string>;
	/** Farther than `priority.remote_km` from every tower. */
	remote: boolean;
	/** Residents' reports in the recency window, and whether any report is fresh (within `stale.after_days`). */
	openReports: number;
	fresh: boolean;
}

export const coverKey = (operator: OperatorKey, technology: ScoredTechnology) => `${operator}|${technology}`;

/** The additive counts of one unit (a commune, a district, a province) for one operator view. */
export interface ScoreCounts {
	households: number;
	/** People: the unit's counted population when known, else households × people per household. */
	population: number;
	/** Households covered, per operator view × technology (`${operator}|${technology}`). */
	coveredHouseholds: Record<string, number>;
	/**
	 * People covered, per the same keys: each commune's population in its covered share of
	 * households, kept as a count so a province's figure is the sum of its communes' (people per
	 * household differ between communes, so a ratio taken after summing would not be).
	 */
	coveredPopulation: Record<string, number>;
	deadZoneHouseholds: number;
	deadZoneAreaKm2: number;
	/** Unserved households (not covered by the view, any technology), and those of them in remote cells. */
	unservedHouseholds: number;
	remoteUnservedHouseholds: number;
	/** Households in cells with a fresh report. */
	freshHouseholds: number;
	openReports: number;
	villages: number;
	trangSong: number;
	lomSong: number;
	/** Villages with grid power, and those of them with service (Decision 2269/QĐ-TTg's target). */
	villagesWithPower: number;
	villagesWithPowerServed: number;
	fiberHouseholdsTotal: number;
	fiberHouseholdsPassed: number;
	fiberHouseholdsConnected: number;
}

/** What is known per commune besides its cells. */
export interface CommuneFacts {
	code: string;
	/** The counted population and households, when the boundary file has them. */
	population: number | null;
	households: number | null;
	villages: readonly { status: 'trang_song' | 'lom_song' | 'co_song'; hasPower: boolean | null }[];
	/** Fiber per reporting unit of the commune: the best operator's households passed and connected (one household counts once). */
	fiber: { total: number; passed: number; connected: number } | null;
}

export const emptyCounts = (): ScoreCounts => ({
	households: 0,
	population: 0,
	coveredHouseholds: {},
	coveredPopulation: {},
	deadZoneHouseholds: 0,
	deadZoneAreaKm2: 0,
	unservedHouseholds: 0,
	remoteUnservedHouseholds: 0,
	freshHouseholds: 0,
	openReports: 0,
	villages: 0,
	trangSong: 0,
	lomSong: 0,
	villagesWithPower: 0,
	villagesWithPowerServed: 0,
	fiberHouseholdsTotal: 0,
	fiberHouseholdsPassed: 0,
	fiberHouseholdsConnected: 0
});

/**
 * The counts of each commune for the operator view `view`, from its populated cells and facts.
 * `coverKeys`: the operator × technology pairs to count coverage for (every view's, so one row can
 * compare operators).
 */
export function countCommunes(
	cells: Iterable<ScoredCell>,
	communes: readonly CommuneFacts[],
	{ view, coverKeys, peoplePerHousehold }: { view: OperatorKey; coverKeys: readonly string[]; peoplePerHousehold: number }
): Map<string, ScoreCounts> {
	const out = new Map<string, ScoreCounts>();
	for (const c of communes) {
		const counts = emptyCounts();
		for (const k of coverKeys) counts.coveredHouseholds[k] = 0;
		out.set(c.code, counts);
	}
	const viewCover = coverKey(view, '*');
	for (const cell of cells) {
		const counts = out.get(cell.commune);
		if (!counts || !(cell.households > 0)) continue;
		const h = cell.households;
		counts.households += h;
		for (const k of coverKeys) if (cell.covered.has(k)) counts.coveredHouseholds[k] += h;
		if (cell.deadZoneOf.has(view)) {
			counts.deadZoneHouseholds += h;
			counts.deadZoneAreaKm2 += cell.areaKm2;
		}
		if (!cell.covered.has(viewCover)) {
			counts.unservedHouseholds += h;
			if (cell.remote) counts.remoteUnservedHouseholds += h;
		}
		if (cell.fresh) counts.freshHouseholds += h;
		counts.openReports += cell.openReports;
	}
	for (const c of communes) {
		const counts = out.get(c.code)!;
		counts.population = c.population ?? counts.households * peoplePerHousehold;
		for (const k of coverKeys) counts.coveredPopulation[k] = counts.households > 0 ? (counts.population * counts.coveredHouseholds[k]) / counts.households : 0;
		for (const v of c.villages) {
			counts.villages++;
			if (v.status === 'trang_song') counts.trangSong++;
			if (v.status === 'lom_song') counts.lomSong++;
			if (v.hasPower) {
				counts.villagesWithPower++;
				if (v.status !== 'trang_song') counts.villagesWithPowerServed++;
			}
		}
		if (c.fiber) {
			counts.fiberHouseholdsTotal += c.fiber.total;
			counts.fiberHouseholdsPassed += c.fiber.passed;
			counts.fiberHouseholdsConnected += c.fiber.connected;
		}
	}
	return out;
}

/** Adds `b` into `a` (both of one view). */
export function addCounts(a: ScoreCounts, b: ScoreCounts, weight = 1): ScoreCounts {
	for (const key of Object.keys(b) as (keyof ScoreCounts)[]) {
		if (key === 'coveredHouseholds' || key === 'coveredPopulation') {
			for (const [k, v] of Object.entries(b[key])) a[key][k] = (a[key][k] ?? 0) + v * weight;
		} else (a[key] as number) += (b[key] as number) * weight;
	}
	return a;
}

/**
 * The priority rule (`priority.*` settings): unserved households, those in remote cells weighted
 * up — score = unserved + remote_weight × remote unserved. Remote gaps come first because operators
 * rarely close them on commercial terms and they are what the Public-Utility Telecom Fund pays for
 * (Decision 2269/QĐ-TTg: remote, border and especially difficult communes; ../shared/DOMAIN.md).
 */
export interface PriorityRule {
	remoteWeight: number;
}

export const priorityScore = (c: Pick<ScoreCounts, 'unservedHouseholds' | 'remoteUnservedHouseholds'>, rule: PriorityRule) =>
	c.unservedHouseholds + rule.remoteWeight * c.remoteUnservedHouseholds;

const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);

/** The derived figures of a unit's counts: shares are null where the whole is 0. */
export function sharesOf(c: ScoreCounts, view: OperatorKey) {
	return {
		coveredShare: share(c.coveredHouseholds[coverKey(view, '*')] ?? 0, c.households),
		share4G: share(c.coveredHouseholds[coverKey(view, '4G')] ?? 0, c.households),
		share5G: share(c.coveredHouseholds[coverKey(view, '5G')] ?? 0, c.households),
		populationCovered: c.coveredPopulation[coverKey(view, '*')] ?? 0,
		population4G: c.coveredPopulation[coverKey(view, '4G')] ?? 0,
		population5G: c.coveredPopulation[coverKey(view, '5G')] ?? 0,
		fiberPassedShare: share(c.fiberHouseholdsPassed, c.fiberHouseholdsTotal),
		fiberConnectedShare: share(c.fiberHouseholdsConnected, c.fiberHouseholdsTotal),
		freshShare: share(c.freshHouseholds, c.households),
		villagesServedShare: share(c.villages - c.trangSong, c.villages),
		villagesWithPowerServedShare: share(c.villagesWithPowerServed, c.villagesWithPower)
	};
}

/** Ranks by score, highest first (1-based; equal scores share a rank, ties listed by code). */
export function rankByPriority<T extends { code: string; score: number }>(rows: readonly T[]): (T & { rank: number })[] {
	const sorted = [...rows].sort((a, b) => b.score - a.score || a.code.localeCompare(b.code));
	let rank = 0;
	return sorted.map((r, i) => {
		if (i === 0 || r.score !== sorted[i - 1].score) rank = i + 1;
		return { ...r, rank };
	});
}

/**
 * One old (pre-2025) commune's part of a new (2025) one, from the crosswalk: `share` is the part of
 * the old commune that went to the new one (1 for a whole merge).
 */
export interface CrosswalkLink {
	oldCode: string;
	newCode: string;
	share: number;
}

/**
 * How each new commune's counts divide among the old communes it was made of: in proportion to
 * share × the old commune's size (its counted population, when every part of the new commune has
 * one; else 1 — the crosswalk's `equal` rule). The weights of each new commune sum to 1, so the old communes' counts add up to
 * the new ones' (and a new commune no link names keeps its counts out of the old set: `unmapped`).
 */
export function crosswalkWeights(links: readonly CrosswalkLink[], oldSize: (oldCode: string) => number | null): Map<string, { oldCode: string; weight: number }[]> {
	const byNew = new Map<string, CrosswalkLink[]>();
	for (const l of links) if (l.share > 0) byNew.set(l.newCode, [...(byNew.get(l.newCode) ?? []), l]);
	const out = new Map<string, { oldCode: string; weight: number }[]>();
	for (const [newCode, list] of byNew) {
		// Sizes only when every part has one: a size beside a unit weight would mean nothing.
		const sized = list.every((l) => (oldSize(l.oldCode) ?? 0) > 0);
		const raw = list.map((l) => l.share * (sized ? oldSize(l.oldCode)! : 1));
		const total = raw.reduce((s, x) => s + x, 0);
		out.set(
			newCode,
			list.map((l, i) => ({ oldCode: l.oldCode, weight: raw[i] / total }))
		);
	}
	return out;
}

/** The old communes' counts from the new ones' through {@link crosswalkWeights}; `unmapped`: the new codes with no link. */
export function splitCounts(
	counts: ReadonlyMap<string, ScoreCounts>,
	weights: ReadonlyMap<string, readonly { oldCode: string; weight: number }[]>
): { counts: Map<string, ScoreCounts>; unmapped: string[] } {
	const out = new Map<string, ScoreCounts>();
	const unmapped: string[] = [];
	for (const [newCode, c] of counts) {
		const parts = weights.get(newCode);
		if (!parts) {
			unmapped.push(newCode);
			continue;
		}
		for (const { oldCode, weight } of parts) addCounts(out.get(oldCode) ?? out.set(oldCode, emptyCounts()).get(oldCode)!, c, weight);
	}
	return { counts: out, unmapped: unmapped.sort() };
}

/** The sum of units' counts by a grouping (districts, provinces). */
export function rollUp(counts: ReadonlyMap<string, ScoreCounts>, groupOf: (code: string) => string | null): Map<string, ScoreCounts> {
	const out = new Map<string, ScoreCounts>();
	for (const [code, c] of counts) {
		const group = groupOf(code);
		if (group === null) continue;
		addCounts(out.get(group) ?? out.set(group, emptyCounts()).get(group)!, c);
	}
	return out;
}
