import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { kml as kmlToGeoJson } from '@tmcw/togeojson';
import { DOMParser } from '@xmldom/xmldom';
import { unzipSync } from 'fflate';
import { sql } from 'drizzle-orm';
import { feature as topojsonFeature } from 'topojson-client';
import type { Topology } from 'topojson-specification';
import type { Geometry } from 'geojson';
import { parse as parseCsvSync } from 'csv-parse/sync';
import { parseDbf, parseShp } from 'shpjs';
import { LATITUDE_COLUMNS, LONGITUDE_COLUMNS } from '../../import/columns';
import { ImportFileError, type ImportIssue } from '../../import/issues';
import { projectionFromPrj, projectionFromSrid, reprojectGeometry, type SourceProjection } from '../../import/projection';
import { recordAudit, type Actor } from '../audit';
import { detectDelimiter } from './read-csv';
import { inTransaction, type Database } from '../db/index';
import { auditDetails, finishImportRow, insertImportRow, recordIssues, recordRejection, Rejected, startSummary, type ImportSummary } from './pipeline';

/** Largest feature file read whole; larger ones need a streaming reader (upload page issue). */
const MAX_FEATURE_FILE_BYTES = 256 * 2 ** 20;

export type FeatureFormat = 'GeoJSON' | 'TopoJSON' | 'KML' | 'KMZ' | 'Shapefile' | 'CSV';

/** What a feature file held, and the coordinate system its positions came from. */
export interface FeatureFile {
	format: FeatureFormat;
	features: unknown[];
	/** Set when positions were reprojected to WGS 84 (shapefiles). */
	projection?: string;
}

/** A kind of feature file: how to read one feature and write the valid ones. */
export interface FeatureKind<R> {
	kind: ImportSummary['kind'];
	/** Called once with every feature before any is read (e.g. to guess a boundary set); returns the preset label. */
	prepare(format: FeatureFormat, features: unknown[]): string;
	read(feature: unknown, index: number): { record: R } | { issues: ImportIssue[] };
	write(tx: Database, records: R[], importId: number): Promise<{ inserted: number; repaired: string[] }>;
}

/**
 * The features of a GeoJSON FeatureCollection, or of every object of a TopoJSON Topology
 * (decoded with topojson-client, so shared arcs become ordinary polygons).
 */
function featuresOf(parsed: { type?: string; features?: unknown[]; objects?: Record<string, unknown> }): unknown[] {
	if (parsed?.type === 'FeatureCollection' && Array.isArray(parsed.features)) return parsed.features;
	if (parsed?.type === 'Topology' && parsed.objects && typeof parsed.objects === 'object') {
		const topology = parsed as unknown as Topology;
		return Object.values(topology.objects).flatMap((object) => {
			const decoded = topojsonFeature(topology, object) as unknown as { type: string; features?: unknown[] };
			return decoded.type === 'FeatureCollection' ? (decoded.features ?? []) : [decoded];
		});
	}
	throw new ImportFileError('not a GeoJSON FeatureCollection or a TopoJSON Topology');
}

/** KML text to GeoJSON features (@tmcw/togeojson; ExtendedData become properties). */
function featuresOfKml(text: string): unknown[] {
	const errors: string[] = [];
	let doc: unknown;
	try {
		doc = new DOMParser({ onError: (level, message) => void (level !== 'warning' && errors.push(message)) }).parseFromString(text, 'text/xml');
	} catch (err) {
		throw new ImportFileError(`not valid KML: ${(err as Error).message}`);
	}
	if (errors.length > 0) throw new ImportFileError(`not valid KML: ${errors[0]}`);
	return kmlToGeoJson(doc as Document).features;
}

/**
 * Points from a CSV with latitude/longitude columns (WGS 84); every other column becomes a
 * property. A cell that is not a number is kept as NaN so the geometry check names the row.
 */
