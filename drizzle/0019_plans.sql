-- Plans and proposals (issue 16; src/lib/server/plans.ts, src/lib/server/proposals.ts).
-- A saved scenario keeps what was asked and what came back, so it survives a restart and two
-- can be compared side by side; `built_from` records the data versions it was computed from.
CREATE TABLE "plan_scenarios" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"operator_code" text NOT NULL REFERENCES "operators" ("code"),
	"options" jsonb NOT NULL,
	"result" jsonb NOT NULL,
	"built_from" text NOT NULL,
	"created_by" integer,
	"created_by_label" text NOT NULL,
	"created_at" timestamptz NOT NULL DEFAULT now()
);--> statement-breakpoint
CREATE INDEX "plan_scenarios_operator_idx" ON "plan_scenarios" ("operator_code", "created_at");--> statement-breakpoint
-- A proposal is one site of a scenario sent to its operator. Its state moves only as
-- src/lib/planning/proposals.ts allows; every change is a row of proposal_events (who, when, why).
CREATE TABLE "proposals" (
	"id" serial PRIMARY KEY NOT NULL,
	"scenario_id" integer REFERENCES "plan_scenarios" ("id") ON DELETE SET NULL,
	"site_key" text NOT NULL,
	"operator_code" text NOT NULL REFERENCES "operators" ("code"),
	"site_type" text NOT NULL,
	"cost" double precision NOT NULL,
	"commune_code" text,
	"households" double precision NOT NULL,
	"explanation_vi" text NOT NULL,
	"explanation_en" text NOT NULL,
	-- The demand cells (H3 res 9) the site was chosen to serve: what verification measures.
	"target_cells" text[] NOT NULL,
	"state" text NOT NULL DEFAULT 'proposed',
	"state_since" timestamptz NOT NULL DEFAULT now(),
	"on_air_at" timestamptz,
	"reason" text,
	"verification" jsonb,
	"created_at" timestamptz NOT NULL DEFAULT now(),
	"geom" geometry(Point, 4326) NOT NULL,
	CONSTRAINT "proposals_state_ck" CHECK ("state" in ('proposed', 'sent', 'accepted', 'rejected', 'building', 'on_air', 'verified', 'closed')),
	CONSTRAINT "proposals_site_type_ck" CHECK ("site_type" in ('small-cell', 'macro'))
);--> statement-breakpoint
-- One proposal per site of a scenario, however often "send" is pressed.
CREATE UNIQUE INDEX "proposals_scenario_site_uq" ON "proposals" ("scenario_id", "site_key");--> statement-breakpoint
CREATE INDEX "proposals_operator_idx" ON "proposals" ("operator_code", "state");--> statement-breakpoint
CREATE INDEX "proposals_commune_idx" ON "proposals" ("commune_code");--> statement-breakpoint
CREATE INDEX "proposals_geom_gix" ON "proposals" USING gist ("geom");--> statement-breakpoint
CREATE TABLE "proposal_events" (
	"id" serial PRIMARY KEY NOT NULL,
	"proposal_id" integer NOT NULL REFERENCES "proposals" ("id") ON DELETE CASCADE,
	"from_state" text,
	"to_state" text NOT NULL,
	"actor_account_id" integer,
	"actor_label" text NOT NULL,
	"reason" text,
	"at" timestamptz NOT NULL DEFAULT now()
);--> statement-breakpoint
CREATE INDEX "proposal_events_proposal_idx" ON "proposal_events" ("proposal_id", "at");
