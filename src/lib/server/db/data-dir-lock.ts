import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * One process at a time per embedded data folder. PGlite has no cross-process locking: a second
 * process writing the same folder corrupts it beyond repair ("RuntimeError: Aborted()" on the
 * next open). So the first process writes a lock file with its pid; a second one is refused with
 * who holds it; a lock whose process is gone (kill -9, power loss) is stale and taken over.
 */
export const LOCK_FILE = 'phu-song.lock';

/** What a lock file says about its holder. */
export interface LockOwner {
	pid: number;
	host: string;
	/** Kernel start time of the process (Linux `/proc/<pid>/stat` field 22), to tell a reused pid. */
	startTicks: string | null;
	command: string;
	since: string;
}

/** The folder is held by another live process. */
export class DataDirLockedError extends Error {
	readonly exitCode = 3;
	constructor(
		readonly dataDir: string,
		readonly owner: LockOwner
	) {
		super(
			`The embedded database at ${dataDir} is in use by process ${owner.pid} (${owner.command}, since ${owner.since}` +
				`${owner.host !== os.hostname() ? `, on host ${owner.host}` : ''}). ` +
				'PGlite can be opened by one process at a time, and a second one would corrupt it. ' +
				'Stop that process first (the app: Ctrl+C or `kill ' + owner.pid + '`), or import through the running app\'s upload page (/import), ' +
				'or use a PostgreSQL server (DATABASE_URL=postgres://…), which many processes can share.'
		);
		this.name = 'DataDirLockedError';
	}
}

/** A held lock; `release()` removes the file if it is still ours. */
export interface DataDirLock {
	path: string;
	/** True when the previous holder died without releasing (its writes may need reclaiming). */
	tookOverStale: boolean;
	release(): void;
}

function startTicksOf(pid: number): string | null {
	try {
		// Field 22 (starttime) counted after the command name, which is in parentheses and may hold spaces.
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
	} catch {
		return null;
	}
}

function isAlive(owner: LockOwner): boolean {
	// Another machine sharing the folder (a network drive): we cannot tell, so it is held.
	if (owner.host !== os.hostname()) return true;
	try {
		process.kill(owner.pid, 0);
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
	}
	// The pid exists; a different start time means the kernel reused it for another process.
	const ticks = startTicksOf(owner.pid);
	return !(owner.startTicks && ticks && ticks !== owner.startTicks);
}

function readOwner(file: string): LockOwner | null {
	try {
		const parsed = JSON.parse(readFileSync(file, 'utf8')) as LockOwner;
		return Number.isInteger(parsed.pid) ? parsed : null;
	} catch {
		return null; // missing, or half-written by a process killed while writing it
	}
}

function writeNew(file: string, owner: LockOwner): boolean {
	let fd: number;
	try {
		fd = openSync(file, 'wx');
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
		throw err;
	}
	try {
		writeSync(fd, JSON.stringify(owner));
	} finally {
		closeSync(fd);
	}
	return true;
}

/**
 * Takes the lock of `dataDir` for this process, or throws {@link DataDirLockedError}. A stale
 * lock is moved aside atomically (rename), so of two processes racing for it only one wins.
 */
export function acquireDataDirLock(dataDir: string, command = process.argv.slice(1).map((a) => path.basename(a)).join(' ')): DataDirLock {
	mkdirSync(dataDir, { recursive: true });
	const file = path.join(dataDir, LOCK_FILE);
	const me: LockOwner = { pid: process.pid, host: os.hostname(), startTicks: startTicksOf(process.pid), command: command || 'node', since: new Date().toISOString() };
	let tookOverStale = false;
	for (let attempt = 0; attempt < 5; attempt++) {
		if (writeNew(file, me)) {
			return {
				path: file,
				tookOverStale,
				release() {
					const owner = readOwner(file);
					if (owner?.pid === me.pid && owner.since === me.since) unlinkSync(file);
				}
			};
		}
		const owner = readOwner(file);
		if (owner && owner.pid !== process.pid && isAlive(owner)) throw new DataDirLockedError(dataDir, owner);
		if (owner && owner.pid === process.pid && owner.since !== me.since) throw new DataDirLockedError(dataDir, owner);
		// Stale (or unreadable): move it aside. Only one racer's rename finds it.
		const aside = `${file}.stale-${process.pid}-${attempt}`;
		try {
			renameSync(file, aside);
		} catch (err) {
			if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
			throw err;
		}
		const moved = readOwner(aside);
		if (moved && moved.since !== owner?.since && isAlive(moved)) {
			// Another racer had already replaced the stale lock with its live one: give it back.
			try {
				linkSync(aside, file);
			} catch {
				/* someone else holds it now; the loop will find out */
			}
		} else {
			tookOverStale = true;
		}
		unlinkSync(aside);
	}
	const owner = readOwner(file);
	if (owner) throw new DataDirLockedError(dataDir, owner);
	throw new Error(`could not take the lock ${file}`);
}
