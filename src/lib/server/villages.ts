import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { ANY } from '../coverage/measured';
import { compareWithOfficial, villageStatus, type VillageEvidence, type VillageStatus } from '../coverage/villages';
import { cellOfPosition, cellsWithinKm } from '../grid/h3';
import type { Bbox } from '../api/params';
import { insertJsonChunks } from './db/bulk';
import type { Database } from './db/index';
import { fusedCells, fusedVersion, type FusedRow } from './fused';
import { householdLayer, householdsVersion } from './households';
import { readDataVersion } from './data-version';
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
		select v.id, v.name, v.commune_code, c.name as commune_name, v.households, v.has_power, v.official_status, v.synthetic, ST_X(v.geom) as lng, ST_Y(v.geom) as lat
		from villages v left join communes c on c.boundary_set = v.boundary_set and c.code = v.commune_code
		order by v.id`);

/** The data versions villages' statuses rest on. */
export const villagesVersion = async (db: Database) => `${await fusedVersion(db)}|${await householdsVersion(db)}|${await readDataVersion(db, ['villages'])}`;

const entriesOf = new WeakMap<object, Map<string, { version: string; rows: Promise<VillageRow[]> }>>();

/** Every village with its status for `operator` (null: any operator), kept per data version and day. */
export async function villageStatuses(db: Database, { operator, minReporters, today = new Date() }: { operator: string | null; minReporters: number; today?: Date }): Promise<VillageRow[]> {
	const version = `${await villagesVersion(db)}|${today.toISOString().slice(0, 10)}`;
	const key = `${operator ?? ANY}:k${minReporters}`;
	let entries = entriesOf.get(db.orm as object);
	if (!entries) entriesOf.set(db.orm as object, (entries = new Map()));
	const known = entries.get(key);
	if (known && known.version === version) return known.rows;
	const rows = computeStatuses(db, { operator, minReporters, today });
	entries.set(key, { version, rows });
	rows.catch(() => entries.get(key)?.rows === rows && entries.delete(key));
	return rows;
}

async function computeStatuses(db: Database, { operator, minReporters, today }: { operator: string | null; minReporters: number; today: Date }): Promise<VillageRow[]> {
	const [villages, settings, layer, fused] = await Promise.all([
		readVillages(db),
		readSettings(db),
		householdLayer(db),
		fusedCells(db, { res: 9, operator: operator ?? ANY, technology: ANY, minReporters, today })
	]);
	const rowOf = new Map<string, FusedRow>();
	for (const r of fused) rowOf.set(r.h3, r);
	const cellOf = (h3: string) => {
		const r = rowOf.get(h3);
		return { h3, class: r?.fused.class ?? null, source: r?.fused.source ?? null, households: layer.households.get(h3) ?? 0 };
	};
	const radiusKm = settings['village.radius_km'];
	const minHouseholds = settings['village.lom_min_households'];
	return villages.map((v) => {
		const position: [number, number] = [v.lng, v.lat];
		const centre = cellOfPosition(position);
		const evidence = villageStatus(cellOf(centre), cellsWithinKm(position, radiusKm).map(cellOf), { minHouseholds });
		return {
			id: v.id,
			name: v.name,
			communeCode: v.commune_code,
			communeName: v.commune_name,
			households: v.households,
			hasPower: v.has_power,
			officialStatus: v.official_status,
			synthetic: v.synthetic,
			position,
			evidence,
			operator: rowOf.get(centre)?.operator ?? operator
		};
	});
}

const inBbox = ([lng, lat]: [number, number], [w, s, e, n]: Bbox) => lng >= w && lng <= e && lat >= s && lat <= n;

/** Villages in `bbox` as GeoJSON points with their status, and how they compare with the official register. */
export async function villagesInBbox(db: Database, bbox: Bbox, o: { operator: string | null; minReporters: number }) {
	const rows = (await villageStatuses(db, o)).filter((v) => inBbox(v.position, bbox));
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
