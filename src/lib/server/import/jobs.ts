import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import type { Actor } from '../audit';
import { inTransaction, type Database } from '../db/index';
import { runAnyImport, type AnyImportKind, type AnyImportOptions } from './any';
import type { ImportProgress, ImportSummary } from './pipeline';

/**
 * Uploads and running imports of the upload page, kept in the database (drizzle/0021) so that any
 * app server behind a load balancer can preview an upload another received, start its import, and
 * stream a job's progress that another runs (issue 20). The process running a job also tells its
 * own watchers at once from memory; others read the job's row a few times a second. A job outlives
 * the page that started it, so a reload reconnects to it; finished jobs are kept an hour.
 *
 * On a PostGIS server an upload's bytes are stored in 1 MiB chunks and copied to a local file by
 * whichever server needs them; an embedded database has one process by construction (its
 * data-directory lock), which keeps the file on its own disk.
 */

/** Largest upload taken; adapter-node's BODY_SIZE_LIMIT must allow it (scripts/start.js sets 300M). */
export const MAX_UPLOAD_BYTES = 300 * 2 ** 20;
const KEEP_MS = 60 * 60 * 1000;
const CHUNK_BYTES = 2 ** 20;
/** A running job writes its row at least this often… */
const HEARTBEAT_MS = 5_000;
/** …so one silent for this long ran in a process that stopped. */
export const JOB_STALE_MS = 30_000;
/** How often a watcher on another server reads the job's row. */
const POLL_MS = 300;

/** This process, as job rows name it (logs only). */
export const SERVER_ID = `${os.hostname()}:${process.pid}`;

export interface Upload {
	id: string;
	fileName: string;
	/** The bytes on this server's disk. */
	filePath: string;
	sizeBytes: number;
	accountId: number;
}

export interface JobState {
	id: string;
	kind: AnyImportKind;
	fileName: string;
	accountId: number;
	status: 'running' | 'done' | 'failed';
	progress: ImportProgress | null;
	summary: ImportSummary | null;
	error: string | null;
	startedAt: number;
	finishedAt: number | null;
}

/** Jobs this process runs, for its own watchers (the row stays the truth for everyone else). */
const running = new Map<string, { state: JobState; listeners: Set<(state: JobState) => void> }>();
/** Files of running imports: never swept, however old. */
const inUse = new Set<string>();
const newId = () => randomBytes(12).toString('base64url');
const uploadDir = () => path.join(process.env.PHU_SONG_UPLOAD_DIR || path.join(os.tmpdir(), 'phu-song-uploads'));
const localPath = (id: string) => path.join(uploadDir(), id);

export class UploadError extends Error {}

/** What a stopped job says (its process was killed or restarted mid-way). */
export const STOPPED_JOB_MESSAGE = 'the server running this import stopped before it finished; what it had committed is kept, and the file can be imported again';

/** A safe base name to show and record: no directories, no control characters. */
export function cleanFileName(name: string): string {
	const base = name.split(/[\\/]/).pop() ?? '';
	return base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200) || 'upload';
}

/** Streams a request body to disk (never held in memory), refusing more than MAX_UPLOAD_BYTES, and records it. */
export async function saveUpload(db: Database, body: ReadableStream<Uint8Array> | null, fileName: string, accountId: number): Promise<Upload> {
	if (!body) throw new UploadError('the request has no file in its body');
	await mkdir(uploadDir(), { recursive: true });
	await forgetStale(db);
	const id = newId();
	const filePath = localPath(id);
	let size = 0;
	const counter = new TransformStream<Uint8Array, Uint8Array>({
		transform(chunk, controller) {
			size += chunk.byteLength;
			if (size > MAX_UPLOAD_BYTES) controller.error(new UploadError(`the file is larger than ${MAX_UPLOAD_BYTES / 2 ** 20} MB`));
			else controller.enqueue(chunk);
		}
	});
	try {
		await pipeline(Readable.fromWeb(body.pipeThrough(counter) as never), createWriteStream(filePath));
	} catch (err) {
		await rm(filePath, { force: true });
		throw err instanceof UploadError ? err : new UploadError(`the upload did not complete: ${(err as Error).message}`);
	}
	if (size === 0) {
		await rm(filePath, { force: true });
		throw new UploadError('the file is empty');
	}
	const upload: Upload = { id, fileName: cleanFileName(fileName), filePath, sizeBytes: (await stat(filePath)).size, accountId };
	try {
		await storeUpload(db, upload);
	} catch (err) {
		await rm(filePath, { force: true });
		throw err;
	}
	return upload;
}

