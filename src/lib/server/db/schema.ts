import { sql } from 'drizzle-orm';
import {
	bigint,
	bigserial,
	boolean,
	check,
	customType,
	date,
	doublePrecision,
	index,
	integer,
	jsonb,
	pgTable,
	primaryKey,
	real,
	serial,
	smallint,
	text,
	timestamp,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import { multiLineString, multiPolygon, point } from './geometry';

/** Raw bytes (drizzle has no bytea helper); both drivers take a Buffer/Uint8Array parameter. */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

/** Commune-level units (xã / phường / thị trấn) of either boundary set. */
export const communes = pgTable(
	'communes',
	{
		id: serial('id').primaryKey(),
		code: text('code').notNull(),
		boundarySet: text('boundary_set').notNull(),
		name: text('name').notNull(),
		/** Lower-case, diacritics removed, đ→d: what the search box matches against. */
		searchKey: text('search_key').notNull(),
		kind: text('kind'),
		provinceCode: text('province_code').notNull(),
		provinceName: text('province_name'),
		/** Only the pre-2025 set has districts. */
		districtCode: text('district_code'),
		population: integer('population'),
		households: integer('households'),
		/** True when households were estimated by the demo generator rather than counted. */
		householdsSynthetic: boolean('households_synthetic').notNull().default(false),
		areaKm2: real('area_km2'),
		source: text('source').notNull(),
		importId: integer('import_id'),
		geom: multiPolygon('geom').notNull()
	},
	(t) => [
		uniqueIndex('communes_set_code_uq').on(t.boundarySet, t.code),
		index('communes_geom_gix').using('gist', t.geom),
		index('communes_search_key_idx').on(t.searchKey),
		check('communes_boundary_set_ck', sql`${t.boundarySet} in ('pre2025', '2025')`)
	]
);

/** Mobile network operators. */
export const operators = pgTable('operators', {
	code: text('code').primaryKey(),
	name: text('name').notNull(),
	/** PLMN ids as "MCC-MNC", e.g. "452-04". */
	mccMnc: text('mcc_mnc').array().notNull(),
	/** Display colour "#rrggbb". */
	color: text('color').notNull()
});

/** Base-station sites: one row per site, several technologies per site. */
export const towers = pgTable(
	'towers',
	{
		id: serial('id').primaryKey(),
		operatorCode: text('operator_code')
			.notNull()
			.references(() => operators.code),
		siteCode: text('site_code').notNull(),
		technologies: text('technologies').array().notNull(),
		antennaHeightM: real('antenna_height_m'),
		source: text('source').notNull(),
		synthetic: boolean('synthetic').notNull().default(false),
		/** The radio cells at this site (OpenCelliD: radio, area, cell, unit, range). */
		cells: jsonb('cells'),
		importId: integer('import_id'),
		geom: point('geom').notNull()
	},
	(t) => [
		uniqueIndex('towers_source_site_uq').on(t.source, t.operatorCode, t.siteCode),
		index('towers_geom_gix').using('gist', t.geom)
	]
);

/**
 * Signal observations: residents' reports, drive tests and app measurements. Partitioned by range
 * of h3_res9 into resolution-2 regions (drizzle/0022_partitioning.sql, which drizzle's schema
 * cannot express): the key there is (id, h3_res9); ids stay unique by their sequence.
 */
export const signalReports = pgTable(
	'signal_reports',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		sourceKind: text('source_kind').notNull(),
		operatorCode: text('operator_code').references(() => operators.code),
		technology: text('technology'),
		rsrpDbm: real('rsrp_dbm'),
		rssiDbm: real('rssi_dbm'),
		rsrqDb: real('rsrq_db'),
		sinrDb: real('sinr_db'),
		signalBars: smallint('signal_bars'),
		noService: boolean('no_service').notNull().default(false),
		downloadMbps: real('download_mbps'),
		uploadMbps: real('upload_mbps'),
		latencyMs: real('latency_ms'),
		observedAt: timestamp('observed_at', { withTimezone: true }).notNull(),
		accuracyM: real('accuracy_m'),
		/** H3 cell at resolution 9 as a 64-bit integer; coarser cells are derived from it. */
		h3Res9: bigint('h3_res9', { mode: 'bigint' }).notNull(),
		/** Pseudonymous reporter key, for counting distinct reporters; never a phone number. */
		reporterKey: text('reporter_key'),
		synthetic: boolean('synthetic').notNull().default(false),
		/** The import that brought the row, for undo; null for reports made in the app or the demo. */
		importId: integer('import_id'),
		/**
		 * 128 bits of a hash of what the row says, so re-importing the same rows adds nothing.
		 * A uuid, not text: 16 bytes keep its index small, and the index is the cost of a bulk load.
		 */
		dedupeKey: uuid('dedupe_key'),
		geom: point('geom').notNull()
	},
	(t) => [
		index('signal_reports_geom_gix').using('gist', t.geom),
		// One index serves cell lookups (leading h3) and idempotent imports: the key hashes the
		// position, so the same row always lands in the same cell. Two indexes cost ~25 % of a load.
		uniqueIndex('signal_reports_h3_dedupe_uq').on(t.h3Res9, t.dedupeKey),
		index('signal_reports_import_idx').on(t.importId),
		index('signal_reports_observed_idx').on(t.observedAt),
		check('signal_reports_source_kind_ck', sql`${t.sourceKind} in ('resident', 'drive_test', 'app')`),
		check('signal_reports_rsrp_ck', sql`${t.rsrpDbm} is null or ${t.rsrpDbm} between -140 and -44`),
		check('signal_reports_bars_ck', sql`${t.signalBars} is null or ${t.signalBars} between 0 and 5`)
	]
);

