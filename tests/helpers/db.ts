import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../src/lib/server/db/index';

const migrationsDir = path.resolve('drizzle');

/**
 * Opens the database this test project targets: an in-memory embedded database started from the
 * migrated template that global setup dumped, or the PostGIS server at TEST_DATABASE_URL.
 */
export async function openTestDatabase(): Promise<Database> {
	if (process.env.TEST_DB === 'postgres') {
		const url = process.env.TEST_DATABASE_URL;
		if (!url) throw new Error('TEST_DATABASE_URL is not set (the integration-postgres project needs it)');
		return openDatabase({ databaseUrl: url, dataDir: '', migrationsDir });
	}
	const templatePath = inject('pgliteTemplatePath');
	const pgliteTemplate = templatePath ? new Blob([await readFile(templatePath)]) : undefined;
	return openDatabase({ databaseUrl: undefined, dataDir: 'memory://', migrationsDir }, { pgliteTemplate });
}

/** Empties every data table (operators are reference data from a migration and stay). */
export async function resetDatabase(db: Database): Promise<void> {
	await db.orm.execute(
		sql`truncate communes, towers, signal_reports, fiber_coverage, app_meta, audit_log, sessions, password_tokens, login_throttle, accounts, imports, import_issues, import_previous_values, commune_crosswalk, admin_areas, declared_coverage, facilities, fiber_routes, exclusion_zones, population_cells, dem_tiles, settings, measured_cells, reporter_ids, predicted_tiles, predicted_sites, declared_grid, measured_changes, villages, dead_zone_sets, dead_zones, plan_scenarios, proposals, proposal_events, resident_reports, report_contacts, report_rate_limits, report_events, import_uploads, import_upload_chunks, import_jobs, scheduled_runs restart identity cascade`
	);
	// The measured window as a fresh database starts it (a test of the retirement job moves it).
	await db.orm.execute(sql`update measured_state set window_start = now() - interval '365 days'`);
}

declare module 'vitest' {
	export interface ProvidedContext {
		pgliteTemplatePath: string | undefined;
		baseUrl: string;
		serverLogPath: string;
		e2eDataDir: string;
	}
}
