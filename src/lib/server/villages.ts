import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { ANY, dayOf } from '../coverage/measured';
import type { VillageCollection } from '../coverage/payload';
import { compareWithOfficial, villageStatus, type VillageEvidence, type VillageStatus } from '../coverage/villages';
import { cellOfPosition, cellsWithinKm } from '../grid/h3';
import type { Bbox } from '../api/params';
import { insertJsonChunks } from './db/bulk';
import type { Database } from './db/index';
import { readAnalysisVersions, type AnalysisVersions } from './analysis-versions';
import { affectedCells, findRow } from '../grid/sorted-cells';
import { fusedCells, measuredChangesSince, movedCells, type FusedRow } from './fused';
import { householdLayer } from './households';
import { readSettings } from './settings';

/**
 * Villages and their status per operator (src/lib/coverage/villages.ts has the rule), from the
 * fused best estimate at res 9 and the households per cell. Computed when asked and kept for the
 * data versions they rest on; the public's rest on measurements with k reporters only.
 */

export interface VillageInput {
	name: string;
	communeCode: string;
	boundarySet?: '2025' | 'pre2025';
	households: number | null;
	hasPower: boolean | null;
	officialStatus: VillageStatus | null;
	position: [number, number];
	source: string;
	synthetic: boolean;
}

/** Inserts villages (the demo's, or a caller's), skipping ones already present. Returns how many were new. */
export async function insertVillages(db: Database, villages: readonly VillageInput[], importId: number | null): Promise<number> {
	const rows = villages.map((v) => ({
		...v,
		boundarySet: v.boundarySet ?? '2025',
		lng: v.position[0],
		lat: v.position[1],
		key: createHash('sha1').update(`${v.boundarySet ?? '2025'}|${v.communeCode}|${v.name}|${v.position[0].toFixed(6)}|${v.position[1].toFixed(6)}`).digest('base64url')
	}));
	return insertJsonChunks(
		db,
		rows,
		(json) => sql`
		insert into villages (name, commune_code, boundary_set, households, has_power, official_status, source, synthetic, content_key, import_id, geom)
		select r."name", r."communeCode", r."boundarySet", r."households", r."hasPower", r."officialStatus", r."source", r."synthetic", r."key", ${importId},
			ST_SetSRID(ST_MakePoint(r."lng", r."lat"), 4326)
		from json_to_recordset(${json}) as r("name" text, "communeCode" text, "boundarySet" text, "households" integer, "hasPower" boolean,
			"officialStatus" text, "source" text, "synthetic" boolean, "key" text, "lng" float8, "lat" float8)
		on conflict (content_key) do nothing`
	);
}

export interface VillageRow {
	id: number;
	name: string;
	communeCode: string;
	boundarySet: '2025' | 'pre2025';
	communeName: string | null;
	households: number | null;
	hasPower: boolean | null;
	officialStatus: VillageStatus | null;
	synthetic: boolean;
	position: [number, number];
	evidence: VillageEvidence;
	/** The operator (for any operator: the best one at the centre). */
	operator: string | null;
}

interface StoredVillage {
	id: number;
	name: string;
	commune_code: string;
	boundary_set: '2025' | 'pre2025';
	commune_name: string | null;
	households: number | null;
	has_power: boolean | null;
	official_status: VillageStatus | null;
	synthetic: boolean;
	lng: number;
	lat: number;
}

const readVillages = (db: Database) =>
	db.rows<StoredVillage>(sql`
		select v.id, v.name, v.commune_code, v.boundary_set, c.name as commune_name, v.households, v.has_power, v.official_status, v.synthetic, ST_X(v.geom) as lng, ST_Y(v.geom) as lat
		from villages v left join communes c on c.boundary_set = v.boundary_set and c.code = v.commune_code
		order by v.id`);

/** The data version token of villages' statuses (for the day `today`). */
export const villagesVersion = (v: AnalysisVersions, today = new Date()) => `${v.fused}|${v.households}|${v.villages}|${today.toISOString().slice(0, 10)}`;

/** What statuses rest on besides the fused layer: the villages, their cells, the households and the rule's settings. */
interface VillageBase {
	version: string;
	villages: StoredVillage[];
	centres: string[];
	/** Each village's cells within `village.radius_km`. */
	disks: string[][];
	/** The villages (indices) each cell is a centre or disk cell of. */
	villagesOf: Map<string, number[]>;
	households: ReadonlyMap<string, number>;
	minHouseholds: number;
}

const basesOf = new WeakMap<object, Promise<VillageBase>>();

/** The base of `version`, kept for it like the households layer (a full assessment reuses it too). */
function villageBase(db: Database, version: string): Promise<VillageBase> {
	const known = basesOf.get(db.orm as object);
	const next = (async () => {
		const before = await known?.catch(() => null);
		if (before && before.version === version) return before;
		const [villages, settings, layer] = await Promise.all([readVillages(db), readSettings(db), householdLayer(db)]);
		const radiusKm = settings['village.radius_km'];
		const centres = villages.map((v) => cellOfPosition([v.lng, v.lat]));
		const disks = villages.map((v) => cellsWithinKm([v.lng, v.lat], radiusKm));
		const villagesOf = new Map<string, number[]>();
		const index = (c: string, i: number) => {
			const list = villagesOf.get(c);
			if (!list) villagesOf.set(c, [i]);
			else if (list[list.length - 1] !== i) list.push(i);
		};
		centres.forEach((c, i) => index(c, i));
		disks.forEach((cells, i) => cells.forEach((c) => index(c, i)));
		return { version, villages, centres, disks, villagesOf, households: layer.households, minHouseholds: settings['village.lom_min_households'] };
	})();
	basesOf.set(db.orm as object, next);
	next.catch(() => basesOf.get(db.orm as object) === next && basesOf.delete(db.orm as object));
	return next;
}