/** The upload's row, and on a server its bytes, in one transaction: a half-stored file is never seen. */
async function storeUpload(db: Database, upload: Upload): Promise<void> {
	const stored = db.kind === 'postgres';
	await inTransaction(db, async (tx) => {
		await tx.rows(sql`insert into import_uploads (id, account_id, file_name, size_bytes, stored)
			values (${upload.id}, ${upload.accountId}, ${upload.fileName}, ${upload.sizeBytes}, ${stored})`);
		if (!stored) return;
		let seq = 0;
		for await (const chunk of createReadStream(upload.filePath, { highWaterMark: CHUNK_BYTES })) {
			await tx.rows(sql`insert into import_upload_chunks (upload_id, seq, data) values (${upload.id}, ${seq++}, ${chunk as Buffer})`);
		}
	});
}

/** Forgets an upload and deletes its file (a refused upload is not kept for an hour). */
export async function discardUpload(db: Database, upload: Upload): Promise<void> {
	await db.rows(sql`delete from import_uploads where id = ${upload.id}`);
	await rm(upload.filePath, { force: true });
}

/**
 * An upload of this account (another account's id is as good as unknown), with its bytes on this
 * server's disk: copied from the database, chunk by chunk, when another server received it.
 */
export async function getUpload(db: Database, id: string, accountId: number): Promise<Upload | null> {
	const [row] = await db.rows<{ file_name: string; size_bytes: string | number; stored: boolean }>(sql`
		select file_name, size_bytes, stored from import_uploads where id = ${id} and account_id = ${accountId}`);
	if (!row) return null;
	const upload: Upload = { id, fileName: row.file_name, filePath: localPath(id), sizeBytes: Number(row.size_bytes), accountId };
	const local = await stat(upload.filePath).catch(() => null);
	if (local?.size === upload.sizeBytes) return upload;
	if (!row.stored) return null;
	await fetchUpload(db, upload);
	return upload;
}

/** Writes a stored upload to this server's disk (to a temporary name first: never a partial file). */
async function fetchUpload(db: Database, upload: Upload): Promise<void> {
	await mkdir(uploadDir(), { recursive: true });
	const partial = `${upload.filePath}.${process.pid}.part`;
	const chunks = async function* () {
		for (let seq = 0; ; seq++) {
			const [chunk] = await db.rows<{ data: Uint8Array }>(sql`select data from import_upload_chunks where upload_id = ${upload.id} and seq = ${seq}`);
			if (!chunk) return;
			yield chunk.data;
		}
	};
	try {
		await pipeline(Readable.from(chunks()), createWriteStream(partial));
		if ((await stat(partial)).size !== upload.sizeBytes) throw new UploadError('the stored upload is incomplete; upload the file again');
		await rename(partial, upload.filePath);
	} finally {
		await rm(partial, { force: true });
	}
}

type JobRow = {
	id: string;
	kind: AnyImportKind;
	file_name: string;
	account_id: number;
	status: JobState['status'];
	progress: ImportProgress | null;
	summary: ImportSummary | null;
	error: string | null;
	started_at: string | Date;
	finished_at: string | Date | null;
	stale: boolean;
};

const jobOfRow = (r: JobRow): JobState => ({
	id: r.id,
	kind: r.kind,
	fileName: r.file_name,
	accountId: r.account_id,
	status: r.stale ? 'failed' : r.status,
	progress: r.progress,
	summary: r.summary,
	error: r.stale ? STOPPED_JOB_MESSAGE : r.error,
	startedAt: new Date(r.started_at).getTime(),
	finishedAt: r.finished_at ? new Date(r.finished_at).getTime() : null
});

/**
 * Starts an import of an upload in the background on this server; the upload is forgotten once
 * the job has it (its file is removed when the job ends). The job's row is written before this
 * returns, so any server can answer for it at once.
 */
export async function startJob(db: Database, upload: Upload, kind: AnyImportKind, options: AnyImportOptions, actor: Actor): Promise<JobState> {
	inUse.add(upload.filePath);
	const state: JobState = {
		id: newId(),
		kind,
		fileName: upload.fileName,
		accountId: upload.accountId,
		status: 'running',
		progress: null,
		summary: null,
		error: null,
		startedAt: Date.now(),
		finishedAt: null
	};
	try {
		await inTransaction(db, async (tx) => {
			await tx.rows(sql`insert into import_jobs (id, kind, file_name, account_id, status, server)
				values (${state.id}, ${kind}, ${state.fileName}, ${state.accountId}, 'running', ${SERVER_ID})`);
			await tx.rows(sql`delete from import_uploads where id = ${upload.id}`);
		});
	} catch (err) {
		inUse.delete(upload.filePath);
		throw err;
	}
	const local = { state, listeners: new Set<(state: JobState) => void>() };
	running.set(state.id, local);
	const publish = () => {
		const snapshot = { ...state };
		for (const listener of local.listeners) listener(snapshot);
	};
	// The row follows the job: progress a few times a second at most, a heartbeat between.
	let writing: Promise<void> | null = null;
	let lastWritten = 0;
	const writeProgress = () => {
		if (writing) return;
		lastWritten = Date.now();
		writing = db
			.rows(sql`update import_jobs set progress = ${JSON.stringify(state.progress)}::jsonb, heartbeat_at = now() where id = ${state.id} and status = 'running'`)
			.then(() => {}, () => {}) // a lost write is made good by the next one
			.finally(() => (writing = null));
	};
	const heartbeat = setInterval(writeProgress, HEARTBEAT_MS);
	heartbeat.unref();
	let lastPublished = 0;
	runAnyImport(db, kind, {
		filePath: upload.filePath,
		fileName: upload.fileName,
		options,
		actor,
		onProgress(progress) {
			state.progress = progress;
			// At most a few events a second, whatever the import's pace.
			if (Date.now() - lastPublished > 200) {
				lastPublished = Date.now();
				publish();
			}
			if (Date.now() - lastWritten > 500) writeProgress();
		}
	})
		.then(
			(summary) => Object.assign(state, { status: 'done', summary }),
			(err) => Object.assign(state, { status: 'failed', error: (err as Error).message })
		)
		.finally(async () => {
			clearInterval(heartbeat);
			state.finishedAt = Date.now();
			await writing;
			await finishRow(db, state);
			publish();
			running.delete(state.id);
			inUse.delete(upload.filePath);
			await rm(upload.filePath, { force: true });
		});
	return { ...state };
}

