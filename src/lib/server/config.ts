import path from 'node:path';

/** Runtime configuration, read from `process.env` only, so the app, the CLI and the tests share it. */
export interface Config {
	/** A `postgres://` URL selects the PostGIS server; absent, the embedded PGlite database is used. */
	databaseUrl: string | undefined;
	/**
	 * Read replicas of that server (DATABASE_READ_URL, comma-separated): the public's map layers and
	 * scorecards are read there (src/lib/server/db/read.ts). Empty: everything reads the primary.
	 */
	readUrls: string[];
	/** PGlite data directory, or `memory://` for a throw-away database. */
	dataDir: string;
	/** Folder holding drizzle's generated migrations. */
	migrationsDir: string;
	/** Folder holding demo and reference data. */
	dataRoot: string;
	/** A session unused this long ends. */
	sessionIdleMinutes: number;
	/** A session ends this long after sign-in however active it is. */
	sessionAbsoluteHours: number;
	/** The public map shows a report cell only when this many distinct reporters are in it. */
	publicMinReporters: number;
}

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
	const raw = env[name]?.trim();
	if (!raw) return fallback;
	const value = Number(raw);
	if (!(value > 0)) throw new Error(`${name} must be a positive number, got "${raw}"`);
	return value;
}

/** Reads the configuration from an environment (default `process.env`). */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
	const root = env.PHU_SONG_ROOT ?? process.cwd();
	const databaseUrl = env.DATABASE_URL?.trim() || undefined;
	if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
		throw new Error(`DATABASE_URL must start with postgres:// or postgresql://, got "${databaseUrl.slice(0, 20)}…"`);
	}
	const readUrls = (env.DATABASE_READ_URL ?? '')
		.split(',')
		.map((u) => u.trim())
		.filter(Boolean);
	for (const url of readUrls) {
		if (!/^postgres(ql)?:\/\//.test(url)) throw new Error(`DATABASE_READ_URL must list postgres:// or postgresql:// URLs, got "${url.slice(0, 20)}…"`);
	}
	if (readUrls.length > 0 && !databaseUrl) throw new Error('DATABASE_READ_URL needs DATABASE_URL: replicas are of a PostGIS server, the embedded database has none');
	return {
		databaseUrl,
		readUrls,
		dataDir: env.PHU_SONG_DATA_DIR?.trim() || path.join(root, 'data', 'db'),
		migrationsDir: path.join(root, 'drizzle'),
		dataRoot: path.join(root, 'data'),
		sessionIdleMinutes: positiveNumber(env, 'SESSION_IDLE_MINUTES', 240),
		sessionAbsoluteHours: positiveNumber(env, 'SESSION_ABSOLUTE_HOURS', 72),
		publicMinReporters: Math.round(positiveNumber(env, 'PUBLIC_MIN_REPORTERS', 3))
	};
}
