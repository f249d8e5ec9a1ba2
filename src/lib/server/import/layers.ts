import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { sql, type SQL } from 'drizzle-orm';
import { readLayerFeature, type LayerKind, type LayerRecord } from '../../import/layers';
import type { Actor } from '../audit';
import type { Database } from '../db/index';
import { geometryFromGeoJsonSql, runFeatureImport } from './features';
import type { ImportSummary } from './pipeline';

/** Inserts one record of a layer, returning whether its geometry needed repair; nothing when already present. */
function insertStatement(kind: LayerKind, r: LayerRecord, source: string, key: string, importId: number): SQL {
	const json = JSON.stringify(r.geometry);
	const raw = geometryFromGeoJsonSql(json);
	switch (kind) {
		case 'facilities':
			return sql`insert into facilities (facility_type, name, source, content_key, import_id, geom)
				values (${r.attribute}, ${r.name}, ${source}, ${key}, ${importId}, ${raw})
				on conflict (content_key) do nothing returning true as valid`;
		case 'fiber-routes':
			return sql`insert into fiber_routes (operator_code, name, source, content_key, import_id, geom)
				values (${r.attribute}, ${r.name}, ${source}, ${key}, ${importId}, ST_Multi(${raw}))
				on conflict (content_key) do nothing returning ST_IsValid(${raw}) as valid`;
		case 'exclusions':
			return sql`insert into exclusion_zones (name, reason, source, content_key, import_id, geom)
				values (${r.name}, ${r.attribute}, ${source}, ${key}, ${importId}, ST_Multi(ST_CollectionExtract(ST_MakeValid(${raw}), 3)))
				on conflict (content_key) do nothing returning ST_IsValid(${raw}) as valid`;
	}
}

/**
 * Imports a simple layer from GeoJSON or TopoJSON: facilities (points with a type), fiber routes
 * (lines by operator) or exclusion zones (polygons where no site may go).
 */
export function runLayerImport(
	db: Database,
	kind: LayerKind,
	{
		filePath,
		fileName,
		type,
		operator,
		srid,
		skipInvalid,
		actor
	}: { filePath: string; fileName?: string; type?: string; operator?: string; srid?: number; skipInvalid: boolean; actor: Actor }
): Promise<ImportSummary> {
	const source = fileName ?? basename(filePath);
	return runFeatureImport<LayerRecord>(
		db,
		{
			kind,
			prepare: (format) => `${format}, ${kind}`,
			read: (feature, index) => readLayerFeature(kind, feature, index, { type, operator }),
			async write(tx, records, importId) {
				let inserted = 0;
				const repaired: string[] = [];
				for (const [i, r] of records.entries()) {
					const key = createHash('sha1').update(`${kind}|${r.attribute}|${r.name}|${JSON.stringify(r.geometry)}`).digest('base64url');
					const rows = await tx.rows<{ valid: boolean }>(insertStatement(kind, r, source, key, importId));
					if (rows.length > 0) {
						inserted++;
						if (!rows[0].valid) repaired.push(`feature ${i + 1}`);
					}
				}
				return { inserted, repaired };
			}
		},
		{ filePath, fileName, srid, skipInvalid, actor, details: { type, operator, srid, skipInvalid } }
	);
}
