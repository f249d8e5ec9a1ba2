CREATE TABLE "admin_areas" (
	"id" serial PRIMARY KEY NOT NULL,
	"level" text NOT NULL,
	"boundary_set" text NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"search_key" text NOT NULL,
	"parent_code" text,
	"source" text NOT NULL,
	"import_id" integer,
	"geom" geometry(MultiPolygon,4326) NOT NULL,
	CONSTRAINT "admin_areas_level_ck" CHECK ("admin_areas"."level" in ('province', 'district')),
	CONSTRAINT "admin_areas_boundary_set_ck" CHECK ("admin_areas"."boundary_set" in ('pre2025', '2025'))
);
--> statement-breakpoint
ALTER TABLE "communes" ADD COLUMN "import_id" integer;--> statement-breakpoint
CREATE UNIQUE INDEX "admin_areas_level_set_code_uq" ON "admin_areas" USING btree ("level","boundary_set","code");--> statement-breakpoint
CREATE INDEX "admin_areas_geom_gix" ON "admin_areas" USING gist ("geom");