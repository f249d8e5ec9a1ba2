-- Predicted coverage stored by tile (src/lib/server/predicted.ts, rules in
-- src/lib/coverage/predicted-layer.ts): one row per operator × technology ('*' = any), resolution
-- and res-5 tile, its cells packed (cell, level, class, res-9 cells behind it, best server). A few
-- thousand rows per province instead of ~1.5 million: a full prediction writes in well under a
-- second, and a tower change rewrites only the tiles within its range.
DROP TABLE "predicted_cells";--> statement-breakpoint
CREATE TABLE "predicted_tiles" (
	"operator_code" text NOT NULL,
	"technology" text NOT NULL,
	"res" smallint NOT NULL,
	"tile" bigint NOT NULL,
	-- How many cells the payload holds.
	"cells" integer NOT NULL,
	-- Site codes the payload's entries number into.
	"sites" text[] NOT NULL,
	"payload" bytea NOT NULL,
	PRIMARY KEY ("operator_code", "technology", "res", "tile")
);--> statement-breakpoint
ALTER TABLE "predicted_tiles" ALTER COLUMN "payload" SET STORAGE EXTERNAL;--> statement-breakpoint
CREATE INDEX "predicted_tiles_tile" ON "predicted_tiles" ("tile");--> statement-breakpoint
-- The towers the stored predictions were computed from: a tower change is the difference between
-- this and `towers`, and only the tiles within range of what differs are recomputed.
CREATE TABLE "predicted_sites" (
	"source" text NOT NULL,
	"operator_code" text NOT NULL,
	"site_code" text NOT NULL,
	"technologies" text[] NOT NULL,
	"antenna_height_m" real,
	"lng" double precision NOT NULL,
	"lat" double precision NOT NULL,
	PRIMARY KEY ("source", "operator_code", "site_code")
);--> statement-breakpoint
CREATE TRIGGER "predicted_tiles_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "predicted_tiles" FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('predicted');--> statement-breakpoint
-- The province's res-9 cells (from the commune boundaries, ~1 s to compute) for the boundaries'
-- data version they were computed at: H3 indexes as pairs of little-endian u32 (high, low).
ALTER TABLE "predicted_state" ADD COLUMN "universe_version" text NOT NULL DEFAULT '';--> statement-breakpoint
ALTER TABLE "predicted_state" ADD COLUMN "universe" bytea;--> statement-breakpoint
UPDATE "predicted_state" SET "built_with" = '';
--> statement-breakpoint
-- The calibration in force (src/lib/propagation/calibration.ts): per operator × technology ×
-- settlement the correction added to the model's level, and its report on the held-back 20 %.
-- Refitted at every full prediction; a tower change reuses it.
CREATE TABLE "predicted_calibration" (
	"operator_code" text NOT NULL,
	"technology" text NOT NULL,
	"settlement" text NOT NULL,
	"offset_db" double precision NOT NULL,
	"slope_db_per_decade" double precision NOT NULL,
	"fitted" integer NOT NULL,
	"held_back" integer NOT NULL,
	"before_mean_db" double precision NOT NULL,
	"before_rmse_db" double precision NOT NULL,
	"after_mean_db" double precision NOT NULL,
	"after_rmse_db" double precision NOT NULL,
	"calibrated_at" timestamp with time zone NOT NULL DEFAULT now(),
	PRIMARY KEY ("operator_code", "technology", "settlement")
);
