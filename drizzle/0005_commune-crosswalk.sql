CREATE TABLE "commune_crosswalk" (
	"id" serial PRIMARY KEY NOT NULL,
	"old_code" text NOT NULL,
	"old_name" text,
	"old_province_code" text,
	"new_code" text NOT NULL,
	"new_name" text,
	"new_province_code" text,
	"merge_type" text NOT NULL,
	"share" real NOT NULL,
	"share_rule" text NOT NULL,
	"import_id" integer,
	CONSTRAINT "commune_crosswalk_merge_type_ck" CHECK ("commune_crosswalk"."merge_type" in ('full', 'partial')),
	CONSTRAINT "commune_crosswalk_share_rule_ck" CHECK ("commune_crosswalk"."share_rule" in ('whole', 'area', 'population', 'equal'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "commune_crosswalk_old_new_uq" ON "commune_crosswalk" USING btree ("old_code","new_code");--> statement-breakpoint
CREATE INDEX "commune_crosswalk_new_idx" ON "commune_crosswalk" USING btree ("new_code");