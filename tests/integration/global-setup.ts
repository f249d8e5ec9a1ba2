import { rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { dumpPgliteTemplate, openDatabase } from '../../src/lib/server/db/index';

/**
 * Migrates one database before any test file runs: for PostGIS, so files do not race to apply
 * migrations; for PGlite, to dump a migrated template every file starts from in ~1 s.
 */
export default async function setup(project: TestProject) {
	const migrationsDir = path.resolve('drizzle');
	if (process.env.TEST_DB === 'postgres') {
		const db = await openDatabase({ databaseUrl: process.env.TEST_DATABASE_URL, dataDir: '', migrationsDir });
		await db.close();
		project.provide('pgliteTemplatePath', undefined);
		return;
	}
	const db = await openDatabase({ databaseUrl: undefined, dataDir: 'memory://', migrationsDir });
	const templatePath = path.join(os.tmpdir(), `phu-song-pglite-template-${process.pid}.tar`);
	await writeFile(templatePath, Buffer.from(await (await dumpPgliteTemplate(db)).arrayBuffer()));
	await db.close();
	project.provide('pgliteTemplatePath', templatePath);
	return () => rm(templatePath, { force: true });
}
