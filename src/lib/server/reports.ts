import { sql } from 'drizzle-orm';
import type { Bbox } from '../api/params';
import { cellOfPosition, cellToDecimal } from '../grid/h3';
import type { SignalObservationRecord } from '../signal/observation';
import { returningJsonChunks } from './db/bulk';
import type { Database } from './db/index';
import type { Settings } from '../settings/definitions';
import { applyInsertedReports } from './measured';
import { INSERTED_CONTRIBUTIONS, type InsertedContribution } from './measured-reports';
import { readSettings } from './settings';

/** A signal observation to store. */
export interface ReportInput extends SignalObservationRecord {
	synthetic: boolean;
	/** A resident's report: its id (resident_reports.id), so it is stored once and can be found again. */
	dedupeKey?: string | null;
}

/**
 * Inserts reports, each with its resolution-9 H3 cell computed here (h3-js) rather than in SQL, and
 * adds them to the measured layer in the same transaction as the caller's (no stale reads).
 */
export async function insertReports(db: Database, reports: readonly ReportInput[], settings?: Settings): Promise<number> {
	const records = reports.map((r) => ({
		...r,
		lng: r.position[0],
		lat: r.position[1],
		h3: cellToDecimal(cellOfPosition(r.position)),
		dedupeKey: r.dedupeKey ?? null,
		position: undefined
	}));
	const rows = await returningJsonChunks<(typeof records)[number], InsertedContribution>(
		db,
		records,
		(json) => sql`
		insert into signal_reports as c (source_kind, operator_code, technology, rsrp_dbm, rssi_dbm, signal_bars, no_service,
			download_mbps, upload_mbps, latency_ms, observed_at, accuracy_m, h3_res9, reporter_key, synthetic, dedupe_key, geom)
		select r."sourceKind", r."operatorCode", r."technology", r."rsrpDbm", r."rssiDbm", r."signalBars", r."noService",
			r."downloadMbps", r."uploadMbps", r."latencyMs", r."observedAt", r."accuracyM", r."h3"::bigint, r."reporterKey",
			r."synthetic", r."dedupeKey", ST_SetSRID(ST_MakePoint(r."lng", r."lat"), 4326)
		from json_to_recordset(${json}) as r("sourceKind" text, "operatorCode" text, "technology" text, "rsrpDbm" real,
			"rssiDbm" real, "signalBars" smallint, "noService" boolean, "downloadMbps" real, "uploadMbps" real,
			"latencyMs" real, "observedAt" timestamptz, "accuracyM" real, "h3" text, "reporterKey" text,
			"synthetic" boolean, "dedupeKey" uuid, "lng" float8, "lat" float8)
		returning ${INSERTED_CONTRIBUTIONS}`
	);
	// `settings`: those the caller read in this transaction already (one query fewer per intake batch).
	if (rows.length > 0) await applyInsertedReports(db, rows, settings ?? (await readSettings(db)));
	return rows.length;
}

/**
 * The most recent reports inside `bbox`, at most `limit`, as a GeoJSON FeatureCollection text.
 * Exact points and no reporter identity: the reporter key never leaves the database.
 */
export async function reportsInBbox(db: Database, bbox: Bbox, limit: number): Promise<string> {
	const [w, s, e, n] = bbox;
	const [row] = await db.rows<{ fc: string }>(sql`
		with picked as (
			select * from signal_reports r
			where r.geom && ST_MakeEnvelope(${w}::float8, ${s}::float8, ${e}::float8, ${n}::float8, 4326)
			order by r.observed_at desc, r.id desc
			limit ${limit}
		)
		select json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
			'type', 'Feature',
			'id', p.id,
			'geometry', ST_AsGeoJSON(p.geom, 5)::json,
			'properties', json_strip_nulls(json_build_object('sourceKind', p.source_kind, 'operator', p.operator_code,
				'technology', p.technology, 'rsrpDbm', p.rsrp_dbm, 'rssiDbm', p.rssi_dbm, 'signalBars', p.signal_bars,
				'noService', p.no_service, 'observedAt', to_char(p.observed_at at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD'),
				'synthetic', p.synthetic))
		)), '[]'::json))::text as fc
		from picked p`);
	return row.fc;
}
