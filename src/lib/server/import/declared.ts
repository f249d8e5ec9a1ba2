import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { sql } from 'drizzle-orm';
import { readDeclaredFeature, type DeclaredRecord } from '../../import/declared';
import type { Actor } from '../audit';
import type { Database } from '../db/index';
import { updateDeclaredGrid } from '../declared';
import { geometryFromGeoJsonSql, runFeatureImport } from './features';
import type { ImportSummary } from './pipeline';

/**
 * Imports operators' published coverage polygons (GeoJSON, TopoJSON, KML/KMZ or a zipped
 * shapefile) per operator and technology.
 */
export function runDeclaredImport(
	db: Database,
	{
		filePath,
		fileName,
		operator,
		technology,
		srid,
		skipInvalid,
		actor
	}: { filePath: string; fileName?: string; operator?: string; technology?: string; srid?: number; skipInvalid: boolean; actor: Actor }
): Promise<ImportSummary> {
	const source = fileName ?? basename(filePath);
	return runFeatureImport<DeclaredRecord>(
		db,
		{
			kind: 'declared',
			prepare: (format) => `${format}, declared coverage`,
			read: (feature, index) => readDeclaredFeature(feature, index, { operator, technology }),
			async write(tx, records, importId) {
				let inserted = 0;
				const repaired: string[] = [];
				for (const [i, r] of records.entries()) {
					const geometry = JSON.stringify(r.geometry);
					const key = createHash('sha1').update(`${r.operatorCode}|${r.technology}|${geometry}`).digest('base64url');
					const rows = await tx.rows<{ valid: boolean }>(sql`
						insert into declared_coverage (operator_code, technology, source, content_key, import_id, geom)
						values (${r.operatorCode}, ${r.technology}, ${source}, ${key}, ${importId},
							ST_Multi(ST_CollectionExtract(ST_MakeValid(${geometryFromGeoJsonSql(geometry)}), 3)))
						on conflict (content_key) do nothing
						returning ST_IsValid(${geometryFromGeoJsonSql(geometry)}) as valid`);
					if (rows.length > 0) {
						inserted++;
						if (!rows[0].valid) repaired.push(`feature ${i + 1} (${r.operatorCode} ${r.technology})`);
					}
				}
				// The grid follows in the same transaction: no read sees the polygons without their cells.
				if (inserted > 0) await updateDeclaredGrid(tx);
				return { inserted, repaired };
			}
		},
		{ filePath, fileName, srid, skipInvalid, actor, details: { operator, technology, srid, skipInvalid } }
	);
}
