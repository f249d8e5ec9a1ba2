import { open } from 'node:fs/promises';
import { resolveColumns, type FieldSpec } from '../../import/columns';
import type { TextEncoding } from '../../import/encoding';
import { MEASUREMENT_FIELDS } from '../../import/measurements';
import { fileFamily, suggestFeatureKind, suggestRasterKind, suggestTabularKind } from '../../import/suggest';
import { isOpenCellidHeader, OPENCELLID_FIELDS, SITE_LIST_FIELDS } from '../../import/towers';
import { CROSSWALK_FIELDS, FIBER_FIELDS, HOUSEHOLD_FIELDS } from '../../import/units';
import { isRasterKind, isTabularKind, type AnyImportKind } from './any';
import { readFeatureFile } from './features';
import { ZipTooLargeError } from './zip';
import { previewWarnings, type PreviewWarning } from '../../import/explain';
import { describeRaster } from './rasters';
import { openCsv } from './read-csv';

const PREVIEW_ROWS = 5;

/** What the upload page shows before an import starts: what was detected, a sample, and the mapping. */
export interface ImportPreview {
	family: 'csv' | 'features' | 'raster';
	suggestedKind: AnyImportKind | null;
	/** Encoding, delimiter, format, projection, raster size — whatever applies. */
	detected: Record<string, string>;
	header: string[];
	rows: string[][];
	/** For CSV kinds: the fields the kind reads and the column each resolved to. */
	fields: { field: string; required: boolean; column: string | null }[];
	/** Why the file cannot be imported as the chosen kind with this mapping, if it cannot. */
	problem: string | null;
	/** What the sample suggests will go wrong although the file can be imported (e.g. no row in Vietnam). */
	warnings: PreviewWarning[];
}

function fieldsOf(kind: AnyImportKind, header: readonly string[]): readonly FieldSpec[] {
	switch (kind) {
		case 'measurements':
			return MEASUREMENT_FIELDS;
		case 'towers':
			return isOpenCellidHeader(header) ? OPENCELLID_FIELDS : SITE_LIST_FIELDS;
		case 'households':
			return HOUSEHOLD_FIELDS;
		case 'fiber':
			return FIBER_FIELDS;
		case 'crosswalk':
			return CROSSWALK_FIELDS;
		default:
			return [];
	}
}

/** Which files a kind can come from; facilities and villages also come as CSV points (lat/lon columns). */
function familiesOf(kind: AnyImportKind): ImportPreview['family'][] {
	if (isTabularKind(kind)) return ['csv'];
	if (isRasterKind(kind)) return ['raster'];
	return kind === 'facilities' || kind === 'villages' ? ['features', 'csv'] : ['features'];
}

const message = (err: unknown) => (err as Error).message;

/**
 * Previews an uploaded file as `kind` (or as the kind it looks like): CSV header, first rows and
 * the column mapping; feature files' format, projection and first features' properties; rasters'
 * size and coordinate system.
 */
export async function previewImport(
	filePath: string,
	fileName: string,
	{ kind, mapping = {}, srid, encoding }: { kind?: AnyImportKind; mapping?: Record<string, string>; srid?: number; encoding?: TextEncoding } = {}
): Promise<ImportPreview> {
	const handle = await open(filePath, 'r');
	const head = new Uint8Array(64);
	await handle.read(head, 0, 64, 0);
	await handle.close();
	const family = fileFamily(fileName, head);
	const preview: ImportPreview = { family, suggestedKind: null, detected: {}, header: [], rows: [], fields: [], problem: null, warnings: [] };
	try {
		if (family === 'raster') {
			preview.suggestedKind = suggestRasterKind(fileName);
			const r = await describeRaster(filePath, fileName, srid);
			preview.detected = { format: r.format, size: `${r.width} × ${r.height} px`, projection: r.crs, extent: r.extent.map((v) => v.toFixed(4)).join(', ') };
		} else if (family === 'features') {
			const file = await readFeatureFile(filePath, { srid });
			preview.suggestedKind = suggestFeatureKind(file.features);
			preview.detected = { format: file.format, features: String(file.features.length), ...(file.projection ? { projection: file.projection } : {}) };
			const sample = (file.features as { properties?: Record<string, unknown> | null; geometry?: { type?: string } | null }[]).slice(0, PREVIEW_ROWS);
			preview.header = [...new Set(['geometry', ...sample.flatMap((f) => Object.keys(f.properties ?? {}))])].slice(0, 12);
			preview.rows = sample.map((f) => preview.header.map((h) => (h === 'geometry' ? (f.geometry?.type ?? '—') : String(f.properties?.[h] ?? ''))));
		} else {
			const csv = await openCsv(filePath, { encoding });
			preview.suggestedKind = suggestTabularKind(csv.header);
			preview.detected = { encoding: csv.encoding, delimiter: csv.delimiter === '\t' ? 'tab' : csv.delimiter };
			preview.header = csv.header;
			for await (const { values } of csv.records) {
				preview.rows.push(values);
				if (preview.rows.length >= PREVIEW_ROWS) break;
			}
		}
	} catch (err) {
		// A zip bomb is no preview problem to show but a refusal (413) of the upload itself.
		if (err instanceof ZipTooLargeError) throw err;
		preview.problem = message(err);
		return preview;
	}
	const chosen = kind ?? preview.suggestedKind;
	if (!chosen) {
		preview.problem = 'the file does not look like any import kind; choose one';
		return preview;
	}
	if (!familiesOf(chosen).includes(family)) preview.problem = `a ${family === 'csv' ? 'CSV' : family === 'raster' ? 'raster' : 'feature'} file cannot be imported as ${chosen}`;
	else if (isTabularKind(chosen)) {
		const specs = fieldsOf(chosen, preview.header);
		try {
			const columns = resolveColumns(preview.header, specs, mapping);
			preview.fields = specs.map((s) => ({ field: s.field, required: s.required, column: columns[s.field]?.header ?? null }));
			preview.warnings = previewWarnings(preview.header, preview.rows, (field) => columns[field]?.header ?? null);
		} catch (err) {
			preview.problem = message(err);
			preview.fields = specs.map((s) => ({ field: s.field, required: s.required, column: mapping[s.field] ?? null }));
		}
	}
	return preview;
}
