import { parquetWriteBuffer } from 'hyparquet-writer';
import { rowsToCsv } from '../text/csv';

/**
 * An open-data table: typed columns, one geometry per row, and the metadata that makes it
 * citable (vintage, licence, rules). Written as CSV, GeoJSON or GeoParquet from the same rows, so
 * the three files of a dataset hold the same figures. Pure: bytes in memory, no I/O.
 */

export type ColumnType = 'STRING' | 'DOUBLE' | 'INT32' | 'BOOLEAN';

export interface OpenColumn {
	name: string;
	type: ColumnType;
	/** What the column holds, with its unit (the data package's field description). */
	description: string;
}

export interface OpenMetadata {
	dataset: string;
	title: string;
	description: string;
	/** The data version and the day the figures are as of. */
	vintage: { version: string; day: string };
	licence: { name: string; path: string };
	attribution: string;
	/** The rules the figures follow (k reporters, resolution, thresholds…), in words. */
	rules: string[];
	synthetic: boolean;
}

export interface OpenTable {
	metadata: OpenMetadata;
	columns: OpenColumn[];
	rows: Record<string, string | number | boolean | null>[];
	/** WGS 84 geometry of each row. */
	geometries: GeoJSON.Geometry[];
}

export const OPEN_FORMATS = ['csv', 'geojson', 'parquet'] as const;
export type OpenFormat = (typeof OPEN_FORMATS)[number];

export const CONTENT_TYPES: Record<OpenFormat, string> = {
	csv: 'text/csv; charset=utf-8',
	geojson: 'application/geo+json; charset=utf-8',
	parquet: 'application/vnd.apache.parquet'
};


/** A representative point of a geometry (first coordinate of a point, bbox centre otherwise), for CSV's lng/lat columns. */
export function anchorOf(g: GeoJSON.Geometry): [number, number] {
	if (g.type === 'Point') return [g.coordinates[0], g.coordinates[1]];
	const [w, s, e, n] = boundsOf([g]);
	return [Math.round(((w + e) / 2) * 1e6) / 1e6, Math.round(((s + n) / 2) * 1e6) / 1e6];
}

/** CSV (UTF-8 with a BOM for Excel): the columns, then `lng,lat` of each row's anchor point. */
export function tableToCsv(t: OpenTable): string {
	const rows = t.rows.map((r, i) => {
		const [lng, lat] = anchorOf(t.geometries[i]);
		return { ...r, lng, lat };
	});
	return rowsToCsv(rows, [...t.columns.map((c) => c.name), 'lng', 'lat']);
}

/** A GeoJSON FeatureCollection; the metadata rides along as a foreign member (RFC 7946 §6.1). */
export function tableToGeoJson(t: OpenTable): string {
	return JSON.stringify({
		type: 'FeatureCollection',
		metadata: { ...t.metadata, columns: t.columns },
		features: t.rows.map((properties, i) => ({ type: 'Feature', geometry: t.geometries[i], properties }))
	});
}

function geometryTypes(geometries: readonly GeoJSON.Geometry[]): string[] {
	return [...new Set(geometries.map((g) => g.type))].sort();
}

/**
 * GeoParquet 1.1 (WKB `geometry` column with the `geo` file metadata, and Parquet's own GEOMETRY
 * logical type, which hyparquet-writer writes with its bounding-box statistics). The metadata goes
 * in the file's key-value metadata as `phu_song`.
 */
export function tableToGeoParquet(t: OpenTable): Uint8Array {
	const columnData = [
		...t.columns.map((c) => ({ name: c.name, type: c.type, data: t.rows.map((r) => r[c.name] ?? null) })),
		{ name: 'geometry', type: 'GEOMETRY' as const, data: t.geometries }
	];
	const bbox = t.geometries.length > 0 ? boundsOf(t.geometries) : undefined;
	const geo = {
		version: '1.1.0',
		primary_column: 'geometry',
		columns: { geometry: { encoding: 'WKB', geometry_types: geometryTypes(t.geometries), crs: null, ...(bbox ? { bbox } : {}) } }
	};
	// crs null would mean "unknown" in GeoParquet; omitting it means OGC:CRS84 (lon/lat WGS 84), which these are.
	delete (geo.columns.geometry as { crs?: null }).crs;
	const buffer = parquetWriteBuffer({
		columnData,
		kvMetadata: [
			{ key: 'geo', value: JSON.stringify(geo) },
			{ key: 'phu_song', value: JSON.stringify({ ...t.metadata, columns: t.columns }) }
		],
		createdBy: 'Phủ Sóng (hyparquet-writer)'
	});
	return new Uint8Array(buffer);
}

/** [west, south, east, north] of every coordinate of the geometries. */
export function boundsOf(geometries: readonly GeoJSON.Geometry[]): [number, number, number, number] {
	let w = Infinity;
	let s = Infinity;
	let e = -Infinity;
	let n = -Infinity;
	const visit = (c: unknown): void => {
		if (Array.isArray(c) && typeof c[0] === 'number') {
			w = Math.min(w, c[0]);
			e = Math.max(e, c[0]);
			s = Math.min(s, c[1] as number);
			n = Math.max(n, c[1] as number);
		} else if (Array.isArray(c)) c.forEach(visit);
	};
	const coordinatesOf = (g: GeoJSON.Geometry): unknown => (g.type === 'GeometryCollection' ? g.geometries.map(coordinatesOf) : g.coordinates);
	for (const g of geometries) visit(coordinatesOf(g));
	return [w, s, e, n];
}

/** The table in one of the open formats. */
export function writeTable(t: OpenTable, format: OpenFormat): string | Uint8Array {
	if (format === 'csv') return tableToCsv(t);
	if (format === 'geojson') return tableToGeoJson(t);
	return tableToGeoParquet(t);
}
