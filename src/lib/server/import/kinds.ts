import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { resolveColumns, type ColumnMap } from '../../import/columns';
import type { TextEncoding } from '../../import/encoding';
import type { ImportIssue } from '../../import/issues';
import { isGNetTrackHeader, MEASUREMENT_FIELDS, readMeasurement, type MeasurementRecord } from '../../import/measurements';
import { groupCellsIntoSites, isOpenCellidHeader, OPENCELLID_FIELDS, readOpenCellidRow, readSiteListRow, SITE_LIST_FIELDS, type CellRecord, type SiteRecord } from '../../import/towers';
import { CROSSWALK_FIELDS, FIBER_FIELDS, HOUSEHOLD_FIELDS, readCrosswalkRow, readFiberRow, readHouseholdRow, type CrosswalkRecord, type FiberRecord, type HouseholdRecord } from '../../import/units';
import { cellOfPosition, cellToDecimal } from '../../grid/h3';
import { affectedRowCount, insertJsonChunks } from '../db/bulk';
import type { Database } from '../db/index';

export const IMPORT_KINDS = ['measurements', 'towers', 'households', 'fiber', 'crosswalk'] as const;
export type ImportKindName = (typeof IMPORT_KINDS)[number];

export interface ImportOptions {
	/** field → column overrides (--map field=column). */
	mapping: Record<string, string>;
	decimalComma: boolean;
	/** Country filter for OpenCelliD files (Vietnam: 452). */
	mcc: number;
	/** Boundary set of the communes households and fiber refer to. */
	boundarySet: '2025' | 'pre2025';
	/** The file's text encoding when the caller says it; detected otherwise. */
	encoding?: TextEncoding;
}

export interface WriteCounts {
	inserted: number;
	updated: number;
	duplicate: number;
}

export type RowResult<R> = { record: R } | { skipped: string } | { issues: ImportIssue[] };

/** An import kind, ready for one file: how to read a row and how to write a batch. */
export interface PreparedKind<R> {
	preset: string | null;
	columns: ColumnMap;
	read(values: readonly string[], where: { row: number; line: number }): RowResult<R>;
	write(tx: Database, records: R[], importId: number): Promise<WriteCounts>;
	/** Kinds that must see every row first (towers group cells into sites) write here. */
	finish?(tx: Database, importId: number): Promise<WriteCounts>;
}

interface Context {
	db: Database;
	options: ImportOptions;
	/** One file counts as one reporter (for the evidence rules). */
	fileReporterKey: string;
}

async function knownCommunes(db: Database, set: string): Promise<Set<string>> {
	const rows = await db.rows<{ code: string }>(sql`select code from communes where boundary_set = ${set}`);
	return new Set(rows.map((r) => r.code));
}

const none: WriteCounts = { inserted: 0, updated: 0, duplicate: 0 };

function prepareMeasurements(header: string[], { options, fileReporterKey }: Context): PreparedKind<MeasurementRecord> {
	const columns = resolveColumns(header, MEASUREMENT_FIELDS, options.mapping);
	return {
		preset: isGNetTrackHeader(header) ? 'G-NetTrack Pro' : null,
		columns,
		read: (values, where) => readMeasurement(values, columns, where, options),
		async write(tx, records, importId) {
			const rows = records.map((m) => ({
				...m,
				h3: cellToDecimal(cellOfPosition([m.lng, m.lat])),
				// What the row says, not where it came from: the same row from another file is the same measurement.
				key: createHash('sha1')
					.update(`${m.operatorCode}|${m.technology}|${m.observedAt}|${m.lng.toFixed(6)}|${m.lat.toFixed(6)}|${m.rsrpDbm}|${m.rssiDbm}|${m.rsrqDb}|${m.sinrDb}`)
					.digest()
					.toString('hex', 0, 16)
			}));
			const inserted = await insertJsonChunks(
				tx,
				rows,
				(json) => sql`
				insert into signal_reports (source_kind, operator_code, technology, rsrp_dbm, rssi_dbm, rsrq_db, sinr_db, no_service,
					download_mbps, upload_mbps, latency_ms, observed_at, accuracy_m, h3_res9, reporter_key, synthetic, import_id, dedupe_key, geom)
				select 'drive_test', r."operatorCode", r."technology", r."rsrpDbm", r."rssiDbm", r."rsrqDb", r."sinrDb", false,
					r."downloadMbps", r."uploadMbps", r."latencyMs", r."observedAt", r."accuracyM", r."h3"::bigint, ${fileReporterKey}, false,
					${importId}, r."key", ST_SetSRID(ST_MakePoint(r."lng", r."lat"), 4326)
				from json_to_recordset(${json}) as r("operatorCode" text, "technology" text, "rsrpDbm" real, "rssiDbm" real,
					"rsrqDb" real, "sinrDb" real, "downloadMbps" real, "uploadMbps" real, "latencyMs" real, "observedAt" timestamptz,
					"accuracyM" real, "h3" text, "key" uuid, "lng" float8, "lat" float8)
				on conflict (h3_res9, dedupe_key) do nothing`,
				records.length
			);
			return { inserted, updated: 0, duplicate: records.length - inserted };
		}
	};
}

