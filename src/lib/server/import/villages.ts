import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { sql } from 'drizzle-orm';
import { readVillageFeature, type VillageRecord } from '../../import/villages';
import type { Actor } from '../audit';
import { insertJsonChunks } from '../db/bulk';
import type { Database } from '../db/index';
import { runFeatureImport } from './features';
import type { ImportSummary } from './pipeline';

/**
 * Imports villages (thôn, bản, tổ dân phố) as points — GeoJSON, TopoJSON, KML/KMZ, a zipped
 * shapefile or a CSV with latitude/longitude — each with a name and the code of a loaded commune
 * of `boundarySet`, and optionally households, grid power and the province's own status.
 */
export async function runVillageImport(
	db: Database,
	{ filePath, fileName, boundarySet = '2025', srid, skipInvalid, actor }: { filePath: string; fileName?: string; boundarySet?: '2025' | 'pre2025'; srid?: number; skipInvalid: boolean; actor: Actor }
): Promise<ImportSummary> {
	const source = fileName ?? basename(filePath);
	const known = new Set((await db.rows<{ code: string }>(sql`select code from communes where boundary_set = ${boundarySet}`)).map((r) => r.code));
	return runFeatureImport<VillageRecord>(
		db,
		{
			kind: 'villages',
			prepare: (format) => `${format}, villages`,
			read: (feature, index) => readVillageFeature(feature, index, { knownCommunes: known }),
			async write(tx, records, importId) {
				const rows = records.map((r) => ({
					...r,
					lng: r.position[0],
					lat: r.position[1],
					// What the village is, not which file said it: the same village twice is one.
					key: createHash('sha1').update(`${boundarySet}|${r.communeCode}|${r.name}|${r.position[0].toFixed(6)}|${r.position[1].toFixed(6)}`).digest('base64url')
				}));
				const inserted = await insertJsonChunks(
					tx,
					rows,
					(json) => sql`
					insert into villages (name, commune_code, boundary_set, households, has_power, official_status, source, synthetic, content_key, import_id, geom)
					select r."name", r."communeCode", ${boundarySet}, r."households", r."hasPower", r."officialStatus", ${source}, false, r."key", ${importId},
						ST_SetSRID(ST_MakePoint(r."lng", r."lat"), 4326)
					from json_to_recordset(${json}) as r("name" text, "communeCode" text, "households" integer, "hasPower" boolean, "officialStatus" text,
						"key" text, "lng" float8, "lat" float8)
					on conflict (content_key) do nothing`
				);
				return { inserted, repaired: [] };
			}
		},
		{ filePath, fileName, srid, skipInvalid, actor, details: { boundarySet, srid, skipInvalid } }
	);
}