function pointsOfCsv(text: string): unknown[] {
	let rows: string[][];
	try {
		const firstLine = text.split(/\r?\n/, 1)[0];
		rows = parseCsvSync(text, { delimiter: detectDelimiter(firstLine), relax_column_count: true, skip_empty_lines: true });
	} catch (err) {
		throw err instanceof ImportFileError ? err : new ImportFileError(`not valid CSV: ${(err as Error).message}`);
	}
	const header = (rows.shift() ?? []).map((h) => h.trim().normalize('NFC'));
	const lower = header.map((h) => h.toLowerCase());
	const lat = lower.findIndex((h) => LATITUDE_COLUMNS.includes(h));
	const lon = lower.findIndex((h) => LONGITUDE_COLUMNS.includes(h));
	if (lat < 0 || lon < 0) {
		throw new ImportFileError(`a CSV of points needs latitude and longitude columns (${LATITUDE_COLUMNS.join('/')}, ${LONGITUDE_COLUMNS.join('/')}); found: ${header.join(', ')}`);
	}
	return rows.map((values) => ({
		type: 'Feature',
		properties: Object.fromEntries(header.map((h, i) => [h, values[i]?.normalize('NFC') ?? null]).filter((_, i) => i !== lat && i !== lon)),
		geometry: { type: 'Point', coordinates: [Number(values[lon]?.trim() || NaN), Number(values[lat]?.trim() || NaN)] }
	}));
}

/**
 * The features of a zipped shapefile (shpjs reads .shp and .dbf, the .cpg names the text
 * encoding), reprojected to WGS 84 from the .prj, or from `srid` when given (which overrides it).
 * A shapefile without .prj is refused unless `srid` says what it is: guessing could put a
 * province hundreds of metres — or a continent — away.
 */
function featuresOfShapefile(entries: Record<string, Uint8Array>, shpName: string, srid: number | undefined): FeatureFile {
	const base = shpName.slice(0, -4);
	const sibling = (ext: string) => Object.keys(entries).find((n) => n.toLowerCase() === `${base.toLowerCase()}.${ext}`);
	const [dbfName, prjName, cpgName] = [sibling('dbf'), sibling('prj'), sibling('cpg')];
	if (srid === undefined && !prjName) {
		throw new ImportFileError(`the shapefile ${shpName} has no .prj, so its coordinate system is unknown; add the .prj or say it with --srid (e.g. 4326, 3405, 5897)`);
	}
	const projection: SourceProjection = srid !== undefined ? projectionFromSrid(srid) : projectionFromPrj(Buffer.from(entries[prjName!]).toString('utf8'));
	let geometries: (Geometry | null)[];
	let properties: Record<string, unknown>[] = [];
	try {
		geometries = parseShp(entries[shpName]) as (Geometry | null)[];
		if (dbfName) properties = parseDbf(entries[dbfName], cpgName ? Buffer.from(entries[cpgName]).toString('utf8') : undefined) as Record<string, unknown>[];
	} catch (err) {
		throw new ImportFileError(`cannot read the shapefile ${shpName}: ${(err as Error).message}`);
	}
	const features = geometries.map((geometry, i) => ({
		type: 'Feature',
		properties: normaliseText(properties[i] ?? {}),
		geometry: geometry && projection.toWgs84 ? reprojectGeometry(geometry, projection.toWgs84) : geometry
	}));
	return { format: 'Shapefile', features, projection: projection.toWgs84 ? `${projection.label} → WGS 84` : projection.label };
}

const normaliseText = (props: Record<string, unknown>) => Object.fromEntries(Object.entries(props).map(([k, v]) => [k, typeof v === 'string' ? v.normalize('NFC') : v]));

/** A zip: a shapefile (first .shp), else KMZ (first .kml). */
function readZip(bytes: Buffer, srid: number | undefined): FeatureFile {
	let entries: Record<string, Uint8Array>;
	try {
		entries = unzipSync(bytes);
	} catch (err) {
		throw new ImportFileError(`not a readable zip: ${(err as Error).message}`);
	}
	const names = Object.keys(entries).filter((n) => !n.startsWith('__MACOSX/'));
	const shpName = names.find((n) => n.toLowerCase().endsWith('.shp'));
	if (shpName) return featuresOfShapefile(entries, shpName, srid);
	const kmlName = names.find((n) => n.toLowerCase().endsWith('.kml'));
	if (!kmlName) throw new ImportFileError(`the zip holds no shapefile (.shp) and no .kml (found: ${names.join(', ') || 'nothing'})`);
	return { format: 'KMZ', features: featuresOfKml(Buffer.from(entries[kmlName]).toString('utf8')) };
}

