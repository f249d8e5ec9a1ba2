import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { kml as kmlToGeoJson } from '@tmcw/togeojson';
import { DOMParser } from '@xmldom/xmldom';
import { sql } from 'drizzle-orm';
import { feature as topojsonFeature } from 'topojson-client';
import type { Topology } from 'topojson-specification';
import type { Geometry } from 'geojson';
import { parseDbf, parseShp } from 'shpjs';
import { LATITUDE_COLUMNS, LONGITUDE_COLUMNS } from '../../import/columns';
import { ImportFileError, type ImportIssue } from '../../import/issues';
import { projectionFromPrj, projectionFromSrid, reprojectGeometry, type SourceProjection } from '../../import/projection';
import { recordAudit, type Actor } from '../audit';
import { openCsv } from './read-csv';
import { unzipBounded } from './zip';
import { inTransaction, type Database } from '../db/index';
import { auditDetails, finishImportRow, insertImportRow, recordIssues, recordRejection, Rejected, startSummary, type ImportSummary } from './pipeline';

/** Largest feature file read whole (CSV points stream and have no such limit). */
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
 * property. Read by the same streaming reader as tabular imports (encoding detection, the same
 * record limit), so no kind reads CSV with other rules. A cell that is not a number is kept as NaN
 * so the geometry check names the row.
 */
async function pointsOfCsv(filePath: string): Promise<unknown[]> {
	const csv = await openCsv(filePath);
	const lower = csv.header.map((h) => h.toLowerCase());
	const lat = lower.findIndex((h) => LATITUDE_COLUMNS.includes(h));
	const lon = lower.findIndex((h) => LONGITUDE_COLUMNS.includes(h));
	if (lat < 0 || lon < 0) {
		throw new ImportFileError(`a CSV of points needs latitude and longitude columns (${LATITUDE_COLUMNS.join('/')}, ${LONGITUDE_COLUMNS.join('/')}); found: ${csv.header.join(', ')}`);
	}
	const features: unknown[] = [];
	for await (const { values } of csv.records) {
		features.push({
			type: 'Feature',
			properties: Object.fromEntries(csv.header.map((h, i) => [h, values[i] ?? null]).filter((_, i) => i !== lat && i !== lon)),
			geometry: { type: 'Point', coordinates: [Number(values[lon]?.trim() || NaN), Number(values[lat]?.trim() || NaN)] }
		});
	}
	return features;
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

// What a shapefile or a KMZ needs from its zip; nothing else is inflated.
const ZIP_PARTS = /\.(shp|dbf|prj|cpg|kml)$/i;

/** A zip: a shapefile (first .shp), else KMZ (first .kml). */
function readZip(bytes: Buffer, srid: number | undefined): FeatureFile {
	const unzipped = unzipBounded(bytes, (name) => !name.startsWith('__MACOSX/') && ZIP_PARTS.test(name));
	const entries = unzipped.entries;
	const names = unzipped.names.filter((n) => !n.startsWith('__MACOSX/'));
	const shpName = names.find((n) => n.toLowerCase().endsWith('.shp'));
	if (shpName) return featuresOfShapefile(entries, shpName, srid);
	const kmlName = names.find((n) => n.toLowerCase().endsWith('.kml'));
	if (!kmlName) throw new ImportFileError(`the zip holds no shapefile (.shp) and no .kml (found: ${names.join(', ') || 'nothing'})`);
	return { format: 'KMZ', features: featuresOfKml(Buffer.from(entries[kmlName]).toString('utf8')) };
}

/**
 * Reads a GeoJSON, TopoJSON, KML, KMZ, zipped shapefile or point CSV file, told apart by its first
 * bytes, with its SHA-256. `srid` states the coordinate system of a shapefile (needed when it has
 * no .prj). Files other than CSV are parsed whole, up to {@link MAX_FEATURE_FILE_BYTES}.
 */
export async function readFeatureFile(filePath: string, { srid }: { srid?: number } = {}): Promise<FeatureFile & { contentHash: string }> {
	const { size } = await stat(filePath);
	const handle = await open(filePath, 'r');
	const head = Buffer.alloc(Math.min(size, 4096));
	await handle.read(head, 0, head.length, 0);
	await handle.close();
	const headText = head.toString('utf8').replace(/^\uFEFF/, '');
	const isZip = head[0] === 0x50 && head[1] === 0x4b;
	if (!isZip && !headText.trimStart().startsWith('<') && !/^\s*[{[]/.test(headText)) {
		const features = await pointsOfCsv(filePath);
		return { format: 'CSV', features, contentHash: await hashFile(filePath) };
	}
	if (size > MAX_FEATURE_FILE_BYTES) throw new ImportFileError(`the file is larger than ${MAX_FEATURE_FILE_BYTES / 2 ** 20} MB`);
	const bytes = await readFile(filePath);
	const contentHash = createHash('sha256').update(bytes).digest('hex');
	if (isZip) return { ...readZip(bytes, srid), contentHash };
	const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
	if (text.trimStart().startsWith('<')) return { format: 'KML', features: featuresOfKml(text), contentHash };
	let parsed: { type?: string; features?: unknown[]; objects?: Record<string, unknown> };
	try {
		parsed = JSON.parse(text);
	} catch (err) {
		throw new ImportFileError(`not valid JSON: ${(err as Error).message}`);
	}
	return { format: parsed?.type === 'Topology' ? 'TopoJSON' : 'GeoJSON', features: featuresOf(parsed), contentHash };
}

async function hashFile(filePath: string): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of createReadStream(filePath)) hash.update(chunk as Buffer);
	return hash.digest('hex');
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
		const { format, features, projection, contentHash } = await readFeatureFile(filePath, { srid });
		summary.contentHash = contentHash;
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
