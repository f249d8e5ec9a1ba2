import pg from 'pg';

/**
 * The PostgreSQL server connection: a `pg` pool that survives the server dropping connections
 * (pg_terminate_backend, a restart, a failover, an idle-connection kill) and a silent server.
 *
 * Without an 'error' listener node-postgres' idle clients re-emit a dropped connection as an
 * unhandled 'error' event, which ends the Node process (RECIPES.md; node-postgres docs, "Pool:
 * error"). The pool drops a broken client by itself and opens a new one on the next query, so
 * recovery needs no more than listening and telling callers the database is unavailable meanwhile.
 */

/** Timeouts; a server that accepts TCP but never answers must not hang start-up or the CLI. */
export interface PoolTimeouts {
	connectMs: number;
	/** Server-side `statement_timeout`; 0 = none (long CLI rebuilds). */
	statementMs: number;
}

export const DEFAULT_TIMEOUTS: PoolTimeouts = { connectMs: 5000, statementMs: 120_000 };

/** SQLSTATE classes and Node error codes that mean "the database is not reachable right now". */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** True when `err` says the server is unreachable or dropped the connection (not a bad query). */
export function isConnectionError(err: unknown): boolean {
	for (let e = err as { code?: string; message?: string; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
		if (e.code && (UNAVAILABLE_SQLSTATES.has(e.code) || e.code.startsWith('08') || UNAVAILABLE_NODE_CODES.has(e.code))) return true;
		const m = e.message ?? '';
		if (/Connection terminated|connection timeout|timeout expired|Client has encountered a connection error|terminating connection/i.test(m)) return true;
	}
	return false;
}

/** The database server cannot be reached; the message is one line, without the password. */
export class DatabaseUnavailableError extends Error {
	readonly exitCode = 4;
	constructor(message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = 'DatabaseUnavailableError';
	}
}

function describeTarget(connectionString: string): string {
	try {
		const url = new URL(connectionString);
		const db = url.pathname.replace(/^\//, '');
		return `${url.hostname || 'localhost'}:${url.port || '5432'}${db ? `/${db}` : ''}`;
	} catch {
		return 'the DATABASE_URL server';
	}
}

/** The errors of a chain, outermost first (drizzle wraps driver errors as "Failed query: …"). */
function causes(err: unknown): { message: string; code?: string }[] {
	const chain: { message: string; code?: string }[] = [];
	for (let e = err, depth = 0; e !== undefined && e !== null && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
		chain.push({ message: e instanceof Error ? e.message : String(e), code: (e as { code?: string }).code });
	}
	return chain;
}

/** One readable line for a connection failure: host, port, database and the reason. */
export function describeConnectionError(err: unknown, connectionString: string): string {
	const chain = causes(err);
	const withCode = (codes: string[]) => chain.find((e) => e.code && codes.includes(e.code));
	let reason: string;
	if (chain.some((e) => /timeout/i.test(e.message))) reason = 'no answer within the connection timeout (the server accepts connections but does not respond)';
	else if (withCode(['ECONNREFUSED'])) reason = 'connection refused (is PostgreSQL running and listening there?)';
	else if (withCode(['ENOTFOUND', 'EAI_AGAIN'])) reason = 'host name not found';
	else if (withCode(['28P01', '28000'])) reason = `authentication failed (${withCode(['28P01', '28000'])!.message})`;
	else if (withCode(['3D000'])) reason = `database does not exist (${withCode(['3D000'])!.message})`;
	else reason = (chain.at(-1)?.message ?? 'unknown error').replace(/\.$/, '');
	return `Cannot reach the PostgreSQL server at ${describeTarget(connectionString)}: ${reason}.`;
}

/** A pool with error listeners and timeouts, whose availability the app can ask. */
export interface ServerPool {
	pool: pg.Pool;
	/** Time of the last connection error not yet followed by a success; null when fine. */
	unavailableSince(): number | null;
	/** Records the outcome of a query (a connection error marks the pool unavailable). */
	observe(err: unknown): void;
	/** Checks the server with `select 1` (at most one probe at a time); true when it answered. */
	probe(): Promise<boolean>;
}

/** Opens a pool on `connectionString` that never crashes the process on a dropped connection. */
export function createServerPool(
	connectionString: string,
	timeouts: PoolTimeouts = DEFAULT_TIMEOUTS,
	log: (line: string) => void = console.warn,
	{ readOnly = false }: { readOnly?: boolean } = {}
): ServerPool {
	const pool = new pg.Pool({
		connectionString,
		// A replica's connections refuse writes even where the URL names the primary by mistake.
		...(readOnly ? { options: '-c default_transaction_read_only=on' } : {}),
		max: 10,
		connectionTimeoutMillis: timeouts.connectMs,
		application_name: 'phu-song',
		// Keeps a connection that died silently (a NAT or firewall drop) from hanging a query forever.
		keepAlive: true,
		...(timeouts.statementMs > 0 ? { statement_timeout: timeouts.statementMs, idle_in_transaction_session_timeout: Math.max(timeouts.statementMs, 60_000) } : {})
	});
	let downSince: number | null = null;
	let lastLogged = 0;
	const onError = (err: Error) => {
		downSince ??= Date.now();
		// One line per 10 s at most: a failover would otherwise print one per pooled connection.
		if (Date.now() - lastLogged > 10_000) {
			lastLogged = Date.now();
			log(`[db] ${describeConnectionError(err, connectionString)} Reconnecting on the next request.`);
		}
	};
	pool.on('error', onError);
	// A checked-out client has no pool listener (pg-pool removes it), so each client gets its own.
	pool.on('connect', (client) => client.on('error', onError));
	let probing: Promise<boolean> | null = null;
	return {
		pool,
		unavailableSince: () => downSince,
		observe(err) {
			if (err === undefined || err === null) downSince = null;
			else if (isConnectionError(err)) downSince ??= Date.now();
		},
		probe() {
			probing ??= probeThroughStaleClients(pool, onError)
				.then((up) => (up && (downSince = null), up))
				.finally(() => (probing = null));
			return probing;
		}
	};
}

/**
 * `select 1` on the pool, dropping pooled connections the server already ended. After a
 * pg_terminate_backend or a failover the pool may still hold idle clients whose end it has not yet
 * read; a probe that lands on one says nothing about the server, and the next user request would
 * land on another. So the probe checks every idle client at once, drops the stale ones, and when
 * all were stale asks once more on a fresh connection. Only a failed connect, or a failure on a
 * fresh connection, means the server is down.
 */
async function probeThroughStaleClients(pool: pg.Pool, onError: (err: Error) => void): Promise<boolean> {
	for (let round = 0; ; round++) {
		const reused = pool.idleCount > 0;
		const outcomes = await Promise.all(Array.from({ length: Math.max(1, pool.idleCount) }, () => selectOne(pool)));
		if (outcomes.some((o) => o.answered)) return true;
		const failure = outcomes.find((o) => !o.connected) ?? outcomes[0];
		const staleOnly = reused && failure.connected && isConnectionError(failure.error);
		if (!staleOnly || round === 1) {
			onError(failure.error!);
			return false;
		}
	}
}

/** One `select 1` on one pooled client; a client that fails is dropped from the pool. */
async function selectOne(pool: pg.Pool): Promise<{ answered: boolean; connected: boolean; error?: Error }> {
	let client: pg.PoolClient;
	try {
		client = await pool.connect();
	} catch (err) {
		return { answered: false, connected: false, error: err as Error };
	}
	try {
		await client.query('select 1');
		client.release();
		return { answered: true, connected: true };
	} catch (err) {
		client.release(err as Error);
		return { answered: false, connected: true, error: err as Error };
	}
}
