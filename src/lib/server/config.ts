import path from 'node:path';

/** Runtime configuration, read from `process.env` only, so the app, the CLI and the tests share it. */
export interface Config {
	/** A `postgres://` URL selects the PostGIS server; absent, the embedded PGlite database is used. */
	databaseUrl: string | undefined;
	/** PGlite data directory, or `memory://` for a throw-away database. */
	dataDir: string;
	/** Folder holding drizzle's generated migrations. */
	migrationsDir: string;
	/** Folder holding demo and reference data. */
	dataRoot: string;
}

/** Reads the configuration from an environment (default `process.env`). */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
	const root = env.PHU_SONG_ROOT ?? process.cwd();
	const databaseUrl = env.DATABASE_URL?.trim() || undefined;
	if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
		throw new Error(`DATABASE_URL must start with postgres:// or postgresql://, got "${databaseUrl.slice(0, 20)}…"`);
	}
	return {
		databaseUrl,
		dataDir: env.PHU_SONG_DATA_DIR?.trim() || path.join(root, 'data', 'db'),
		migrationsDir: path.join(root, 'drizzle'),
		dataRoot: path.join(root, 'data')
	};
}
