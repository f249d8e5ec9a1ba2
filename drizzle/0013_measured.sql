-- Measured coverage (src/lib/server/measured.ts): per H3 cell at resolutions 6–9, operator and
-- technology ('*' = any), what reports say — stored as exact additive state (histograms and
-- reporter counts), so inserting and deleting reports keeps medians, percentiles and distinct
-- counts exact, and an incremental update equals a rebuild.
--
-- The H3 parent of a cell by bit arithmetic (index layout: resolution in bits 52–55, one 3-bit digit
-- per resolution; the digits below `res` become 7, i.e. the low (15 − res)·3 bits are all set).
CREATE FUNCTION "h3_parent"(cell bigint, res integer) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT (cell & ~(15::bigint << 52)) | (res::bigint << 52) | ((1::bigint << ((15 - res) * 3)) - 1) $$;--> statement-breakpoint
-- metric 0: signal dBm of the technology (RSRP 4G/5G, RSSI 2G/3G; -200 = no service), 1: bars (0 = no
-- service), 2/3: download/upload Mbps (rounded), 4: day (days since 1970-01-01, UTC), 5: the report's own
-- class (0 good … 3 dead, by the thresholds in force: a threshold change rebuilds). Counts per source
-- kind, so weights (settings) are applied when summarising, not stored.
CREATE TABLE "measured_bins" (
	"res" smallint NOT NULL,
	"cell" bigint NOT NULL,
	"operator_code" text NOT NULL,
	"technology" text NOT NULL,
	"metric" smallint NOT NULL,
	"bin" integer NOT NULL,
	"n_resident" integer NOT NULL DEFAULT 0,
	"n_app" integer NOT NULL DEFAULT 0,
	"n_drive" integer NOT NULL DEFAULT 0,
	PRIMARY KEY ("res", "cell", "operator_code", "technology", "metric", "bin")
);--> statement-breakpoint
-- A reporter: a device key, else the import file (one file = one reporter); a report with neither counts as nobody.
CREATE TABLE "measured_reporters" (
	"res" smallint NOT NULL,
	"cell" bigint NOT NULL,
	"operator_code" text NOT NULL,
	"technology" text NOT NULL,
	"reporter" text NOT NULL,
	"n" integer NOT NULL,
	PRIMARY KEY ("res", "cell", "operator_code", "technology", "reporter")
);--> statement-breakpoint
-- Keys whose summary must be recomputed from their bins (cleared in the same transaction).
CREATE TABLE "measured_dirty" (
	"res" smallint NOT NULL,
	"cell" bigint NOT NULL,
	"operator_code" text NOT NULL,
	"technology" text NOT NULL,
	PRIMARY KEY ("res", "cell", "operator_code", "technology")
);--> statement-breakpoint
-- The summary read by the API: derived from bins and reporters with the settings in force.
CREATE TABLE "measured_cells" (
	"res" smallint NOT NULL,
	"cell" bigint NOT NULL,
	"operator_code" text NOT NULL,
	"technology" text NOT NULL,
	"reports" integer NOT NULL,
	"reporters" integer NOT NULL,
	"weight" double precision NOT NULL,
	"median_dbm" integer,
	"p10_dbm" integer,
	"median_bars" integer,
	"dead_share" double precision NOT NULL,
	"median_download_mbps" integer,
	"median_upload_mbps" integer,
	"first_day" integer NOT NULL,
	"last_day" integer NOT NULL,
	"days" integer NOT NULL,
	"class" text,
	"good" integer NOT NULL,
	"fair" integer NOT NULL,
	"poor" integer NOT NULL,
	"dead" integer NOT NULL,
	PRIMARY KEY ("res", "cell", "operator_code", "technology")
);--> statement-breakpoint
-- One row: where the window starts (reports before it are retired) and the settings version the
-- summaries were computed with.
CREATE TABLE "measured_state" (
	"id" smallint PRIMARY KEY DEFAULT 1 CHECK ("id" = 1),
	"window_start" timestamp with time zone NOT NULL,
	"settings_version" text NOT NULL DEFAULT ''
);--> statement-breakpoint
INSERT INTO "measured_state" ("window_start") VALUES (now() - interval '365 days');--> statement-breakpoint
CREATE TRIGGER "measured_cells_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "measured_cells" FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('measured');--> statement-breakpoint
INSERT INTO data_versions (layer, version) VALUES ('measured', nextval('data_version_seq'));
