-- Deployment settings (src/lib/settings/definitions.ts holds the keys, defaults and sources); only
-- values that differ from the default are stored. Versioned like every layer, so analyses that
-- depend on a threshold are recomputed when it changes.
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" double precision NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL
);--> statement-breakpoint
CREATE TRIGGER "settings_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "settings" FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('settings');--> statement-breakpoint
INSERT INTO data_versions (layer, version) VALUES ('settings', nextval('data_version_seq'));