/** Fiber-to-the-home household coverage per commune or hamlet and operator. */
export const fiberCoverage = pgTable(
	'fiber_coverage',
	{
		id: serial('id').primaryKey(),
		unitKind: text('unit_kind').notNull(),
		unitCode: text('unit_code').notNull(),
		/** The 2025 commune holding the unit. */
		communeCode: text('commune_code').notNull(),
		operatorCode: text('operator_code')
			.notNull()
			.references(() => operators.code),
		householdsTotal: integer('households_total').notNull(),
		householdsPassed: integer('households_passed').notNull(),
		householdsConnected: integer('households_connected').notNull(),
		asOf: date('as_of'),
		synthetic: boolean('synthetic').notNull().default(false),
		importId: integer('import_id')
	},
	(t) => [
		uniqueIndex('fiber_unit_operator_uq').on(t.unitKind, t.unitCode, t.operatorCode),
		check('fiber_unit_kind_ck', sql`${t.unitKind} in ('commune', 'hamlet')`),
		check(
			'fiber_counts_ck',
			sql`${t.householdsConnected} >= 0 and ${t.householdsConnected} <= ${t.householdsPassed} and ${t.householdsPassed} <= ${t.householdsTotal}`
		)
	]
);

/** Small key/value facts about the database, e.g. which demo province it holds. */
export const appMeta = pgTable('app_meta', {
	key: text('key').primaryKey(),
	value: jsonb('value').notNull(),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

/** People who sign in. The anonymous public has no account. */
export const accounts = pgTable(
	'accounts',
	{
		id: serial('id').primaryKey(),
		/** Stored lower-case; the login name. */
		email: text('email').notNull(),
		displayName: text('display_name').notNull(),
		role: text('role').notNull(),
		/** The operator a liaison speaks for; required for role `operator`, absent otherwise. */
		operatorCode: text('operator_code').references(() => operators.code),
		/** The commune a commune officer verifies reports in (role `commune`, reserved). */
		communeCode: text('commune_code'),
		/** argon2id PHC string; null until the invited person sets a password. */
		passwordHash: text('password_hash'),
		disabledAt: timestamp('disabled_at', { withTimezone: true }),
		/** Demo accounts exist only in the embedded demo database and print their passwords at start. */
		demo: boolean('demo').notNull().default(false),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		lastLoginAt: timestamp('last_login_at', { withTimezone: true })
	},
	(t) => [
		uniqueIndex('accounts_email_uq').on(t.email),
		check('accounts_role_ck', sql`${t.role} in ('admin', 'planner', 'operator', 'commune')`),
		check('accounts_operator_ck', sql`(${t.role} = 'operator') = (${t.operatorCode} is not null)`)
	]
);

/** Server-side sessions. The cookie holds a random token; only its SHA-256 is stored. */
export const sessions = pgTable(
	'sessions',
	{
		tokenHash: text('token_hash').primaryKey(),
		accountId: integer('account_id')
			.notNull()
			.references(() => accounts.id, { onDelete: 'cascade' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
		lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
		/** Absolute expiry: the session ends then however active it is. */
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull()
	},
	(t) => [index('sessions_account_idx').on(t.accountId)]
);

/** One-time links to set a password: invitations and resets. Only the token's SHA-256 is stored. */
export const passwordTokens = pgTable('password_tokens', {
	tokenHash: text('token_hash').primaryKey(),
	accountId: integer('account_id')
		.notNull()
		.references(() => accounts.id, { onDelete: 'cascade' }),
	purpose: text('purpose').notNull(),
	expiresAt: timestamp('expires_at', { withTimezone: true }).notNull()
});

/** Failed-login counters per account and per client address, for throttling. */
export const loginThrottle = pgTable('login_throttle', {
	key: text('key').primaryKey(),
	failures: integer('failures').notNull(),
	windowStartedAt: timestamp('window_started_at', { withTimezone: true }).notNull(),
	lockedUntil: timestamp('locked_until', { withTimezone: true })
});

/** Every change made by an account or the CLI: who, when, what. */
export const auditLog = pgTable(
	'audit_log',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
		actorAccountId: integer('actor_account_id').references(() => accounts.id, { onDelete: 'set null' }),
		/** "email", "cli:email" or "system": readable even after the account is gone. */
		actorLabel: text('actor_label').notNull(),
		action: text('action').notNull(),
		target: text('target'),
		details: jsonb('details')
	},
	(t) => [index('audit_log_at_idx').on(t.at)]
);

/** One run of the import pipeline: who brought which file, what came of it. */
export const imports = pgTable('imports', {
	id: serial('id').primaryKey(),
	kind: text('kind').notNull(),
	fileName: text('file_name').notNull(),
	/** SHA-256 of the file's bytes. */
	contentHash: text('content_hash').notNull(),
	actorAccountId: integer('actor_account_id').references(() => accounts.id, { onDelete: 'set null' }),
	actorLabel: text('actor_label').notNull(),
	/** committed | rejected | undone */
	status: text('status').notNull(),
	startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
	durationMs: integer('duration_ms').notNull(),
	rowsRead: integer('rows_read').notNull(),
	rowsInserted: integer('rows_inserted').notNull(),
	rowsUpdated: integer('rows_updated').notNull().default(0),
	rowsDuplicate: integer('rows_duplicate').notNull(),
	rowsSkipped: integer('rows_skipped').notNull(),
	rowsQuarantined: integer('rows_quarantined').notNull(),
	/** Encoding, delimiter, mapping, preset and options used. */
	details: jsonb('details')
});

/** Rows an import refused, with why: kept for --skip-invalid imports, and as the report of rejected ones. */
export const importIssues = pgTable(
	'import_issues',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		importId: integer('import_id')
			.notNull()
			.references(() => imports.id, { onDelete: 'cascade' }),
		/** 1-based data row (the header is row 0), and the file line it ends on. */
		rowNumber: integer('row_number'),
		line: integer('line'),
		columnName: text('column_name'),
		value: text('value'),
		reason: text('reason').notNull()
	},
	(t) => [index('import_issues_import_idx').on(t.importId)]
);

/** Values an import overwrote (households on communes, fiber counts), so undo can put them back. */
export const importPreviousValues = pgTable(
	'import_previous_values',
	{
		importId: integer('import_id')
			.notNull()
			.references(() => imports.id, { onDelete: 'cascade' }),
		tableName: text('table_name').notNull(),
		rowId: integer('row_id').notNull(),
		previous: jsonb('previous').notNull()
	},
	(t) => [index('import_previous_values_import_idx').on(t.importId)]
);

/**
 * The 1 July 2025 reform: which pre-2025 communes went into which 2025 commune. A `partial` old
 * commune is shared among its successors; `share` says how much went where and `shareRule` how
 * that was decided (whole, area overlap, population, or equally), so roll-ups can say so.
 */
export const communeCrosswalk = pgTable(
	'commune_crosswalk',
	{
		id: serial('id').primaryKey(),
		oldCode: text('old_code').notNull(),
		oldName: text('old_name'),
		oldProvinceCode: text('old_province_code'),
		newCode: text('new_code').notNull(),
		newName: text('new_name'),
		newProvinceCode: text('new_province_code'),
		mergeType: text('merge_type').notNull(),
		share: real('share').notNull(),
		shareRule: text('share_rule').notNull(),
		importId: integer('import_id')
	},
	(t) => [
		uniqueIndex('commune_crosswalk_old_new_uq').on(t.oldCode, t.newCode),
		index('commune_crosswalk_new_idx').on(t.newCode),
		check('commune_crosswalk_merge_type_ck', sql`${t.mergeType} in ('full', 'partial')`),
		check('commune_crosswalk_share_rule_ck', sql`${t.shareRule} in ('whole', 'area', 'population', 'equal')`)
	]
);

/** Provinces and districts (districts exist only in the pre-2025 set); communes have their own table. */
export const adminAreas = pgTable(
	'admin_areas',
	{
		id: serial('id').primaryKey(),
		level: text('level').notNull(),
		boundarySet: text('boundary_set').notNull(),
		code: text('code').notNull(),
		name: text('name').notNull(),
		searchKey: text('search_key').notNull(),
		/** The province of a district; null for a province. */
		parentCode: text('parent_code'),
		source: text('source').notNull(),
		importId: integer('import_id'),
		geom: multiPolygon('geom').notNull()
	},
	(t) => [
		uniqueIndex('admin_areas_level_set_code_uq').on(t.level, t.boundarySet, t.code),
		index('admin_areas_geom_gix').using('gist', t.geom),
		check('admin_areas_level_ck', sql`${t.level} in ('province', 'district')`),
		check('admin_areas_boundary_set_ck', sql`${t.boundarySet} in ('pre2025', '2025')`)
	]
);

/** Operators' published ("declared") coverage maps: polygons per operator and technology. */
export const declaredCoverage = pgTable(
	'declared_coverage',
	{
		id: serial('id').primaryKey(),
		operatorCode: text('operator_code')
			.notNull()
			.references(() => operators.code),
		technology: text('technology').notNull(),
		source: text('source').notNull(),
		/** Hash of operator, technology and geometry: the same polygon imported again adds nothing. */
		contentKey: text('content_key').notNull(),
		importId: integer('import_id'),
		geom: multiPolygon('geom').notNull()
	},
	(t) => [
		uniqueIndex('declared_coverage_content_uq').on(t.contentKey),
		index('declared_coverage_geom_gix').using('gist', t.geom),
		index('declared_coverage_operator_tech_idx').on(t.operatorCode, t.technology)
	]
);

/** Public sites the province controls, where a small cell or mast could go: schools, health stations, offices. */
export const facilities = pgTable(
	'facilities',
	{
		id: serial('id').primaryKey(),
		facilityType: text('facility_type').notNull(),
		name: text('name'),
		source: text('source').notNull(),
		contentKey: text('content_key').notNull(),
		importId: integer('import_id'),
		geom: point('geom').notNull()
	},
	(t) => [
		uniqueIndex('facilities_content_uq').on(t.contentKey),
		index('facilities_geom_gix').using('gist', t.geom),
		check('facilities_type_ck', sql`${t.facilityType} in ('school', 'health_station', 'commune_office', 'public_land', 'other')`)
	]
);

/** Operators' fiber routes, for backhaul distance. */
export const fiberRoutes = pgTable(
	'fiber_routes',
	{
		id: serial('id').primaryKey(),
		operatorCode: text('operator_code')
			.notNull()
			.references(() => operators.code),
		name: text('name'),
		source: text('source').notNull(),
		contentKey: text('content_key').notNull(),
		importId: integer('import_id'),
		geom: multiLineString('geom').notNull()
	},
	(t) => [uniqueIndex('fiber_routes_content_uq').on(t.contentKey), index('fiber_routes_geom_gix').using('gist', t.geom)]
);

/** Areas where no site may go (protected forest, military, heritage). */
export const exclusionZones = pgTable(
	'exclusion_zones',
	{
		id: serial('id').primaryKey(),
		name: text('name'),
		reason: text('reason'),
		source: text('source').notNull(),
		contentKey: text('content_key').notNull(),
		importId: integer('import_id'),
		geom: multiPolygon('geom').notNull()
	},
	(t) => [uniqueIndex('exclusion_zones_content_uq').on(t.contentKey), index('exclusion_zones_geom_gix').using('gist', t.geom)]
);

/** Population summed into H3 cells (resolution 9) from a population raster, one row per cell per import. */
export const populationCells = pgTable(
	'population_cells',
	{
		importId: integer('import_id').notNull(),
		h3Res9: bigint('h3_res9', { mode: 'bigint' }).notNull(),
		population: real('population').notNull()
	},
	(t) => [primaryKey({ columns: [t.importId, t.h3Res9] }), index('population_cells_h3_idx').on(t.h3Res9)]
);

/**
 * An elevation raster cut into tiles (≤ 256 × 256 pixels, WGS 84 longitude/latitude, metres as
 * little-endian int16, north row first), for line-of-sight: a path reads only the tiles it crosses.
 */
export const demTiles = pgTable(
	'dem_tiles',
	{
		id: serial('id').primaryKey(),
		importId: integer('import_id').notNull(),
		width: integer('width').notNull(),
		height: integer('height').notNull(),
		/** Longitude of the west edge and latitude of the north edge of the first pixel. */
		west: doublePrecision('west').notNull(),
		north: doublePrecision('north').notNull(),
		/** Pixel size in degrees (positive). */
		pixelWidth: doublePrecision('pixel_width').notNull(),
		pixelHeight: doublePrecision('pixel_height').notNull(),
		/** Value meaning "no data" (e.g. SRTM voids, -32768). */
		nodata: smallint('nodata'),
		elevations: bytea('elevations').notNull(),
		geom: multiPolygon('geom').notNull()
	},
	(t) => [index('dem_tiles_geom_gix').using('gist', t.geom), index('dem_tiles_import_idx').on(t.importId)]
);
