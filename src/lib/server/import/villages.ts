import { basename } from 'node:path';
import { sql } from 'drizzle-orm';
import { readVillageFeature, type VillageRecord } from '../../import/villages';
import type { Actor } from '../audit';
import type { Database } from '../db/index';
import { insertVillages } from '../villages';
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
				const inserted = await insertVillages(
					tx,
					records.map((r) => ({ ...r, boundarySet, source, synthetic: false })),
					importId
				);
				return { inserted, repaired: [] };
			}
		},
		{ filePath, fileName, srid, skipInvalid, actor, details: { boundarySet, srid, skipInvalid } }
	);
}
