-- Uploads, import jobs and scheduled runs in the database (issue 20): behind a load balancer the
-- request that previews an upload, the one that starts its import and the page following its
-- progress may each reach another app server, and a server may stop at any time; so none of this
-- lives in one process's memory. src/lib/server/import/jobs.ts, src/lib/server/scheduled.ts.
CREATE TABLE "import_uploads" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" integer NOT NULL REFERENCES "accounts" ("id") ON DELETE CASCADE,
	"file_name" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	-- Whether the bytes are in import_upload_chunks (a PostGIS server) or only on the disk of the
	-- one process that holds an embedded database (its data-directory lock makes it the only one).
	"stored" boolean NOT NULL,
	"created_at" timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
-- The file in pieces of at most 1 MiB: bytea values that size are cheap to write and to read back
-- one at a time, where a single 300 MB value would be held whole in memory by both sides.
CREATE TABLE "import_upload_chunks" (
	"upload_id" text NOT NULL REFERENCES "import_uploads" ("id") ON DELETE CASCADE,
	"seq" integer NOT NULL,
	"data" bytea NOT NULL,
	PRIMARY KEY ("upload_id", "seq")
);
--> statement-breakpoint
CREATE TABLE "import_jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"file_name" text NOT NULL,
	"account_id" integer NOT NULL REFERENCES "accounts" ("id") ON DELETE CASCADE,
	"status" text NOT NULL CHECK ("status" IN ('running', 'done', 'failed')),
	"progress" jsonb,
	"summary" jsonb,
	"error" text,
	"started_at" timestamptz NOT NULL DEFAULT now(),
	"finished_at" timestamptz,
	-- Written with each progress step and every few seconds: a running job whose process stopped
	-- (killed, restarted) stops beating, and readers then report it failed.
	"heartbeat_at" timestamptz NOT NULL DEFAULT now(),
	-- host:pid of the process running it (shown in logs, never to users).
	"server" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "import_jobs_finished_idx" ON "import_jobs" ("finished_at");
--> statement-breakpoint
-- Periodic jobs that must run once across all app servers: a server claims a run by moving
-- lease_until forward in one UPDATE, so two servers never both run it, and a claim of a process
-- that died lapses with its lease.
CREATE TABLE "scheduled_runs" (
	"job" text PRIMARY KEY NOT NULL,
	"lease_until" timestamptz NOT NULL DEFAULT '-infinity',
	"last_started_at" timestamptz,
	"last_finished_at" timestamptz,
	"server" text
);
