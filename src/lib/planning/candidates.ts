import { booleanPointInPolygon } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';

/**
 * Where a new site could go (issue 16): a square grid over the unserved cells at the planner's
 * spacing; co-location on another operator's tower (infrastructure sharing, cheaper); public
 * sites (public land, commune offices, schools); points the planner adds. Nothing inside an
 * exclusion zone; a small cell only near backhaul (a fiber route or a tower). Pure: the server
 * reads the layers, this decides.
 */

export const SITE_TYPES = ['small-cell', 'macro'] as const;
export type SiteType = (typeof SITE_TYPES)[number];

export const CANDIDATE_SOURCES = ['grid', 'colocation', 'facility', 'planner'] as const;
export type CandidateSource = (typeof CANDIDATE_SOURCES)[number];

/** Facility types a site may be put on (a health station is served, not built on). */
export const HOST_FACILITY_TYPES = ['public_land', 'commune_office', 'school'] as const;

export interface SiteTypeSpec {
	type: SiteType;
	heightM: number;
	cost: number;
}

export interface CandidateSite {
	id: string;
	position: [number, number];
	type: SiteType;
	source: CandidateSource;
	cost: number;
	heightM: number;
	/** Distance to the nearest fiber route or tower, km (null: no backhaul layer at all). */
	backhaulKm: number | null;
	/** The tower it shares, or the facility it stands on. */
	host: { kind: 'tower'; operator: string; site: string } | { kind: 'facility'; facilityType: string; name: string | null } | null;
}

export interface HostTower {
	operator: string;
	site: string;
	position: [number, number];
	heightM: number | null;
}

export interface HostFacility {
	position: [number, number];
	facilityType: string;
	name: string | null;
}

export interface CandidateInput {
	/** Centres of the cells to serve ([lng, lat]). */
	demand: readonly [number, number][];
	spacingKm: number;
	siteTypes: readonly SiteTypeSpec[];
	/** Other operators' towers (the planned operator's own are locked in, not candidates). */
	otherTowers: readonly HostTower[];
	facilities: readonly HostFacility[];
	plannerPoints: readonly { position: [number, number]; type?: SiteType }[];
	exclusions: readonly (Polygon | MultiPolygon)[];
	/** Positions and lines a small cell can take backhaul from (towers of any operator, fiber routes). */
	backhaul: { points: readonly [number, number][]; lines: readonly [number, number][][] };
	/** A co-located site costs this share of a new one (`planning.colocation_cost_share`). */
	colocationCostShare: number;
	/** A small cell needs backhaul within this distance (`planning.small_cell.max_backhaul_km`). */
	smallCellMaxBackhaulKm: number;
}

const KM_PER_DEG_LAT = 111.32;
const RAD = Math.PI / 180;

/** A flat frame around a latitude (km east, km north): enough for a province and a few km. */
function frameAt(lat0: number) {
	const kx = KM_PER_DEG_LAT * Math.cos(lat0 * RAD);
	return {
		toKm: ([lng, lat]: readonly [number, number]): [number, number] => [lng * kx, lat * KM_PER_DEG_LAT],
		toLngLat: ([x, y]: readonly [number, number]): [number, number] => [x / kx, y / KM_PER_DEG_LAT]
	};
}

/**
 * The centres of the `spacingKm` squares (of a grid anchored at 0° E, 0° N in a flat frame at the
 * demand's mean latitude, so the same demand gives the same points) holding at least one demand
 * centre: one candidate position per square of unserved land, none over served land.
 */
export function gridPositions(demand: readonly [number, number][], spacingKm: number): [number, number][] {
	if (!(spacingKm > 0)) throw new RangeError(`spacingKm: must be positive, got ${spacingKm}`);
	if (demand.length === 0) return [];
	const frame = frameAt(demand.reduce((s, [, lat]) => s + lat, 0) / demand.length);
	const squares = new Map<string, [number, number]>();
	for (const p of demand) {
		const [x, y] = frame.toKm(p);
		const i = Math.floor(x / spacingKm);
		const j = Math.floor(y / spacingKm);
		const key = `${i},${j}`;
		if (!squares.has(key)) squares.set(key, frame.toLngLat([(i + 0.5) * spacingKm, (j + 0.5) * spacingKm]));
	}
	return [...squares.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, p]) => p);
}

