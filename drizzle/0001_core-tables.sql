CREATE TABLE "app_meta" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "communes" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"boundary_set" text NOT NULL,
	"name" text NOT NULL,
	"search_key" text NOT NULL,
	"kind" text,
	"province_code" text NOT NULL,
	"province_name" text,
	"district_code" text,
	"population" integer,
	"households" integer,
	"households_synthetic" boolean DEFAULT false NOT NULL,
	"area_km2" real,
	"source" text NOT NULL,
	"geom" geometry(MultiPolygon,4326) NOT NULL,
	CONSTRAINT "communes_boundary_set_ck" CHECK ("communes"."boundary_set" in ('pre2025', '2025'))
);
--> statement-breakpoint
CREATE TABLE "fiber_coverage" (
	"id" serial PRIMARY KEY NOT NULL,
	"unit_kind" text NOT NULL,
	"unit_code" text NOT NULL,
	"commune_code" text NOT NULL,
	"operator_code" text NOT NULL,
	"households_total" integer NOT NULL,
	"households_passed" integer NOT NULL,
	"households_connected" integer NOT NULL,
	"as_of" date,
	"synthetic" boolean DEFAULT false NOT NULL,
	CONSTRAINT "fiber_unit_kind_ck" CHECK ("fiber_coverage"."unit_kind" in ('commune', 'hamlet')),
	CONSTRAINT "fiber_counts_ck" CHECK ("fiber_coverage"."households_connected" >= 0 and "fiber_coverage"."households_connected" <= "fiber_coverage"."households_passed" and "fiber_coverage"."households_passed" <= "fiber_coverage"."households_total")
);
--> statement-breakpoint
CREATE TABLE "operators" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"mcc_mnc" text[] NOT NULL,
	"color" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signal_reports" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"source_kind" text NOT NULL,
	"operator_code" text,
	"technology" text,
	"rsrp_dbm" real,
	"rssi_dbm" real,
	"signal_bars" smallint,
	"no_service" boolean DEFAULT false NOT NULL,
	"download_mbps" real,
	"upload_mbps" real,
	"latency_ms" real,
	"observed_at" timestamp with time zone NOT NULL,
	"accuracy_m" real,
	"h3_res9" bigint NOT NULL,
	"reporter_key" text,
	"synthetic" boolean DEFAULT false NOT NULL,
	"geom" geometry(Point,4326) NOT NULL,
	CONSTRAINT "signal_reports_source_kind_ck" CHECK ("signal_reports"."source_kind" in ('resident', 'drive_test', 'app')),
	CONSTRAINT "signal_reports_rsrp_ck" CHECK ("signal_reports"."rsrp_dbm" is null or "signal_reports"."rsrp_dbm" between -140 and -44),
	CONSTRAINT "signal_reports_bars_ck" CHECK ("signal_reports"."signal_bars" is null or "signal_reports"."signal_bars" between 0 and 5)
);
--> statement-breakpoint
CREATE TABLE "towers" (
	"id" serial PRIMARY KEY NOT NULL,
	"operator_code" text NOT NULL,
	"site_code" text NOT NULL,
	"technologies" text[] NOT NULL,
	"antenna_height_m" real,
	"source" text NOT NULL,
	"synthetic" boolean DEFAULT false NOT NULL,
	"geom" geometry(Point,4326) NOT NULL
);
--> statement-breakpoint
ALTER TABLE "fiber_coverage" ADD CONSTRAINT "fiber_coverage_operator_code_operators_code_fk" FOREIGN KEY ("operator_code") REFERENCES "public"."operators"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signal_reports" ADD CONSTRAINT "signal_reports_operator_code_operators_code_fk" FOREIGN KEY ("operator_code") REFERENCES "public"."operators"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "towers" ADD CONSTRAINT "towers_operator_code_operators_code_fk" FOREIGN KEY ("operator_code") REFERENCES "public"."operators"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "communes_set_code_uq" ON "communes" USING btree ("boundary_set","code");--> statement-breakpoint
CREATE INDEX "communes_geom_gix" ON "communes" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "communes_search_key_idx" ON "communes" USING btree ("search_key");--> statement-breakpoint
CREATE UNIQUE INDEX "fiber_unit_operator_uq" ON "fiber_coverage" USING btree ("unit_kind","unit_code","operator_code");--> statement-breakpoint
CREATE INDEX "signal_reports_geom_gix" ON "signal_reports" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "signal_reports_h3_idx" ON "signal_reports" USING btree ("h3_res9");--> statement-breakpoint
CREATE INDEX "signal_reports_observed_idx" ON "signal_reports" USING btree ("observed_at");--> statement-breakpoint
CREATE UNIQUE INDEX "towers_source_site_uq" ON "towers" USING btree ("source","operator_code","site_code");--> statement-breakpoint
CREATE INDEX "towers_geom_gix" ON "towers" USING gist ("geom");