interface StatusEntry {
	fused: string;
	base: VillageBase;
	day: number;
	rows: VillageRow[];
	/** The fused rows (res 9) they were assessed from. */
	fusedRows: readonly FusedRow[];
}

const entriesOf = new WeakMap<object, Map<string, Promise<StatusEntry>>>();

/**
 * Every village with its status for `operator` (null: any operator), kept per data version and day.
 * After new measurements only the villages around the cells whose fused rows they can move are
 * assessed again. `full`: assess every village again (the benchmark's baseline and the tests).
 */
export async function villageStatuses(
	db: Database,
	{ operator, minReporters, today = new Date() }: { operator: string | null; minReporters: number; today?: Date },
	{ full = false, versions }: { full?: boolean; versions?: AnalysisVersions } = {}
): Promise<VillageRow[]> {
	const { fused, households, villages } = versions ?? (await readAnalysisVersions(db));
	const day = dayOf(today.toISOString());
	const key = `${operator ?? ANY}:k${minReporters}`;
	let entries = entriesOf.get(db.orm as object);
	if (!entries) entriesOf.set(db.orm as object, (entries = new Map()));
	const previous = entries.get(key);
	const next = (async (): Promise<StatusEntry> => {
		const last = full ? null : await previous?.catch(() => null);
		const base = await villageBase(db, `${households}|${villages}`);
		if (last && last.base === base && last.day === day && last.fused === fused) return last;
		const fusedRows = await fusedCells(db, { res: 9, operator: operator ?? ANY, technology: ANY, minReporters, today }, fused);
		const assess = (i: number) => assessVillage(base, i, fusedRows, operator);
		const changes = last && last.base === base && last.day === day ? await measuredChangesSince(db, last.fused, fused) : null;
		if (!last || changes === null) return { fused, base, day, fusedRows, rows: base.villages.map((_, i) => assess(i)) };
		// Only villages around a cell whose estimate moved are assessed again.
		const again = new Set<number>();
		for (const c of movedCells(last.fusedRows, fusedRows, affectedCells(changes, 9).cells)) for (const i of base.villagesOf.get(c) ?? []) again.add(i);
		return { fused, base, day, fusedRows, rows: last.rows.map((row, i) => (again.has(i) ? assess(i) : row)) };
	})();
	entries.set(key, next);
	next.catch(() => entries.get(key) === next && entries.delete(key));
	return (await next).rows;
}

/** Village `i`'s status from the fused rows (sorted by cell). */
function assessVillage(base: VillageBase, i: number, rows: readonly FusedRow[], operator: string | null): VillageRow {
	const v = base.villages[i];
	const cellOf = (h3: string) => {
		const r = findRow(rows, h3);
		return { h3, class: r?.fused.class ?? null, source: r?.fused.source ?? null, households: base.households.get(h3) ?? 0 };
	};
	const centre = base.centres[i];
	const evidence = villageStatus(cellOf(centre), base.disks[i].map(cellOf), { minHouseholds: base.minHouseholds });
	return {
		id: v.id,
		name: v.name,
		communeCode: v.commune_code,
		boundarySet: v.boundary_set,
		communeName: v.commune_name,
		households: v.households,
		hasPower: v.has_power,
		officialStatus: v.official_status,
		synthetic: v.synthetic,
		position: [v.lng, v.lat],
		evidence,
		operator: findRow(rows, centre)?.operator ?? operator
	};
}

const inBbox = ([lng, lat]: [number, number], [w, s, e, n]: Bbox) => lng >= w && lng <= e && lat >= s && lat <= n;

/** Villages in `bbox` as GeoJSON points with their status, and how they compare with the official register. */
export async function villagesInBbox(db: Database, bbox: Bbox, o: { operator: string | null; minReporters: number }, versions?: AnalysisVersions): Promise<VillageCollection> {
	const rows = (await villageStatuses(db, o, { versions })).filter((v) => inBbox(v.position, bbox));
	const comparison = compareWithOfficial(rows.map((v) => ({ id: v.id, name: v.name, official: v.officialStatus, ours: v.evidence.status })));
	return {
		type: 'FeatureCollection' as const,
		operator: o.operator,
		minReporters: o.minReporters,
		counts: countStatuses(rows),
		comparison: { agreements: comparison.agreements, disagreements: comparison.disagreements, matrix: comparison.matrix },
		features: rows.map((v) => ({
			type: 'Feature' as const,
			id: v.id,
			geometry: { type: 'Point' as const, coordinates: v.position },
			properties: {
				id: v.id,
				name: v.name,
				communeCode: v.communeCode,
				communeName: v.communeName,
				households: v.households,
				hasPower: v.hasPower,
				status: v.evidence.status,
				officialStatus: v.officialStatus,
				agreesWithOfficial: v.officialStatus === null ? null : v.officialStatus === v.evidence.status,
				centreClass: v.evidence.centreClass,
				centreSource: v.evidence.centreSource,
				unservedCells: v.evidence.unservedCells.length,
				unservedHouseholds: Math.round(v.evidence.unservedHouseholds),
				estimatedHouseholds: Math.round(v.evidence.households),
				bestOperator: v.operator,
				synthetic: v.synthetic
			}
		}))
	};
}

export function countStatuses(rows: readonly { evidence: VillageEvidence }[]): Record<VillageStatus, number> {
	const counts: Record<VillageStatus, number> = { trang_song: 0, lom_song: 0, co_song: 0 };
	for (const r of rows) counts[r.evidence.status]++;
	return counts;
}
