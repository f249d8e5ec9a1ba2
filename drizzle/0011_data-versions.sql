-- Data versions: one counter per layer, bumped by a statement trigger in the same transaction as
-- every write to the layer's table (imports, undo, seeds, any later writer), so caches and ETags
-- keyed on it can never serve data older than what was committed. Values come from one sequence,
-- so a version is never reused, even after the table is emptied.
CREATE SEQUENCE "data_version_seq";--> statement-breakpoint
CREATE TABLE "data_versions" (
	"layer" text PRIMARY KEY NOT NULL,
	"version" bigint NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
CREATE FUNCTION "bump_data_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO data_versions (layer, version, changed_at) VALUES (TG_ARGV[0], nextval('data_version_seq'), now())
	ON CONFLICT (layer) DO UPDATE SET version = excluded.version, changed_at = excluded.changed_at;
	RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "communes_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "communes" FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('communes');
--> statement-breakpoint
CREATE TRIGGER "admin_areas_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "admin_areas" FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('admin_areas');
--> statement-breakpoint
CREATE TRIGGER "commune_crosswalk_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "commune_crosswalk" FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('crosswalk');
--> statement-breakpoint
CREATE TRIGGER "towers_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "towers" FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('towers');
--> statement-breakpoint
CREATE TRIGGER "signal_reports_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "signal_reports" FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('reports');
--> statement-breakpoint
CREATE TRIGGER "fiber_coverage_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "fiber_coverage" FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('fiber');
--> statement-breakpoint
CREATE TRIGGER "declared_coverage_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "declared_coverage" FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('declared');
--> statement-breakpoint
CREATE TRIGGER "facilities_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "facilities" FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('facilities');
--> statement-breakpoint
CREATE TRIGGER "fiber_routes_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "fiber_routes" FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('fiber_routes');
--> statement-breakpoint
CREATE TRIGGER "exclusion_zones_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "exclusion_zones" FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('exclusions');
--> statement-breakpoint
CREATE TRIGGER "population_cells_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "population_cells" FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('population');
--> statement-breakpoint
CREATE TRIGGER "dem_tiles_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "dem_tiles" FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('dem');
--> statement-breakpoint
CREATE TRIGGER "operators_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "operators" FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('operators');
--> statement-breakpoint
INSERT INTO data_versions (layer, version) SELECT l, nextval('data_version_seq') FROM unnest(ARRAY['communes', 'admin_areas', 'crosswalk', 'towers', 'reports', 'fiber', 'declared', 'facilities', 'fiber_routes', 'exclusions', 'population', 'dem', 'operators']) AS l;