/**
 * Reads GeoJSON, TopoJSON, KML, KMZ or a zipped shapefile, told apart by their first bytes.
 * `srid` states the coordinate system of a shapefile (needed when it has no .prj).
 */
export function readFeatureFile(bytes: Buffer, { srid }: { srid?: number } = {}): FeatureFile {
	if (bytes[0] === 0x50 && bytes[1] === 0x4b) return readZip(bytes, srid);
	const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
	if (text.trimStart().startsWith('<')) return { format: 'KML', features: featuresOfKml(text) };
	if (!/^\s*[{[]/.test(text)) return { format: 'CSV', features: pointsOfCsv(text) };
	let parsed: { type?: string; features?: unknown[]; objects?: Record<string, unknown> };
	try {
		parsed = JSON.parse(text);
	} catch (err) {
		throw new ImportFileError(`not valid JSON: ${(err as Error).message}`);
	}
	return { format: parsed?.type === 'Topology' ? 'TopoJSON' : 'GeoJSON', features: featuresOf(parsed) };
}

/**
 * Imports a GeoJSON, TopoJSON, KML or KMZ file of one kind in one transaction, with the same rules as
 * tabular imports: all or nothing (or `skipInvalid` quarantine), recorded, audited, undoable.
 */
export async function runFeatureImport<R>(
	db: Database,
	kind: FeatureKind<R>,
	{
		filePath,
		fileName = basename(filePath),
		srid,
		skipInvalid,
		actor,
		details
	}: { filePath: string; fileName?: string; srid?: number; skipInvalid: boolean; actor: Actor; details: Record<string, unknown> }
): Promise<ImportSummary> {
	const started = Date.now();
	const startedAt = new Date(started).toISOString();
	const summary = startSummary(kind.kind, fileName);
	summary.encoding = 'utf-8';
	summary.delimiter = '—';
	try {
		if ((await stat(filePath)).size > MAX_FEATURE_FILE_BYTES) throw new ImportFileError(`the file is larger than ${MAX_FEATURE_FILE_BYTES / 2 ** 20} MB`);
		const bytes = await readFile(filePath);
		summary.contentHash = createHash('sha256').update(bytes).digest('hex');
		const { format, features, projection } = readFeatureFile(bytes, { srid });
		if (features.length === 0) throw new ImportFileError('the file has no features');
		summary.preset = kind.prepare(format, features) + (projection ? `, ${projection}` : '');
		const records: R[] = [];
		features.forEach((feature, i) => {
			summary.rowsRead++;
			const result = kind.read(feature, i + 1);
			if ('record' in result) records.push(result.record);
			else {
				summary.invalid++;
				summary.issues.push(...result.issues);
			}
		});
		if (summary.invalid > 0 && !skipInvalid) throw new Rejected();

		await inTransaction(db, async (tx) => {
			summary.importId = await insertImportRow(tx, summary, actor, startedAt, details);
			const written = await kind.write(tx, records, summary.importId);
			summary.inserted = written.inserted;
			summary.duplicate = records.length - written.inserted;
			summary.repaired = written.repaired;
			summary.durationMs = Date.now() - started;
			await finishImportRow(tx, summary);
			await recordIssues(tx, summary.importId, summary.issues);
			await recordAudit(tx, actor, `import.${kind.kind}`, fileName, { ...auditDetails(summary), repaired: written.repaired.length });
		});
	} catch (err) {
		if (!(err instanceof Rejected || err instanceof ImportFileError)) throw err;
		await recordRejection(db, summary, err, { actor, startedAt, started, details });
	}
	return summary;
}

/**
 * A GeoJSON geometry parameter as a 2-D EPSG:4326 geometry: KML and some GeoJSON carry heights,
 * which the 2-D columns refuse.
 */
export const geometryFromGeoJsonSql = (json: string) => sql`ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(${json}), 4326))`;