async function writeSites(tx: Database, sites: SiteRecord[], importId: number, source: string): Promise<WriteCounts> {
	const inserted = await insertJsonChunks(
		tx,
		sites,
		(json) => sql`
		insert into towers (operator_code, site_code, technologies, antenna_height_m, source, synthetic, cells, import_id, geom)
		select r."operatorCode", r."siteCode", array(select json_array_elements_text(r."technologies")), r."antennaHeightM",
			${source}, false, r."cells", ${importId}, ST_SetSRID(ST_MakePoint(r."lng", r."lat"), 4326)
		from json_to_recordset(${json}) as r("operatorCode" text, "siteCode" text, "technologies" json, "antennaHeightM" real,
			"cells" jsonb, "lng" float8, "lat" float8)
		on conflict (source, operator_code, site_code) do nothing`
	);
	return { inserted, updated: 0, duplicate: sites.length - inserted };
}

function prepareTowers(header: string[], { options }: Context): PreparedKind<CellRecord | SiteRecord> {
	if (isOpenCellidHeader(header)) {
		const columns = resolveColumns(header, OPENCELLID_FIELDS);
		const cells: CellRecord[] = [];
		return {
			preset: 'OpenCelliD',
			columns,
			read: (values, where) => readOpenCellidRow(values, columns, where, options),
			async write(_tx, records) {
				// Cells at one location become one site, so sites are written once every row is read.
				cells.push(...(records as CellRecord[]));
				return none;
			},
			finish: (tx, importId) => writeSites(tx, groupCellsIntoSites(cells), importId, 'opencellid')
		};
	}
	const columns = resolveColumns(header, SITE_LIST_FIELDS, options.mapping);
	return {
		preset: 'operator site list',
		columns,
		read: (values, where) => readSiteListRow(values, columns, where, options),
		write: (tx, records, importId) => writeSites(tx, records as SiteRecord[], importId, 'operator')
	};
}

async function prepareHouseholds(header: string[], { db, options }: Context): Promise<PreparedKind<HouseholdRecord>> {
	const columns = resolveColumns(header, HOUSEHOLD_FIELDS, options.mapping);
	const known = await knownCommunes(db, options.boundarySet);
	return {
		preset: null,
		columns,
		read: (values, where) => readHouseholdRow(values, columns, where, { decimalComma: options.decimalComma, knownCommunes: known }),
		async write(tx, records, importId) {
			const json = JSON.stringify(records);
			const changed = sql`c.boundary_set = ${options.boundarySet} and c.code = r."communeCode"
				and (c.population is distinct from r.population or c.households is distinct from r.households or c.households_synthetic)`;
			// Both statements see the rows as they were, so the saved values are the previous ones.
			const result = await tx.orm.execute(sql`
				with r as (select * from json_to_recordset(${json}::json) as r("communeCode" text, population integer, households integer)),
				saved as (
					insert into import_previous_values (import_id, table_name, row_id, previous)
					select ${importId}, 'communes', c.id, json_build_object('population', c.population, 'households', c.households, 'householdsSynthetic', c.households_synthetic)
					from communes c join r on ${changed}
				)
				update communes c set population = r.population, households = r.households, households_synthetic = false
				from r where ${changed}`);
			const updated = affectedRowCount(result);
			return { inserted: 0, updated, duplicate: records.length - updated };
		}
	};
}