/** Writes a job's end, retrying for a while: a dropped connection must not turn "done" into "stopped". */
async function finishRow(db: Database, state: JobState): Promise<void> {
	for (let attempt = 0; attempt < 10; attempt++) {
		try {
			await db.rows(sql`update import_jobs set status = ${state.status}, progress = ${JSON.stringify(state.progress)}::jsonb,
				summary = ${JSON.stringify(state.summary)}::jsonb, error = ${state.error}, finished_at = now(), heartbeat_at = now()
				where id = ${state.id}`);
			return;
		} catch (err) {
			if (attempt === 9) console.error(`[import] could not record the end of job ${state.id}:`, (err as Error).message);
			else await new Promise((r) => setTimeout(r, 500 * 2 ** Math.min(attempt, 4)));
		}
	}
}

/** A job this account started, or null; one whose process stopped reads as failed. */
export async function getJob(db: Database, id: string, accountId: number): Promise<JobState | null> {
	const mine = running.get(id);
	if (mine) return mine.state.accountId === accountId ? { ...mine.state } : null;
	const [row] = await db.rows<JobRow>(sql`
		select id, kind, file_name, account_id, status, progress, summary, error, started_at, finished_at,
			status = 'running' and heartbeat_at < now() - make_interval(secs => ${JOB_STALE_MS / 1000}) as stale
		from import_jobs where id = ${id} and account_id = ${accountId}`);
	return row ? jobOfRow(row) : null;
}

/**
 * Calls `listener` with every change of a job until it ends or the returned function is called:
 * from memory when this process runs it, otherwise from its row, read every POLL_MS.
 */
export function watchJob(db: Database, id: string, accountId: number, listener: (state: JobState) => void): () => void {
	const mine = running.get(id);
	if (mine) {
		mine.listeners.add(listener);
		// It may have ended between the caller's read and now: its last word is then already said.
		if (mine.state.status !== 'running') listener({ ...mine.state });
		return () => mine.listeners.delete(listener);
	}
	let stopped = false;
	let last = '';
	const poll = async () => {
		while (!stopped) {
			await new Promise((r) => setTimeout(r, POLL_MS));
			if (stopped) return;
			const state = await getJob(db, id, accountId).catch(() => undefined);
			if (state === undefined) continue; // the database is away: try again
			if (state === null) return;
			const seen = JSON.stringify(state);
			if (seen !== last) {
				last = seen;
				listener(state);
			}
			if (state.status !== 'running') return;
		}
	};
	void poll();
	return () => (stopped = true);
}

/**
 * Drops finished jobs and unused uploads older than an hour, and files on this server's disk that
 * no known upload or running job holds (an earlier process, or another server's copy, left them).
 */
export async function forgetStale(db: Database): Promise<void> {
	const cutoff = new Date(Date.now() - KEEP_MS).toISOString();
	await db.rows(sql`delete from import_jobs where finished_at < ${cutoff}
		or (status = 'running' and heartbeat_at < ${cutoff})`);
	await db.rows(sql`delete from import_uploads where created_at < ${cutoff}`);
	const known = new Set((await db.rows<{ id: string }>(sql`select id from import_uploads`)).map((r) => localPath(r.id)));
	const now = Date.now();
	for (const name of await readdir(uploadDir()).catch(() => [])) {
		const filePath = path.join(uploadDir(), name);
		if (known.has(filePath) || inUse.has(filePath)) continue;
		const info = await stat(filePath).catch(() => null);
		if (info && now - info.mtimeMs > KEEP_MS) await rm(filePath, { force: true });
	}
}
