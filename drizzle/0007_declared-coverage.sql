CREATE TABLE "declared_coverage" (
	"id" serial PRIMARY KEY NOT NULL,
	"operator_code" text NOT NULL,
	"technology" text NOT NULL,
	"source" text NOT NULL,
	"content_key" text NOT NULL,
	"import_id" integer,
	"geom" geometry(MultiPolygon,4326) NOT NULL
);
--> statement-breakpoint
ALTER TABLE "declared_coverage" ADD CONSTRAINT "declared_coverage_operator_code_operators_code_fk" FOREIGN KEY ("operator_code") REFERENCES "public"."operators"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "declared_coverage_content_uq" ON "declared_coverage" USING btree ("content_key");--> statement-breakpoint
CREATE INDEX "declared_coverage_geom_gix" ON "declared_coverage" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "declared_coverage_operator_tech_idx" ON "declared_coverage" USING btree ("operator_code","technology");