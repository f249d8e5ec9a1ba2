-- Measured coverage, second form (src/lib/server/measured.ts): one row per key at every resolution,
-- holding its own additive state (histograms and reporter counts, packed by
-- src/lib/coverage/measured.ts encodeState) beside its summary. A change reads the rows of the cells
-- it touches, adds its delta and writes them back; bins and reporters as rows (0013) were ~20 rows
-- per report and took minutes to rebuild for a million reports.
DROP TABLE "measured_bins";--> statement-breakpoint
DROP TABLE "measured_reporters";--> statement-breakpoint
DROP TABLE "measured_dirty";--> statement-breakpoint
TRUNCATE "measured_cells";--> statement-breakpoint
ALTER TABLE "measured_cells" ADD COLUMN "state" bytea NOT NULL;--> statement-breakpoint
-- Packed integers compress little and pglz costs more than the bytes saved: store them as they are.
ALTER TABLE "measured_cells" ALTER COLUMN "state" SET STORAGE EXTERNAL;--> statement-breakpoint
-- Reporters by number, so states hold 4-byte ids (a device key or "import:<id>", never shown).
CREATE TABLE "reporter_ids" (
	"id" integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	"reporter" text NOT NULL UNIQUE
);--> statement-breakpoint
-- Not built in this form yet: the next start (or `coverage rebuild`) fills it.
UPDATE "measured_state" SET "settings_version" = '';
