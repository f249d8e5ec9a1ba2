import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Actor } from '../audit';
import type { Database } from '../db/index';
import { runAnyImport, type AnyImportKind, type AnyImportOptions } from './any';
import type { ImportProgress, ImportSummary } from './pipeline';

/**
 * Uploads and running imports of the upload page, held in this process's memory: progress
 * streams to the page from here (server-sent events), never by polling the database. A job
 * outlives the page that started it, so a reload reconnects to it; finished jobs are kept an hour.
 */

/** Largest upload taken; adapter-node's BODY_SIZE_LIMIT must allow it (scripts/start.js sets 300M). */
export const MAX_UPLOAD_BYTES = 300 * 2 ** 20;
const KEEP_MS = 60 * 60 * 1000;

export interface Upload {
	id: string;
	fileName: string;
	filePath: string;
	sizeBytes: number;
	accountId: number;
	createdAt: number;
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

interface Job extends JobState {
	listeners: Set<(state: JobState) => void>;
}

const uploads = new Map<string, Upload>();
const jobs = new Map<string, Job>();
/** Files of running imports: never swept, however old. */
const inUse = new Set<string>();
const newId = () => randomBytes(12).toString('base64url');
const uploadDir = () => path.join(process.env.PHU_SONG_UPLOAD_DIR || path.join(os.tmpdir(), 'phu-song-uploads'));

export class UploadError extends Error {}

/** A safe base name to show and record: no directories, no control characters. */
export function cleanFileName(name: string): string {
	const base = name.split(/[\\/]/).pop() ?? '';
	return base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200) || 'upload';
}

/** Streams a request body to disk (never held in memory), refusing more than MAX_UPLOAD_BYTES. */
export async function saveUpload(body: ReadableStream<Uint8Array> | null, fileName: string, accountId: number): Promise<Upload> {
	if (!body) throw new UploadError('the request has no file in its body');
	await mkdir(uploadDir(), { recursive: true });
	await forgetStale();
	const id = newId();
	const filePath = path.join(uploadDir(), id);
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
	const upload = { id, fileName: cleanFileName(fileName), filePath, sizeBytes: (await stat(filePath)).size, accountId, createdAt: Date.now() };
	uploads.set(id, upload);
	return upload;
}

/** Forgets an upload and deletes its file (a refused upload is not kept for an hour). */
export async function discardUpload(upload: Upload): Promise<void> {
	uploads.delete(upload.id);
	await rm(upload.filePath, { force: true });
}

/** An upload of this account (another account's id is as good as unknown). */
export function getUpload(id: string, accountId: number): Upload | null {
	const upload = uploads.get(id);
	return upload && upload.accountId === accountId ? upload : null;
}

const snapshot = (job: Job): JobState => {
	const { listeners: _listeners, ...state } = job;
	return state;
};

function publish(job: Job) {
	const state = snapshot(job);
	for (const listener of job.listeners) listener(state);
}

/** Starts an import of an upload in the background; the upload's file is removed when it ends. */
export function startJob(db: Database, upload: Upload, kind: AnyImportKind, options: AnyImportOptions, actor: Actor): JobState {
	uploads.delete(upload.id);
	inUse.add(upload.filePath);
	const job: Job = {
		id: newId(),
		kind,
		fileName: upload.fileName,
		accountId: upload.accountId,
		status: 'running',
		progress: null,
		summary: null,
		error: null,
		startedAt: Date.now(),
		finishedAt: null,
		listeners: new Set()
	};
	jobs.set(job.id, job);
	let lastPublished = 0;
	runAnyImport(db, kind, {
		filePath: upload.filePath,
		fileName: upload.fileName,
		options,
		actor,
		onProgress(progress) {
			job.progress = progress;
			// At most a few events a second, whatever the import's pace.
			if (Date.now() - lastPublished > 200) {
				lastPublished = Date.now();
				publish(job);
			}
		}
	})
		.then(
			(summary) => Object.assign(job, { status: 'done', summary }),
			(err) => Object.assign(job, { status: 'failed', error: (err as Error).message })
		)
		.finally(async () => {
			job.finishedAt = Date.now();
			publish(job);
			inUse.delete(upload.filePath);
			await rm(upload.filePath, { force: true });
		});
	return snapshot(job);
}

/** A job this account started, or null. */
export function getJob(id: string, accountId: number): JobState | null {
	const job = jobs.get(id);
	return job && job.accountId === accountId ? snapshot(job) : null;
}

/** Calls `listener` with every change of a job until the returned function is called. */
export function watchJob(id: string, listener: (state: JobState) => void): () => void {
	const job = jobs.get(id);
	if (!job) return () => {};
	job.listeners.add(listener);
	return () => job.listeners.delete(listener);
}

/**
 * Drops finished jobs and unused uploads older than an hour, and their files — also files an
 * earlier process left behind (the registry lives in memory, so a restart orphans them).
 */
async function forgetStale() {
	const now = Date.now();
	for (const [id, job] of jobs) if (job.finishedAt && now - job.finishedAt > KEEP_MS) jobs.delete(id);
	for (const [id, upload] of uploads) if (now - upload.createdAt > KEEP_MS) uploads.delete(id);
	const known = new Set([...inUse, ...[...uploads.values()].map((u) => u.filePath)]);
	for (const name of await readdir(uploadDir())) {
		const filePath = path.join(uploadDir(), name);
		if (known.has(filePath)) continue;
		const info = await stat(filePath).catch(() => null);
		if (info && now - info.mtimeMs > KEEP_MS) await rm(filePath, { force: true });
	}
}
