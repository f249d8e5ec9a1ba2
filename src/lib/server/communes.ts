import { sql } from 'drizzle-orm';
import type { Geometry } from 'geojson';
import type { Bbox } from '../api/params';
import { simplifyToleranceDeg } from '../grid/simplify';
import { toSearchKey } from '../text/search-key';
import { cachePerDatabase, readDataVersion } from './data-version';
import { insertJsonChunks } from './db/bulk';
import type { Database } from './db/index';

export type BoundarySet = '2025' | 'pre2025';

/** A commune to store. */
export interface CommuneInput {
	code: string;
	boundarySet: BoundarySet;
	name: string;
	kind: string | null;
	provinceCode: string;
	provinceName: string | null;
	districtCode: string | null;
	population: number | null;
	households: number | null;
	householdsSynthetic: boolean;
	areaKm2: number | null;
	source: string;
	geometry: Geometry;
}

/** A search hit: enough to label it and fly the map there. */
export interface CommuneMatch {
	code: string;
	name: string;
	kind: string | null;
	provinceName: string | null;
	boundarySet: BoundarySet;
	bbox: Bbox;
}

/** Inserts communes; polygons become MultiPolygons and the search key is derived from the name. */
export async function insertCommunes(db: Database, communes: readonly CommuneInput[]): Promise<number> {
	const records = communes.map((c) => ({ ...c, searchKey: toSearchKey(c.name), geometry: JSON.stringify(c.geometry) }));
	return insertJsonChunks(
		db,
		records,
		(json) => sql`
		insert into communes (code, boundary_set, name, search_key, kind, province_code, province_name, district_code,
			population, households, households_synthetic, area_km2, source, geom)
		select r."code", r."boundarySet", r."name", r."searchKey", r."kind", r."provinceCode", r."provinceName", r."districtCode",
			r."population", r."households", r."householdsSynthetic", r."areaKm2", r."source",
			ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(r."geometry"), 4326))
		from json_to_recordset(${json}) as r("code" text, "boundarySet" text, "name" text, "searchKey" text, "kind" text,
			"provinceCode" text, "provinceName" text, "districtCode" text, "population" integer, "households" integer,
			"householdsSynthetic" boolean, "areaKm2" real, "source" text, "geometry" text)`,
		500
	);
}

/** One commune drawn at one zoom: its GeoJSON Feature text and its bbox, for cheap bbox filtering. */
interface DrawnCommune {
	bbox: Bbox;
	feature: string;
}

// Simplification (ST_SimplifyPreserveTopology) is most of a communes request's cost: each boundary
// set is simplified once per zoom and data version, then any bbox is a filter over the results.
const drawnCache = cachePerDatabase<DrawnCommune[]>(2 * 23);

/** The data version the communes layer answers from (boundaries, names, households). */
export const communesVersion = (db: Database) => readDataVersion(db, ['communes']);

/** Every commune of a boundary set as drawn at `zoom`, computed in SQL once per data version. */
async function drawnCommunes(db: Database, zoom: number, boundarySet: BoundarySet, version: string): Promise<DrawnCommune[]> {
	return drawnCache(db).get(`${boundarySet}:${zoom}`, version, async () => {
		const tolerance = simplifyToleranceDeg(zoom);
		const digits = Math.min(7, Math.max(3, Math.ceil(Math.log10(1 / tolerance)) + 1));
		const rows = await db.rows<{ feature: string; w: number; s: number; e: number; n: number }>(sql`
			select json_build_object(
				'type', 'Feature',
				'id', c.id,
				'geometry', ST_AsGeoJSON(ST_SimplifyPreserveTopology(c.geom, ${tolerance}::float8), ${digits}::int)::json,
				'properties', json_build_object(
					'code', c.code, 'name', c.name, 'kind', c.kind, 'provinceCode', c.province_code,
					'provinceName', c.province_name, 'districtCode', c.district_code, 'boundarySet', c.boundary_set,
					'population', c.population, 'households', c.households, 'householdsSynthetic', c.households_synthetic,
					'areaKm2', c.area_km2,
					'label', json_build_array(round(ST_X(ST_PointOnSurface(c.geom))::numeric, 5), round(ST_Y(ST_PointOnSurface(c.geom))::numeric, 5)))
			)::text as feature, ST_XMin(c.geom) as w, ST_YMin(c.geom) as s, ST_XMax(c.geom) as e, ST_YMax(c.geom) as n
			from communes c
			where c.boundary_set = ${boundarySet}
			order by c.code`);
		return rows.map((r) => ({ feature: r.feature, bbox: [Number(r.w), Number(r.s), Number(r.e), Number(r.n)] }));
	});
}