async function prepareFiber(header: string[], { db, options }: Context): Promise<PreparedKind<FiberRecord>> {
	const columns = resolveColumns(header, FIBER_FIELDS, options.mapping);
	const known = await knownCommunes(db, options.boundarySet);
	return {
		preset: null,
		columns,
		read: (values, where) => readFiberRow(values, columns, where, { decimalComma: options.decimalComma, knownCommunes: known }),
		async write(tx, records, importId) {
			const json = JSON.stringify(records);
			const match = sql`f.unit_kind = r."unitKind" and f.unit_code = r."unitCode" and f.operator_code = r."operatorCode"`;
			const differs = sql`(f.households_total, f.households_passed, f.households_connected) is distinct from (r."householdsTotal", r."householdsPassed", r."householdsConnected")`;
			const updatedResult = await tx.orm.execute(sql`
				with r as (select * from json_to_recordset(${json}::json) as r("unitKind" text, "unitCode" text, "communeCode" text, "operatorCode" text,
					"householdsTotal" integer, "householdsPassed" integer, "householdsConnected" integer)),
				saved as (
					insert into import_previous_values (import_id, table_name, row_id, previous)
					select ${importId}, 'fiber_coverage', f.id, json_build_object('householdsTotal', f.households_total, 'householdsPassed', f.households_passed,
						'householdsConnected', f.households_connected, 'importId', f.import_id, 'synthetic', f.synthetic)
					from fiber_coverage f join r on ${match} where ${differs}
				)
				update fiber_coverage f set households_total = r."householdsTotal", households_passed = r."householdsPassed",
					households_connected = r."householdsConnected", synthetic = false
				from r where ${match} and ${differs}`);
			const insertedResult = await tx.orm.execute(sql`
				insert into fiber_coverage (unit_kind, unit_code, commune_code, operator_code, households_total, households_passed, households_connected, synthetic, import_id)
				select r."unitKind", r."unitCode", r."communeCode", r."operatorCode", r."householdsTotal", r."householdsPassed", r."householdsConnected", false, ${importId}
				from json_to_recordset(${json}::json) as r("unitKind" text, "unitCode" text, "communeCode" text, "operatorCode" text,
					"householdsTotal" integer, "householdsPassed" integer, "householdsConnected" integer)
				on conflict (unit_kind, unit_code, operator_code) do nothing`);
			const updated = affectedRowCount(updatedResult);
			const inserted = affectedRowCount(insertedResult);
			return { inserted, updated, duplicate: records.length - inserted - updated };
		}
	};
}

function prepareCrosswalk(header: string[], { options }: Context): PreparedKind<CrosswalkRecord> {
	const columns = resolveColumns(header, CROSSWALK_FIELDS, options.mapping);
	return {
		preset: null,
		columns,
		read: (values, where) => readCrosswalkRow(values, columns, where, options),
		async write(tx, records, importId) {
			// Shares are decided once every row is in (finish); 1 until then.
			const inserted = await insertJsonChunks(
				tx,
				records,
				(json) => sql`
				insert into commune_crosswalk (old_code, old_name, old_province_code, new_code, new_name, new_province_code, merge_type, share, share_rule, import_id)
				select r."oldCode", r."oldName", r."oldProvinceCode", r."newCode", r."newName", r."newProvinceCode", r."mergeType", 1, 'whole', ${importId}
				from json_to_recordset(${json}) as r("oldCode" text, "oldName" text, "oldProvinceCode" text, "newCode" text, "newName" text,
					"newProvinceCode" text, "mergeType" text)
				on conflict (old_code, new_code) do nothing`
			);
			return { inserted, updated: 0, duplicate: records.length - inserted };
		},
		async finish(tx) {
			await shareCrosswalk(tx);
			return none;
		}
	};
}

/**
 * Decides how an old commune split among several successors: by area overlap when both boundary
 * sets are loaded for all of them, else by the successors' population when all are known, else
 * equally. An old commune with one successor goes to it whole. The rule is stored per row.
 */
export async function shareCrosswalk(db: Database): Promise<void> {
	await db.orm.execute(sql`
		with x as (
			select x.id, x.old_code, count(*) over (partition by x.old_code) as successors,
				(select ST_Area(ST_Intersection(o.geom, n.geom)) from communes o, communes n
					where o.boundary_set = 'pre2025' and o.code = x.old_code and n.boundary_set = '2025' and n.code = x.new_code) as area,
				(select n.population from communes n where n.boundary_set = '2025' and n.code = x.new_code) as population
			from commune_crosswalk x
		),
		totals as (
			select old_code, sum(area) as area_sum, count(area) as area_known, sum(population) as population_sum, count(population) as population_known, count(*) as n
			from x group by old_code
		)
		update commune_crosswalk c set
			share_rule = case
				when t.n = 1 then 'whole'
				when t.area_known = t.n and t.area_sum > 0 then 'area'
				when t.population_known = t.n and t.population_sum > 0 then 'population'
				else 'equal' end,
			share = case
				when t.n = 1 then 1
				when t.area_known = t.n and t.area_sum > 0 then x.area / t.area_sum
				when t.population_known = t.n and t.population_sum > 0 then x.population::float8 / t.population_sum
				else 1.0 / t.n end
		from x join totals t on t.old_code = x.old_code
		where c.id = x.id`);
}

/** Prepares an import kind for a file's header. */
export async function prepareKind(kind: ImportKindName, header: string[], context: Context): Promise<PreparedKind<unknown>> {
	switch (kind) {
		case 'measurements':
			return prepareMeasurements(header, context) as PreparedKind<unknown>;
		case 'towers':
			return prepareTowers(header, context) as PreparedKind<unknown>;
		case 'households':
			return (await prepareHouseholds(header, context)) as PreparedKind<unknown>;
		case 'fiber':
			return (await prepareFiber(header, context)) as PreparedKind<unknown>;
		case 'crosswalk':
			return prepareCrosswalk(header, context) as PreparedKind<unknown>;
	}
}
