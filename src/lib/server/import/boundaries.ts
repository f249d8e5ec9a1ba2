import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { sql } from 'drizzle-orm';
import { feature as topojsonFeature } from 'topojson-client';
import type { Topology } from 'topojson-specification';
import { guessBoundarySet, readBoundaryFeature, type AdminLevel, type BoundaryMapping, type BoundaryRecord, type BoundarySet } from '../../import/boundaries';
import { ImportFileError } from '../../import/issues';
import { toSearchKey } from '../../text/search-key';
import { recordAudit, type Actor } from '../audit';
import { inTransaction, type Database } from '../db/index';
import { auditDetails, finishImportRow, insertImportRow, recordIssues, recordRejection, Rejected, startSummary, type ImportSummary } from './pipeline';

/** Largest GeoJSON file read whole; larger ones need the streaming reader (upload page issue). */
const MAX_GEOJSON_BYTES = 256 * 2 ** 20;

/**
 * Imports administrative boundaries from GeoJSON in one transaction: communes into `communes`,
 * provinces and districts into `admin_areas`. Geometry is repaired with ST_MakeValid (and the
 * repaired units listed); features outside Vietnam, with unclosed rings or no code are refused.
 */
export async function runBoundaryImport(
	db: Database,
	{
		filePath,
		fileName = basename(filePath),
		boundarySet,
		level,
		mapping = {},
		skipInvalid,
		actor,
		source = fileName
	}: { filePath: string; fileName?: string; boundarySet?: BoundarySet; level?: AdminLevel; mapping?: BoundaryMapping; skipInvalid: boolean; actor: Actor; source?: string }
): Promise<ImportSummary> {
	const started = Date.now();
	const startedAt = new Date(started).toISOString();
	const summary = startSummary('boundaries', fileName);
	summary.encoding = 'utf-8';
	summary.delimiter = '—';
	const details = { boundarySet, level, mapping, skipInvalid };
	try {
		if ((await stat(filePath)).size > MAX_GEOJSON_BYTES) throw new ImportFileError(`the file is larger than ${MAX_GEOJSON_BYTES / 2 ** 20} MB`);
		const bytes = await readFile(filePath);
		summary.contentHash = createHash('sha256').update(bytes).digest('hex');
		let parsed: { type?: string; features?: unknown[]; objects?: Record<string, unknown> };
		try {
			parsed = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
		} catch (err) {
			throw new ImportFileError(`not valid JSON: ${(err as Error).message}`);
		}
		const collection = toFeatureCollection(parsed);
		const set = boundarySet ?? guessBoundarySet(collection.features as { properties?: Record<string, unknown> }[]);
		summary.preset = `${parsed.type === 'Topology' ? 'TopoJSON' : 'GeoJSON'}, ${set} units`;
		const records: BoundaryRecord[] = [];
		collection.features.forEach((feature, i) => {
			summary.rowsRead++;
			const result = readBoundaryFeature(feature, i + 1, { mapping, level });
			if ('record' in result) records.push(result.record);
			else {
				summary.invalid++;
				summary.issues.push(...result.issues);
			}
		});
		if (summary.rowsRead === 0) throw new ImportFileError('the FeatureCollection has no features');
		if (summary.invalid > 0 && !skipInvalid) throw new Rejected();

		await inTransaction(db, async (tx) => {
			summary.importId = await insertImportRow(tx, summary, actor, startedAt, { ...details, boundarySet: set });
			const written = await writeBoundaries(tx, records, set, source, summary.importId);
			summary.inserted = written.inserted;
			summary.duplicate = records.length - written.inserted;
			summary.repaired = written.repaired;
			summary.durationMs = Date.now() - started;
			await finishImportRow(tx, summary);
			await recordIssues(tx, summary.importId, summary.issues);
			await recordAudit(tx, actor, 'import.boundaries', fileName, { ...auditDetails(summary), repaired: written.repaired.length });
		});
	} catch (err) {
		if (!(err instanceof Rejected || err instanceof ImportFileError)) throw err;
		await recordRejection(db, summary, err, { actor, startedAt, started, details });
	}
	return summary;
}

/**
 * The features of a GeoJSON FeatureCollection, or of every object of a TopoJSON Topology
 * (decoded with topojson-client, so shared arcs become ordinary polygons).
 */
function toFeatureCollection(parsed: { type?: string; features?: unknown[]; objects?: Record<string, unknown> }): { features: unknown[] } {
	if (parsed?.type === 'FeatureCollection' && Array.isArray(parsed.features)) return { features: parsed.features };
	if (parsed?.type === 'Topology' && parsed.objects && typeof parsed.objects === 'object') {
		const topology = parsed as unknown as Topology;
		const features = Object.values(topology.objects).flatMap((object) => {
			const decoded = topojsonFeature(topology, object) as unknown as { type: string; features?: unknown[] };
			return decoded.type === 'FeatureCollection' ? (decoded.features ?? []) : [decoded];
		});
		return { features };
	}
	throw new ImportFileError('not a GeoJSON FeatureCollection or a TopoJSON Topology');
}

/** Writes units one statement per unit (boundaries are few and large); returns how many were new and which were repaired. */
async function writeBoundaries(tx: Database, records: BoundaryRecord[], set: BoundarySet, source: string, importId: number): Promise<{ inserted: number; repaired: string[] }> {
	let inserted = 0;
	const repaired: string[] = [];
	for (const r of records) {
		const geometry = JSON.stringify(r.geometry);
		// Keep only the polygons of a repaired geometry (ST_MakeValid may add lines or points).
		const geom = sql`ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(${geometry}), 4326)), 3))`;
		const isValid = sql`ST_IsValid(ST_SetSRID(ST_GeomFromGeoJSON(${geometry}), 4326))`;
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

