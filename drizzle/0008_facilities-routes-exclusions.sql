CREATE TABLE "exclusion_zones" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text,
	"reason" text,
	"source" text NOT NULL,
	"content_key" text NOT NULL,
	"import_id" integer,
	"geom" geometry(MultiPolygon,4326) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "facilities" (
	"id" serial PRIMARY KEY NOT NULL,
	"facility_type" text NOT NULL,
	"name" text,
	"source" text NOT NULL,
	"content_key" text NOT NULL,
	"import_id" integer,
	"geom" geometry(Point,4326) NOT NULL,
	CONSTRAINT "facilities_type_ck" CHECK ("facilities"."facility_type" in ('school', 'health_station', 'commune_office', 'public_land', 'other'))
);
--> statement-breakpoint
CREATE TABLE "fiber_routes" (
	"id" serial PRIMARY KEY NOT NULL,
	"operator_code" text NOT NULL,
	"name" text,
	"source" text NOT NULL,
	"content_key" text NOT NULL,
	"import_id" integer,
	"geom" geometry(MultiLineString,4326) NOT NULL
);
--> statement-breakpoint
ALTER TABLE "fiber_routes" ADD CONSTRAINT "fiber_routes_operator_code_operators_code_fk" FOREIGN KEY ("operator_code") REFERENCES "public"."operators"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "exclusion_zones_content_uq" ON "exclusion_zones" USING btree ("content_key");--> statement-breakpoint
CREATE INDEX "exclusion_zones_geom_gix" ON "exclusion_zones" USING gist ("geom");--> statement-breakpoint
CREATE UNIQUE INDEX "facilities_content_uq" ON "facilities" USING btree ("content_key");--> statement-breakpoint
CREATE INDEX "facilities_geom_gix" ON "facilities" USING gist ("geom");--> statement-breakpoint
CREATE UNIQUE INDEX "fiber_routes_content_uq" ON "fiber_routes" USING btree ("content_key");--> statement-breakpoint
CREATE INDEX "fiber_routes_geom_gix" ON "fiber_routes" USING gist ("geom");