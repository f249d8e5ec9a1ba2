-- Predicted coverage (src/lib/server/predicted.ts, rules in src/lib/propagation/): per H3 cell,
-- operator and technology ('*' = any, the best below), the best server's predicted level at res 9
-- and the median of the res-9 children's levels at res 6–8, with the class of that level.
CREATE TABLE "predicted_cells" (
	"res" smallint NOT NULL,
	"cell" bigint NOT NULL,
	"operator_code" text NOT NULL,
	"technology" text NOT NULL,
	"dbm" real NOT NULL,
	"class" text NOT NULL,
	-- res 9: the best server's site code; parents: null.
	"site_code" text,
	-- How many res-9 cells with a prediction the figure rests on (1 at res 9).
	"cells" integer NOT NULL,
	PRIMARY KEY ("res", "cell", "operator_code", "technology")
);--> statement-breakpoint
-- One row: what the stored predictions were computed from (model, settings, towers and DEM versions).
CREATE TABLE "predicted_state" (
	"id" smallint PRIMARY KEY DEFAULT 1 CHECK ("id" = 1),
	"built_with" text NOT NULL DEFAULT '',
	"terrain" boolean NOT NULL DEFAULT false,
	"built_at" timestamp with time zone
);--> statement-breakpoint
INSERT INTO "predicted_state" DEFAULT VALUES;--> statement-breakpoint
CREATE TRIGGER "predicted_cells_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "predicted_cells" FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('predicted');--> statement-breakpoint
INSERT INTO data_versions (layer, version) VALUES ('predicted', nextval('data_version_seq'));
