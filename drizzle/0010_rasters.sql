CREATE TABLE "dem_tiles" (
	"id" serial PRIMARY KEY NOT NULL,
	"import_id" integer NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"west" double precision NOT NULL,
	"north" double precision NOT NULL,
	"pixel_width" double precision NOT NULL,
	"pixel_height" double precision NOT NULL,
	"nodata" smallint,
	"elevations" "bytea" NOT NULL,
	"geom" geometry(MultiPolygon,4326) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "population_cells" (
	"import_id" integer NOT NULL,
	"h3_res9" bigint NOT NULL,
	"population" real NOT NULL,
	CONSTRAINT "population_cells_import_id_h3_res9_pk" PRIMARY KEY("import_id","h3_res9")
);
--> statement-breakpoint
CREATE INDEX "dem_tiles_geom_gix" ON "dem_tiles" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "dem_tiles_import_idx" ON "dem_tiles" USING btree ("import_id");--> statement-breakpoint
CREATE INDEX "population_cells_h3_idx" ON "population_cells" USING btree ("h3_res9");