DROP INDEX "signal_reports_dedupe_uq";--> statement-breakpoint
DROP INDEX "signal_reports_h3_idx";--> statement-breakpoint
-- Existing keys are base64url SHA-1 (27 characters); their first 16 bytes are the new key, as
-- src/lib/server/import/kinds.ts computes it, so re-importing an old file still adds nothing.
ALTER TABLE "signal_reports" ALTER COLUMN "dedupe_key" SET DATA TYPE uuid
	USING encode(substring(decode(translate("dedupe_key", '-_', '+/') || '=', 'base64') from 1 for 16), 'hex')::uuid;--> statement-breakpoint
CREATE UNIQUE INDEX "signal_reports_h3_dedupe_uq" ON "signal_reports" USING btree ("h3_res9","dedupe_key");
