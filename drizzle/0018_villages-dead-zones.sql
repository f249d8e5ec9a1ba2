-- Villages (thôn, bản, tổ dân phố) as points: the `villages` import kind and the demo's synthetic
-- ones. `official_status` is the province's own register (trắng / lõm / có sóng) when the import
-- carried one; src/lib/coverage/villages.ts computes ours and compares.
CREATE TABLE "villages" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"commune_code" text NOT NULL,
	"boundary_set" text NOT NULL DEFAULT '2025',
	"households" integer,
	-- Grid electricity: decides the funding path of a gap (Decision 2269/QĐ-TTg; ../shared/DOMAIN.md).
	"has_power" boolean,
	"official_status" text,
	"source" text NOT NULL,
	"synthetic" boolean NOT NULL DEFAULT false,
	"content_key" text NOT NULL,
	"import_id" integer,
	"geom" geometry(Point, 4326) NOT NULL,
	CONSTRAINT "villages_official_status_ck" CHECK ("official_status" in ('trang_song', 'lom_song', 'co_song')),
	CONSTRAINT "villages_boundary_set_ck" CHECK ("boundary_set" in ('2025', 'pre2025')),
	CONSTRAINT "villages_households_ck" CHECK ("households" >= 0)
);--> statement-breakpoint
CREATE UNIQUE INDEX "villages_content_uq" ON "villages" ("content_key");--> statement-breakpoint
CREATE INDEX "villages_geom_gix" ON "villages" USING gist ("geom");--> statement-breakpoint
CREATE TRIGGER "villages_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "villages" FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('villages');
--> statement-breakpoint
INSERT INTO data_versions (layer, version) VALUES ('villages', nextval('data_version_seq'));
--> statement-breakpoint
-- Dead zones (src/lib/server/dead-zones.ts) keep their ids across recomputations: each set of zones
-- (resolution, operator or '*', reporters rule) is stored with what it was built from, and the next
-- computation matches its zones to these (src/lib/coverage/zone-components.ts assignStableIds).
CREATE TABLE "dead_zone_sets" (
	"key" text PRIMARY KEY NOT NULL,
	-- The fused and households data versions and the day the zones were computed for.
	"built_from" text NOT NULL,
	"next_id" integer NOT NULL DEFAULT 1
);--> statement-breakpoint
CREATE TABLE "dead_zones" (
	"key" text NOT NULL,
	"id" integer NOT NULL,
	"cell_count" integer NOT NULL,
	-- 8 bytes per cell (src/lib/coverage/predicted-layer.ts packCells), ascending.
	"cells" bytea NOT NULL,
	PRIMARY KEY ("key", "id")
);
