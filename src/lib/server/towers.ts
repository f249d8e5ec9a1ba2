import { sql } from 'drizzle-orm';
import type { Bbox } from '../api/params';
import { insertJsonChunks } from './db/bulk';
import type { Database } from './db/index';

/** A base-station site to store. */
export interface TowerInput {
	operatorCode: string;
	siteCode: string;
	technologies: string[];
	antennaHeightM: number | null;
	source: string;
	synthetic: boolean;
	position: [number, number];
}

/** Inserts sites; a site already stored for the same source and operator is left as it is. */
export async function insertTowers(db: Database, towers: readonly TowerInput[]): Promise<number> {
	const records = towers.map((t) => ({ ...t, lng: t.position[0], lat: t.position[1], position: undefined }));
	return insertJsonChunks(
		db,
		records,
		(json) => sql`
		insert into towers (operator_code, site_code, technologies, antenna_height_m, source, synthetic, geom)
		select r."operatorCode", r."siteCode", array(select json_array_elements_text(r."technologies")), r."antennaHeightM",
			r."source", r."synthetic", ST_SetSRID(ST_MakePoint(r."lng", r."lat"), 4326)
		from json_to_recordset(${json}) as r("operatorCode" text, "siteCode" text, "technologies" json,
			"antennaHeightM" real, "source" text, "synthetic" boolean, "lng" float8, "lat" float8)
		on conflict (source, operator_code, site_code) do nothing`
	);
}

/** Sites inside `bbox` as a GeoJSON FeatureCollection text. */
export async function towersInBbox(db: Database, bbox: Bbox): Promise<string> {
	const [w, s, e, n] = bbox;
	const [row] = await db.rows<{ fc: string }>(sql`
		select json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
			'type', 'Feature',
			'id', t.id,
			'geometry', ST_AsGeoJSON(t.geom, 6)::json,
			'properties', json_build_object('siteCode', t.site_code, 'operator', t.operator_code,
				'technologies', t.technologies, 'antennaHeightM', t.antenna_height_m, 'source', t.source, 'synthetic', t.synthetic)
		) order by t.id), '[]'::json))::text as fc
		from towers t
		where t.geom && ST_MakeEnvelope(${w}::float8, ${s}::float8, ${e}::float8, ${n}::float8, 4326)`);
	return row.fc;
}
