-- Declared coverage on the H3 grid (src/lib/server/declared.ts, rule in
-- src/lib/coverage/declared-grid.ts): per operator and technology, the res-9 cells with any of
-- their 49 res-11 descendants' centres inside the union of its published polygons, and how many
-- (1…49). Packed, one row per operator × technology: a province-wide map is ~60,000 cells, and the
-- union of all of a pair's polygons is recomputed whenever one of its imports is added or undone.
CREATE TABLE "declared_grid" (
	"operator_code" text NOT NULL,
	"technology" text NOT NULL,
	-- md5 of the pair's polygons' content keys, in order: what the cells were computed from.
	"built_from" text NOT NULL,
	"cell_count" integer NOT NULL,
	-- 8 bytes per res-9 cell (src/lib/coverage/predicted-layer.ts packCells), ascending.
	"cells" bytea NOT NULL,
	-- One byte per cell: descendants inside, 1…49.
	"inside" bytea NOT NULL,
	PRIMARY KEY ("operator_code", "technology")
);--> statement-breakpoint
ALTER TABLE "declared_grid" ALTER COLUMN "cells" SET STORAGE EXTERNAL;--> statement-breakpoint
CREATE TRIGGER "declared_grid_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "declared_grid" FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('declared');
--> statement-breakpoint
-- The fused layer (src/lib/server/fused.ts) is computed when read and kept per data version; after
-- new reports it refuses only the cells whose measurements changed. Every incremental change of
-- the measured layer logs its res-9 cells here with the measured data version it committed as.
CREATE TABLE "measured_changes" (
	"version" bigint NOT NULL,
	"cell" bigint NOT NULL,
	"logged_at" timestamp with time zone NOT NULL DEFAULT now()
);--> statement-breakpoint
CREATE INDEX "measured_changes_version" ON "measured_changes" ("version");--> statement-breakpoint
-- The log is complete for changes after this measured version (a rebuild or a prune moves it on).
ALTER TABLE "measured_state" ADD COLUMN "changes_from" bigint NOT NULL DEFAULT 0;--> statement-breakpoint
UPDATE "measured_state" SET "changes_from" = (SELECT version FROM data_versions WHERE layer = 'measured');
--> statement-breakpoint
-- Hours of the day (Vietnam time) with a failing report, bit h for hour h: the disputes' failing-hour
-- gate (src/lib/coverage/fusion.ts) reads it instead of the reports. The layer is rebuilt at the next
-- start (state format 4 counts those hours).
ALTER TABLE "measured_cells" ADD COLUMN "failing_hours" integer NOT NULL DEFAULT 0;