/** Distance, km, from a point to the nearest backhaul point or line (null when there is none). */
export function backhaulDistanceKm(position: readonly [number, number], backhaul: CandidateInput['backhaul']): number | null {
	if (backhaul.points.length === 0 && backhaul.lines.length === 0) return null;
	const frame = frameAt(position[1]);
	const [px, py] = frame.toKm(position);
	let best = Infinity;
	for (const q of backhaul.points) {
		const [x, y] = frame.toKm(q);
		best = Math.min(best, Math.hypot(x - px, y - py));
	}
	for (const line of backhaul.lines)
		for (let k = 1; k < line.length; k++) {
			const [ax, ay] = frame.toKm(line[k - 1]);
			const [bx, by] = frame.toKm(line[k]);
			const dx = bx - ax;
			const dy = by - ay;
			const len2 = dx * dx + dy * dy;
			const t = len2 > 0 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2)) : 0;
			best = Math.min(best, Math.hypot(ax + t * dx - px, ay + t * dy - py));
		}
	return best;
}

export const insideAnyZone = (position: readonly [number, number], zones: readonly (Polygon | MultiPolygon)[]) => zones.some((z) => booleanPointInPolygon([position[0], position[1]], z));

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * Every candidate site: each position (grid, host tower, host facility, planner point) once per
 * allowed site type — a planner's point once, of its own type if it names one. Left out: positions
 * inside an exclusion zone, and small cells farther than the limit from backhaul (with no backhaul
 * layer at all, small cells are allowed and their distance is unknown). Ids are stable for the
 * same input: source, position and type.
 */
export function buildCandidates(input: CandidateInput): { candidates: CandidateSite[]; excluded: number; noBackhaul: number } {
	const positions: { position: [number, number]; source: CandidateSource; host: CandidateSite['host']; heightM: number | null; only?: SiteType }[] = [];
	for (const position of gridPositions(input.demand, input.spacingKm)) positions.push({ position, source: 'grid', host: null, heightM: null });
	for (const t of input.otherTowers) positions.push({ position: t.position, source: 'colocation', host: { kind: 'tower', operator: t.operator, site: t.site }, heightM: t.heightM });
	for (const f of input.facilities)
		if ((HOST_FACILITY_TYPES as readonly string[]).includes(f.facilityType)) positions.push({ position: f.position, source: 'facility', host: { kind: 'facility', facilityType: f.facilityType, name: f.name }, heightM: null });
	for (const p of input.plannerPoints) positions.push({ position: p.position, source: 'planner', host: null, heightM: null, only: p.type });

	const candidates: CandidateSite[] = [];
	let excluded = 0;
	let noBackhaul = 0;
	const seen = new Set<string>();
	for (const at of positions) {
		if (insideAnyZone(at.position, input.exclusions)) {
			excluded++;
			continue;
		}
		const backhaulKm = backhaulDistanceKm(at.position, input.backhaul);
		for (const spec of input.siteTypes) {
			if (at.only && at.only !== spec.type) continue;
			if (spec.type === 'small-cell' && backhaulKm !== null && backhaulKm > input.smallCellMaxBackhaulKm) {
				noBackhaul++;
				continue;
			}
			const id = `${at.source}:${round6(at.position[0])},${round6(at.position[1])}:${spec.type}`;
			if (seen.has(id)) continue;
			seen.add(id);
			// A macro on a shared tower sits at that tower's height where it is known.
			const heightM = spec.type === 'macro' && at.source === 'colocation' && at.heightM !== null ? at.heightM : spec.heightM;
			candidates.push({
				id,
				position: at.position,
				type: spec.type,
				source: at.source,
				cost: spec.cost * (at.source === 'colocation' ? input.colocationCostShare : 1),
				heightM,
				backhaulKm,
				host: at.host
			});
		}
	}
	return { candidates, excluded, noBackhaul };
}
