-- Residents' reports as they arrive (issue 17; src/lib/server/intake.ts). The id is the client's
-- UUID, so a retry never makes a second row. A counted report with a mobile reading also has a
-- signal_reports row (source_kind resident or app) whose dedupe_key is this id: the analysis reads
-- only those, so a held, rejected or duplicate report never reaches it.
CREATE TABLE "resident_reports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tracking_code" text NOT NULL,
	-- 'api': POST /api/reports (the form and other clients); 'geosubmit': POST /v2/geosubmit.
	"channel" text NOT NULL,
	-- The pseudonymous reporter: a random id made once per install. Never a phone number.
	"device_key" text NOT NULL,
	-- A keyed hash of the client address (rate limits, bursts); the address itself is not kept.
	"address_key" text NOT NULL,
	"received_at" timestamptz NOT NULL DEFAULT now(),
	"observed_at" timestamptz NOT NULL,
	"position_source" text NOT NULL,
	"accuracy_m" real,
	"operator_code" text NOT NULL REFERENCES "operators" ("code"),
	"technology" text,
	"no_service" boolean NOT NULL DEFAULT false,
	"signal_bars" smallint,
	"rsrp_dbm" real,
	"rssi_dbm" real,
	"indoor" boolean,
	"floor" smallint,
	"problem" text,
	-- Stored as typed; never rendered as HTML.
	"note" text,
	"download_mbps" real,
	"upload_mbps" real,
	"latency_ms" real,
	-- The 2025 commune the point lies in (commune officers moderate their own).
	"commune_code" text,
	"h3_res9" bigint NOT NULL,
	"status" text NOT NULL,
	"flags" text[] NOT NULL DEFAULT '{}',
	"duplicate_of" uuid REFERENCES "resident_reports" ("id"),
	"moderated_by" text,
	"moderated_at" timestamptz,
	"moderation_reason" text,
	"contact_deleted_at" timestamptz,
	-- Made by the demo seed (src/lib/demo/held-reports.ts), not sent by anyone.
	"synthetic" boolean NOT NULL DEFAULT false,
	"geom" geometry(Point, 4326) NOT NULL,
	CONSTRAINT "resident_reports_channel_ck" CHECK ("channel" in ('api', 'geosubmit')),
	CONSTRAINT "resident_reports_status_ck" CHECK ("status" in ('counted', 'held', 'rejected', 'duplicate')),
	CONSTRAINT "resident_reports_position_source_ck" CHECK ("position_source" in ('gps', 'map')),
	CONSTRAINT "resident_reports_problem_ck" CHECK ("problem" is null or "problem" in ('no_signal', 'weak_signal', 'call_drop', 'slow_data', 'no_fiber')),
	CONSTRAINT "resident_reports_bars_ck" CHECK ("signal_bars" is null or "signal_bars" between 0 and 5),
	CONSTRAINT "resident_reports_rsrp_ck" CHECK ("rsrp_dbm" is null or "rsrp_dbm" between -140 and -44),
	CONSTRAINT "resident_reports_note_ck" CHECK ("note" is null or length("note") <= 500)
);--> statement-breakpoint
CREATE UNIQUE INDEX "resident_reports_tracking_uq" ON "resident_reports" ("tracking_code");--> statement-breakpoint
CREATE INDEX "resident_reports_device_idx" ON "resident_reports" ("device_key", "observed_at");--> statement-breakpoint
CREATE INDEX "resident_reports_address_idx" ON "resident_reports" ("address_key", "received_at");--> statement-breakpoint
CREATE INDEX "resident_reports_queue_idx" ON "resident_reports" ("status", "received_at");--> statement-breakpoint
CREATE INDEX "resident_reports_commune_idx" ON "resident_reports" ("commune_code", "received_at");--> statement-breakpoint
CREATE INDEX "resident_reports_geom_gix" ON "resident_reports" USING gist ("geom");--> statement-breakpoint
-- Contacts apart from the reports: planners (and the commune's officer) only, deleted on the
-- resident's request or after reports.contact_retention_days. Consent as Nghị định 13/2023/NĐ-CP.
CREATE TABLE "report_contacts" (
	"report_id" uuid PRIMARY KEY NOT NULL REFERENCES "resident_reports" ("id") ON DELETE CASCADE,
	"contact" text NOT NULL,
	"consent_at" timestamptz NOT NULL,
	"consent_text" text NOT NULL,
	"created_at" timestamptz NOT NULL DEFAULT now()
);--> statement-breakpoint
-- Fixed one-minute windows per device and per address (src/lib/reports/screening.ts). Kept in
-- the database so every app server shares them and a restart does not reset them.
CREATE TABLE "report_rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"window_start" timestamptz NOT NULL,
	"count" integer NOT NULL
);--> statement-breakpoint
-- What moderators did, beside the audit log: the report's own history for its tracking page.
CREATE TABLE "report_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"report_id" uuid NOT NULL REFERENCES "resident_reports" ("id") ON DELETE CASCADE,
	"from_status" text,
	"to_status" text NOT NULL,
	"reason" text,
	"actor_label" text NOT NULL,
	"at" timestamptz NOT NULL DEFAULT now()
);--> statement-breakpoint
CREATE INDEX "report_events_report_idx" ON "report_events" ("report_id");