/**
 * Communes of a boundary set that meet `bbox` (their bounding boxes overlap, as PostGIS's `&&`),
 * as a GeoJSON FeatureCollection text, geometry simplified for `zoom`. `version` is the communes
 * data version the caller read (and answers with as its ETag); read here when not given.
 */
export async function communesInBbox(db: Database, bbox: Bbox, zoom: number, boundarySet: BoundarySet, version?: string): Promise<string> {
	const [w, s, e, n] = bbox;
	const drawn = await drawnCommunes(db, zoom, boundarySet, version ?? (await communesVersion(db)));
	const features = drawn.filter((c) => c.bbox[0] <= e && c.bbox[2] >= w && c.bbox[1] <= n && c.bbox[3] >= s).map((c) => c.feature);
	return `{"type":"FeatureCollection","features":[${features.join(',')}]}`;
}

/**
 * Communes whose name matches `query` ignoring case and diacritics ("Dam Thuy" finds "Đàm Thuỷ"):
 * prefix matches of the whole name first, then names containing every typed word.
 */
export async function searchCommunes(db: Database, query: string, boundarySet: BoundarySet, limit = 10): Promise<CommuneMatch[]> {
	const key = toSearchKey(query);
	if (key === '') return [];
	const words = key.split(' ');
	const everyWord = sql.join(
		words.map((w) => sql`(' ' || c.search_key) like ${`% ${escapeLike(w)}%`}`),
		sql` and `
	);
	const rows = await db.rows<{ code: string; name: string; kind: string | null; province_name: string | null; boundary_set: BoundarySet; w: number; s: number; e: number; n: number }>(sql`
		select c.code, c.name, c.kind, c.province_name, c.boundary_set,
			ST_XMin(c.geom) as w, ST_YMin(c.geom) as s, ST_XMax(c.geom) as e, ST_YMax(c.geom) as n
		from communes c
		where c.boundary_set = ${boundarySet} and ${everyWord}
		order by (c.search_key like ${`${escapeLike(key)}%`}) desc, length(c.search_key), c.code
		limit ${limit}`);
	return rows.map((r) => ({
		code: r.code,
		name: r.name,
		kind: r.kind,
		provinceName: r.province_name,
		boundarySet: r.boundary_set,
		bbox: [Number(r.w), Number(r.s), Number(r.e), Number(r.n)]
	}));
}

function escapeLike(text: string): string {
	return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Vietnam's mainland extent, the view when no commune is loaded yet. */
export const VIETNAM_BBOX: Bbox = [102.14, 8.18, 109.47, 23.39];

/** The extent of a boundary set's communes, or null when it holds none. */
export async function communesExtent(db: Database, boundarySet: BoundarySet): Promise<Bbox | null> {
	const [row] = await db.rows<{ w: number | null; s: number; e: number; n: number }>(sql`
		select ST_XMin(x) as w, ST_YMin(x) as s, ST_XMax(x) as e, ST_YMax(x) as n
		from (select ST_Extent(geom) as x from communes where boundary_set = ${boundarySet}) t`);
	return row?.w == null ? null : [Number(row.w), Number(row.s), Number(row.e), Number(row.n)];
}
