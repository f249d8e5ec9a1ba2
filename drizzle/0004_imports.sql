CREATE TABLE "import_issues" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"import_id" integer NOT NULL,
	"row_number" integer,
	"line" integer,
	"column_name" text,
	"value" text,
	"reason" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "import_previous_values" (
	"import_id" integer NOT NULL,
	"table_name" text NOT NULL,
	"row_id" integer NOT NULL,
	"previous" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "imports" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"file_name" text NOT NULL,
	"content_hash" text NOT NULL,
	"actor_account_id" integer,
	"actor_label" text NOT NULL,
	"status" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"duration_ms" integer NOT NULL,
	"rows_read" integer NOT NULL,
	"rows_inserted" integer NOT NULL,
	"rows_updated" integer DEFAULT 0 NOT NULL,
	"rows_duplicate" integer NOT NULL,
	"rows_skipped" integer NOT NULL,
	"rows_quarantined" integer NOT NULL,
	"details" jsonb
);
--> statement-breakpoint
ALTER TABLE "fiber_coverage" ADD COLUMN "import_id" integer;--> statement-breakpoint
ALTER TABLE "signal_reports" ADD COLUMN "rsrq_db" real;--> statement-breakpoint
ALTER TABLE "signal_reports" ADD COLUMN "sinr_db" real;--> statement-breakpoint
ALTER TABLE "signal_reports" ADD COLUMN "import_id" integer;--> statement-breakpoint
ALTER TABLE "signal_reports" ADD COLUMN "dedupe_key" text;--> statement-breakpoint
ALTER TABLE "towers" ADD COLUMN "cells" jsonb;--> statement-breakpoint
ALTER TABLE "towers" ADD COLUMN "import_id" integer;--> statement-breakpoint
ALTER TABLE "import_issues" ADD CONSTRAINT "import_issues_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_previous_values" ADD CONSTRAINT "import_previous_values_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_actor_account_id_accounts_id_fk" FOREIGN KEY ("actor_account_id") REFERENCES "public"."accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "import_issues_import_idx" ON "import_issues" USING btree ("import_id");--> statement-breakpoint
CREATE INDEX "import_previous_values_import_idx" ON "import_previous_values" USING btree ("import_id");--> statement-breakpoint
CREATE UNIQUE INDEX "signal_reports_dedupe_uq" ON "signal_reports" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "signal_reports_import_idx" ON "signal_reports" USING btree ("import_id");