import { basename } from 'node:path';
import { sql } from 'drizzle-orm';
import { guessBoundarySet, readBoundaryFeature, type AdminLevel, type BoundaryMapping, type BoundaryRecord, type BoundarySet } from '../../import/boundaries';
import { toSearchKey } from '../../text/search-key';
import type { Actor } from '../audit';
import type { Database } from '../db/index';
import { geometryFromGeoJsonSql, runFeatureImport } from './features';
import type { ImportSummary } from './pipeline';

/**
 * Imports administrative boundaries from GeoJSON, TopoJSON, KML or a zipped shapefile in one transaction: communes into
 * `communes`, provinces and districts into `admin_areas`. Geometry is repaired with ST_MakeValid
 * (and the repaired units listed); features outside Vietnam, with unclosed rings or no code are refused.
 */
export function runBoundaryImport(
	db: Database,
	{
		filePath,
		fileName,
		boundarySet,
		level,
		mapping = {},
		srid,
		skipInvalid,
		actor,
		source
	}: {
		filePath: string;
		fileName?: string;
		boundarySet?: BoundarySet;
		level?: AdminLevel;
		mapping?: BoundaryMapping;
		srid?: number;
		skipInvalid: boolean;
		actor: Actor;
		source?: string;
	}
): Promise<ImportSummary> {
	let set: BoundarySet = boundarySet ?? '2025';
	return runFeatureImport<BoundaryRecord>(
		db,
		{
			kind: 'boundaries',
			prepare(format, features) {
				set = boundarySet ?? guessBoundarySet(features as { properties?: Record<string, unknown> }[]);
				return `${format}, ${set} units`;
			},
			read: (feature, index) => readBoundaryFeature(feature, index, { mapping, level }),
			write: (tx, records, importId) => writeBoundaries(tx, records, set, source ?? fileName ?? basename(filePath), importId)
		},
		{ filePath, fileName, srid, skipInvalid, actor, details: { boundarySet, level, mapping, srid, skipInvalid } }
	);
}

/** Writes units one statement per unit (boundaries are few and large); returns how many were new and which were repaired. */
async function writeBoundaries(tx: Database, records: BoundaryRecord[], set: BoundarySet, source: string, importId: number): Promise<{ inserted: number; repaired: string[] }> {
	let inserted = 0;
	const repaired: string[] = [];
	for (const r of records) {
		const geometry = JSON.stringify(r.geometry);
		// Keep only the polygons of a repaired geometry (ST_MakeValid may add lines or points).
		const geom = sql`ST_Multi(ST_CollectionExtract(ST_MakeValid(${geometryFromGeoJsonSql(geometry)}), 3))`;
		const isValid = sql`ST_IsValid(${geometryFromGeoJsonSql(geometry)})`;
		const rows =
			r.level === 'commune'
				? await tx.rows<{ valid: boolean }>(sql`
					insert into communes (code, boundary_set, name, search_key, kind, province_code, province_name, district_code, population, households_synthetic, source, import_id, geom)
					values (${r.code}, ${set}, ${r.name}, ${toSearchKey(r.name)}, ${r.kind}, ${r.provinceCode}, ${r.provinceName}, ${r.districtCode}, ${r.population}, false, ${source}, ${importId}, ${geom})
					on conflict (boundary_set, code) do nothing
					returning ${isValid} as valid`)
				: await tx.rows<{ valid: boolean }>(sql`
					insert into admin_areas (level, boundary_set, code, name, search_key, parent_code, source, import_id, geom)
					values (${r.level}, ${set}, ${r.code}, ${r.name}, ${toSearchKey(r.name)}, ${r.level === 'district' ? r.provinceCode : null}, ${source}, ${importId}, ${geom})
					on conflict (level, boundary_set, code) do nothing
					returning ${isValid} as valid`);
		if (rows.length > 0) {
			inserted++;
			if (!rows[0].valid) repaired.push(`${r.level} ${r.code}`);
		}
	}
	return { inserted, repaired };
}

