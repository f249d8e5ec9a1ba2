-- Partitioning for national scale (issue 20; README "Deployment"). Both big tables are split by
-- the resolution-2 H3 region a row lies in (~87,000 km²; 27 cover Vietnam's mainland bounding box
-- 102–110° E, 8–23.5° N; the rest of the world, islands included, shares a default partition).
-- Space, not time: every recomputation is by place (a province, an import's cells, a rebuild
-- region by region), and a report's cells at every resolution 6–9 lie in its region, so a
-- region's reports and keys are rebuilt apart; the retention job does not delete reports (it
-- retires them from the measured window, one indexed range of observed_at), so month partitions
-- would buy little. H3 values of a region's resolution-9 cells form one range (src/lib/grid/
-- regions.ts), so reports partition by RANGE on h3_res9 with no new column; measured keys of
-- resolutions 6–9 do not share a range, so they carry the region number (base cell and two
-- digits: (cell >> 39) & 8191) and partition by LIST. tests/unit checks these bounds against h3-js.
ALTER TABLE "signal_reports" RENAME TO "signal_reports_unpartitioned";--> statement-breakpoint
ALTER SEQUENCE "signal_reports_id_seq" OWNED BY NONE;--> statement-breakpoint
DROP TRIGGER "signal_reports_data_version" ON "signal_reports_unpartitioned";--> statement-breakpoint
ALTER TABLE "signal_reports_unpartitioned" DROP CONSTRAINT "signal_reports_pkey";--> statement-breakpoint
DROP INDEX "signal_reports_geom_gix";--> statement-breakpoint
DROP INDEX "signal_reports_h3_dedupe_uq";--> statement-breakpoint
DROP INDEX "signal_reports_import_idx";--> statement-breakpoint
DROP INDEX "signal_reports_observed_idx";--> statement-breakpoint
CREATE TABLE "signal_reports" (LIKE "signal_reports_unpartitioned" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE) PARTITION BY RANGE ("h3_res9");--> statement-breakpoint
-- A partitioned table's keys include its partition key; ids stay unique by their sequence.
ALTER TABLE "signal_reports" ADD PRIMARY KEY ("id", "h3_res9");--> statement-breakpoint
ALTER TABLE "signal_reports" ADD CONSTRAINT "signal_reports_operator_code_operators_code_fk" FOREIGN KEY ("operator_code") REFERENCES "public"."operators"("code");--> statement-breakpoint
CREATE TABLE "signal_reports_824027fffffffff" PARTITION OF "signal_reports" FOR VALUES FROM (618121247879856128) TO (618121797635670016);--> statement-breakpoint
CREATE TABLE "signal_reports_82402ffffffffff" PARTITION OF "signal_reports" FOR VALUES FROM (618121797635670016) TO (618122347391483904);--> statement-breakpoint
CREATE TABLE "signal_reports_824067fffffffff" PARTITION OF "signal_reports" FOR VALUES FROM (618125645926367232) TO (618126195682181120);--> statement-breakpoint
CREATE TABLE "signal_reports_824077fffffffff" PARTITION OF "signal_reports" FOR VALUES FROM (618126745437995008) TO (618127295193808896);--> statement-breakpoint
CREATE TABLE "signal_reports_82410ffffffffff" PARTITION OF "signal_reports" FOR VALUES FROM (618137190798458880) TO (618137740554272768);--> statement-breakpoint
CREATE TABLE "signal_reports_824147fffffffff" PARTITION OF "signal_reports" FOR VALUES FROM (618141039089156096) TO (618141588844969984);--> statement-breakpoint
CREATE TABLE "signal_reports_82414ffffffffff" PARTITION OF "signal_reports" FOR VALUES FROM (618141588844969984) TO (618142138600783872);--> statement-breakpoint
CREATE TABLE "signal_reports_824157fffffffff" PARTITION OF "signal_reports" FOR VALUES FROM (618142138600783872) TO (618142688356597760);--> statement-breakpoint
CREATE TABLE "signal_reports_82415ffffffffff" PARTITION OF "signal_reports" FOR VALUES FROM (618142688356597760) TO (618143238112411648);--> statement-breakpoint
CREATE TABLE "signal_reports_824167fffffffff" PARTITION OF "signal_reports" FOR VALUES FROM (618143238112411648) TO (618143787868225536);--> statement-breakpoint
CREATE TABLE "signal_reports_82416ffffffffff" PARTITION OF "signal_reports" FOR VALUES FROM (618143787868225536) TO (618144337624039424);--> statement-breakpoint
CREATE TABLE "signal_reports_824177fffffffff" PARTITION OF "signal_reports" FOR VALUES FROM (618144337624039424) TO (618144887379853312);--> statement-breakpoint
CREATE TABLE "signal_reports_826497fffffffff" PARTITION OF "signal_reports" FOR VALUES FROM (618762263158849536) TO (618762812914663424);--> statement-breakpoint
CREATE TABLE "signal_reports_8264b7fffffffff" PARTITION OF "signal_reports" FOR VALUES FROM (618764462182105088) TO (618765011937918976);--> statement-breakpoint
CREATE TABLE "signal_reports_826517fffffffff" PARTITION OF "signal_reports" FOR VALUES FROM (618771059251871744) TO (618771609007685632);--> statement-breakpoint
CREATE TABLE "signal_reports_826587fffffffff" PARTITION OF "signal_reports" FOR VALUES FROM (618778755833266176) TO (618779305589080064);--> statement-breakpoint
CREATE TABLE "signal_reports_82658ffffffffff" PARTITION OF "signal_reports" FOR VALUES FROM (618779305589080064) TO (618779855344893952);--> statement-breakpoint
CREATE TABLE "signal_reports_826597fffffffff" PARTITION OF "signal_reports" FOR VALUES FROM (618779855344893952) TO (618780405100707840);--> statement-breakpoint
CREATE TABLE "signal_reports_82659ffffffffff" PARTITION OF "signal_reports" FOR VALUES FROM (618780405100707840) TO (618780954856521728);--> statement-breakpoint
CREATE TABLE "signal_reports_8265a7fffffffff" PARTITION OF "signal_reports" FOR VALUES FROM (618780954856521728) TO (618781504612335616);--> statement-breakpoint
CREATE TABLE "signal_reports_8265affffffffff" PARTITION OF "signal_reports" FOR VALUES FROM (618781504612335616) TO (618782054368149504);--> statement-breakpoint
CREATE TABLE "signal_reports_8265b7fffffffff" PARTITION OF "signal_reports" FOR VALUES FROM (618782054368149504) TO (618782604123963392);--> statement-breakpoint
CREATE TABLE "signal_reports_826917fffffffff" PARTITION OF "signal_reports" FOR VALUES FROM (618841427996049408) TO (618841977751863296);--> statement-breakpoint
CREATE TABLE "signal_reports_826927fffffffff" PARTITION OF "signal_reports" FOR VALUES FROM (618842527507677184) TO (618843077263491072);--> statement-breakpoint
CREATE TABLE "signal_reports_826937fffffffff" PARTITION OF "signal_reports" FOR VALUES FROM (618843627019304960) TO (618844176775118848);--> statement-breakpoint
CREATE TABLE "signal_reports_8269a7fffffffff" PARTITION OF "signal_reports" FOR VALUES FROM (618851323600699392) TO (618851873356513280);--> statement-breakpoint
CREATE TABLE "signal_reports_8269affffffffff" PARTITION OF "signal_reports" FOR VALUES FROM (618851873356513280) TO (618852423112327168);--> statement-breakpoint
CREATE TABLE "signal_reports_elsewhere" PARTITION OF "signal_reports" DEFAULT;--> statement-breakpoint
CREATE INDEX "signal_reports_geom_gix" ON "signal_reports" USING gist ("geom");--> statement-breakpoint
CREATE UNIQUE INDEX "signal_reports_h3_dedupe_uq" ON "signal_reports" USING btree ("h3_res9", "dedupe_key");--> statement-breakpoint
CREATE INDEX "signal_reports_import_idx" ON "signal_reports" USING btree ("import_id");--> statement-breakpoint
CREATE INDEX "signal_reports_observed_idx" ON "signal_reports" USING btree ("observed_at");--> statement-breakpoint
INSERT INTO "signal_reports" SELECT * FROM "signal_reports_unpartitioned";--> statement-breakpoint
DROP TABLE "signal_reports_unpartitioned";--> statement-breakpoint
ALTER SEQUENCE "signal_reports_id_seq" OWNED BY "signal_reports"."id";--> statement-breakpoint
CREATE TRIGGER "signal_reports_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "signal_reports" FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('reports');--> statement-breakpoint
-- Measured keys: the same regions, by number.
ALTER TABLE "measured_cells" RENAME TO "measured_cells_unpartitioned";--> statement-breakpoint
DROP TRIGGER "measured_cells_data_version" ON "measured_cells_unpartitioned";--> statement-breakpoint
ALTER TABLE "measured_cells_unpartitioned" DROP CONSTRAINT "measured_cells_pkey";--> statement-breakpoint
CREATE TABLE "measured_cells" ("region" smallint NOT NULL, LIKE "measured_cells_unpartitioned" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE) PARTITION BY LIST ("region");--> statement-breakpoint
-- Lookups name (res, cell): they lead the key, as before.
ALTER TABLE "measured_cells" ADD PRIMARY KEY ("res", "cell", "operator_code", "technology", "region");--> statement-breakpoint
CREATE TABLE "measured_cells_824027fffffffff" PARTITION OF "measured_cells" FOR VALUES IN (2052);--> statement-breakpoint
CREATE TABLE "measured_cells_82402ffffffffff" PARTITION OF "measured_cells" FOR VALUES IN (2053);--> statement-breakpoint
CREATE TABLE "measured_cells_824067fffffffff" PARTITION OF "measured_cells" FOR VALUES IN (2060);--> statement-breakpoint
CREATE TABLE "measured_cells_824077fffffffff" PARTITION OF "measured_cells" FOR VALUES IN (2062);--> statement-breakpoint
CREATE TABLE "measured_cells_82410ffffffffff" PARTITION OF "measured_cells" FOR VALUES IN (2081);--> statement-breakpoint
CREATE TABLE "measured_cells_824147fffffffff" PARTITION OF "measured_cells" FOR VALUES IN (2088);--> statement-breakpoint
CREATE TABLE "measured_cells_82414ffffffffff" PARTITION OF "measured_cells" FOR VALUES IN (2089);--> statement-breakpoint
CREATE TABLE "measured_cells_824157fffffffff" PARTITION OF "measured_cells" FOR VALUES IN (2090);--> statement-breakpoint
CREATE TABLE "measured_cells_82415ffffffffff" PARTITION OF "measured_cells" FOR VALUES IN (2091);--> statement-breakpoint
CREATE TABLE "measured_cells_824167fffffffff" PARTITION OF "measured_cells" FOR VALUES IN (2092);--> statement-breakpoint
CREATE TABLE "measured_cells_82416ffffffffff" PARTITION OF "measured_cells" FOR VALUES IN (2093);--> statement-breakpoint
CREATE TABLE "measured_cells_824177fffffffff" PARTITION OF "measured_cells" FOR VALUES IN (2094);--> statement-breakpoint
CREATE TABLE "measured_cells_826497fffffffff" PARTITION OF "measured_cells" FOR VALUES IN (3218);--> statement-breakpoint
CREATE TABLE "measured_cells_8264b7fffffffff" PARTITION OF "measured_cells" FOR VALUES IN (3222);--> statement-breakpoint
CREATE TABLE "measured_cells_826517fffffffff" PARTITION OF "measured_cells" FOR VALUES IN (3234);--> statement-breakpoint
CREATE TABLE "measured_cells_826587fffffffff" PARTITION OF "measured_cells" FOR VALUES IN (3248);--> statement-breakpoint
CREATE TABLE "measured_cells_82658ffffffffff" PARTITION OF "measured_cells" FOR VALUES IN (3249);--> statement-breakpoint
CREATE TABLE "measured_cells_826597fffffffff" PARTITION OF "measured_cells" FOR VALUES IN (3250);--> statement-breakpoint
CREATE TABLE "measured_cells_82659ffffffffff" PARTITION OF "measured_cells" FOR VALUES IN (3251);--> statement-breakpoint
CREATE TABLE "measured_cells_8265a7fffffffff" PARTITION OF "measured_cells" FOR VALUES IN (3252);--> statement-breakpoint
CREATE TABLE "measured_cells_8265affffffffff" PARTITION OF "measured_cells" FOR VALUES IN (3253);--> statement-breakpoint
CREATE TABLE "measured_cells_8265b7fffffffff" PARTITION OF "measured_cells" FOR VALUES IN (3254);--> statement-breakpoint
CREATE TABLE "measured_cells_826917fffffffff" PARTITION OF "measured_cells" FOR VALUES IN (3362);--> statement-breakpoint
CREATE TABLE "measured_cells_826927fffffffff" PARTITION OF "measured_cells" FOR VALUES IN (3364);--> statement-breakpoint
CREATE TABLE "measured_cells_826937fffffffff" PARTITION OF "measured_cells" FOR VALUES IN (3366);--> statement-breakpoint
CREATE TABLE "measured_cells_8269a7fffffffff" PARTITION OF "measured_cells" FOR VALUES IN (3380);--> statement-breakpoint
CREATE TABLE "measured_cells_8269affffffffff" PARTITION OF "measured_cells" FOR VALUES IN (3381);--> statement-breakpoint
CREATE TABLE "measured_cells_elsewhere" PARTITION OF "measured_cells" DEFAULT;--> statement-breakpoint
INSERT INTO "measured_cells" SELECT (("cell" >> 39) & 8191)::smallint, * FROM "measured_cells_unpartitioned";--> statement-breakpoint
DROP TABLE "measured_cells_unpartitioned";--> statement-breakpoint
CREATE TRIGGER "measured_cells_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "measured_cells" FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('measured');
