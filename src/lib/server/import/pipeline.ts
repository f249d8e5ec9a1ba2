import { basename } from 'node:path';
import { sql } from 'drizzle-orm';
import { describeSkipped, explainSkipped, importOutcome } from '../../import/explain';
import { describeIssue, ImportFileError, type ImportIssue } from '../../import/issues';
import { recordAudit, type Actor } from '../audit';
import { inTransaction, type Database } from '../db/index';
import { openCsv } from './read-csv';
import { updateMeasured } from '../measured';
import { reportsOfImport } from '../measured-reports';
import { updatePredicted } from '../predicted';
import { prepareKind, type ImportKindName, type ImportOptions, type WriteCounts } from './kinds';

/** Rows validated before a batch is written. */
const BATCH_ROWS = 2000;
/** Issues kept for the report of a rejected import (the count is always exact). */
const MAX_REPORTED_ISSUES = 200;

export interface ImportProgress {
	rowsRead: number;
	bytesRead: number;
	sizeBytes: number;
	/** After the rows committed: the layers resting on them being recomputed (sites done of total). */
	recomputing?: { layer: 'predicted'; done: number; total: number };
}

export interface ImportSummary {
	importId: number;
	status: 'committed' | 'rejected';
	kind: ImportKindName | 'boundaries' | 'declared' | 'facilities' | 'fiber-routes' | 'exclusions' | 'villages' | 'population' | 'dem';
	fileName: string;
	contentHash: string;
	encoding: string;
	delimiter: string;
	preset: string | null;
	rowsRead: number;
	inserted: number;
	updated: number;
	duplicate: number;
	skipped: number;
	/** Why rows were skipped: reason → rows (e.g. "MCC 208" → 140), so a summary can say it. */
	skippedReasons: Record<string, number>;
	/** Rows with problems: quarantined (with --skip-invalid) or the reason for rejection. */
	invalid: number;
	issues: ImportIssue[];
	durationMs: number;
	/** Why a whole file was refused (encoding, header…), when it was. */
	fileError?: string;
	/** Units whose invalid geometry ST_MakeValid repaired (boundaries). */
	repaired?: string[];
	/** After the commit: the analysis layers recomputed from it (e.g. predicted after a DEM), or why not. */
	followUp?: { recomputed: string[]; error?: string };
}

/** A new, empty summary for an import that starts now. */
export function startSummary(kind: ImportSummary['kind'], fileName: string): ImportSummary {
	return {
		importId: 0,
		status: 'committed',
		kind,
		fileName,
		contentHash: '',
		encoding: '',
		delimiter: '',
		preset: null,
		rowsRead: 0,
		inserted: 0,
		updated: 0,
		duplicate: 0,
		skipped: 0,
		skippedReasons: {},
		invalid: 0,
		issues: [],
		durationMs: 0
	};
}

/**
 * Imports one CSV file of a kind in ONE transaction: every valid row is written, or none is.
 * With `skipInvalid`, bad rows go to the quarantine (import_issues) and the rest commits;
 * without it, any bad row rejects the whole file. Either way the import is recorded, with its
 * issues, and audited.
 */
export async function runImport(
	db: Database,
	{
		kind,
		filePath,
		fileName = basename(filePath),
		options,
		skipInvalid,
		actor,
		onProgress
	}: {
		kind: ImportKindName;
		filePath: string;
		fileName?: string;
		options: ImportOptions;
		skipInvalid: boolean;
		actor: Actor;
		onProgress?: (p: ImportProgress) => void;
	}
): Promise<ImportSummary> {
	const started = Date.now();
	const startedAt = new Date(started).toISOString();
	const summary = startSummary(kind, fileName);
	const add = (c: WriteCounts) => {
		summary.inserted += c.inserted;
		summary.updated += c.updated;
		summary.duplicate += c.duplicate;
	};

	try {
		const csv = await openCsv(filePath, { encoding: options.encoding });
		Object.assign(summary, { encoding: csv.encoding, delimiter: csv.delimiter === '\t' ? 'tab' : csv.delimiter });
		await inTransaction(db, async (tx) => {
			summary.importId = await insertImportRow(tx, summary, actor, startedAt, { options, skipInvalid });
			// One file is one reporter for the evidence rules; the id keeps files apart.
			const prepared = await prepareKind(kind, csv.header, { db: tx, options, fileReporterKey: `import:${summary.importId}` });
			summary.preset = prepared.preset;
			let batch: unknown[] = [];
			// Writes overlap parsing: while the database inserts one batch (on a server, another
			// core) the next is parsed. One write is in flight at a time; its failure is kept and
			// rethrown, never left as an unhandled rejection.
			let inFlight: Promise<void> = Promise.resolve();
			let writeError: unknown;
			const flush = async () => {
				await inFlight;
				if (writeError) throw writeError;
				const records = batch;
				batch = [];
				inFlight = prepared.write(tx, records, summary.importId).then(add, (err) => void (writeError = err));
			};
			let lastProgress = 0;
			for await (const { values, line } of csv.records) {
				const row = ++summary.rowsRead;
				let issues: ImportIssue[];
				if (values.length !== csv.header.length) {
					issues = [{ row, line, column: null, value: null, reason: `has ${values.length} columns; the header has ${csv.header.length}` }];
				} else {
					const result = prepared.read(values, { row, line });
					if ('record' in result) {
						batch.push(result.record);
						if (batch.length >= BATCH_ROWS && (skipInvalid || summary.invalid === 0)) await flush();
						issues = [];
					} else if ('skipped' in result) {
						summary.skipped++;
						summary.skippedReasons[result.skipped] = (summary.skippedReasons[result.skipped] ?? 0) + 1;
						issues = [];
					} else issues = result.issues;
				}
				if (issues.length > 0) {
					summary.invalid++;
					for (const issue of issues) if (summary.issues.length < MAX_REPORTED_ISSUES) summary.issues.push(issue);
					// A rejected file is still read to the end, so its report lists what else is wrong; nothing more is written.
					if (!skipInvalid) batch = [];
				}
				if (onProgress && Date.now() - lastProgress > 250) {
					lastProgress = Date.now();
					onProgress({ rowsRead: summary.rowsRead, bytesRead: csv.bytesRead(), sizeBytes: csv.sizeBytes });
				}
			}
			await inFlight;
			if (writeError) throw writeError;
			summary.contentHash = csv.contentHash();
			if (summary.invalid > 0 && !skipInvalid) throw new Rejected();
			if (batch.length > 0) add(await prepared.write(tx, batch, summary.importId));
			if (prepared.finish) add(await prepared.finish(tx, summary.importId));
			if (summary.rowsRead === 0) throw new ImportFileError('the file has a header but no data rows');
			// Measured coverage follows the rows in the same transaction: only the cells they touch.
			if (kind === 'measurements' && summary.inserted > 0) await updateMeasured(tx, reportsOfImport(summary.importId), 1);
			// Predictions follow the towers the same way: only the tiles within range of what changed.
			if (kind === 'towers') await updatePredicted(tx);
			summary.durationMs = Date.now() - started;
			await finishImportRow(tx, summary);
			await recordIssues(tx, summary.importId, summary.issues);
			await recordAudit(tx, actor, `import.${kind}`, fileName, auditDetails(summary));
		});
	} catch (err) {
		if (!(err instanceof Rejected || err instanceof ImportFileError)) throw err;
		await recordRejection(db, summary, err as Error, { actor, startedAt, started, details: { options, skipInvalid } });
	}
	return summary;
}

/** After a rollback: records the refusal on its own, so `import list` shows it with its reasons. */
export async function recordRejection(
	db: Database,
	summary: ImportSummary,
	err: Error,
	{ actor, startedAt, started, details }: { actor: Actor; startedAt: string; started: number; details: Record<string, unknown> }
): Promise<void> {
	summary.status = 'rejected';
	if (err instanceof ImportFileError) {
		summary.fileError = err.message;
		summary.issues = [{ row: null, line: null, column: null, value: null, reason: err.message }];
	}
	Object.assign(summary, { inserted: 0, updated: 0, duplicate: 0, durationMs: Date.now() - started });
	await inTransaction(db, async (tx) => {
		summary.importId = await insertImportRow(tx, summary, actor, startedAt, details);
		await finishImportRow(tx, summary);
		await recordIssues(tx, summary.importId, summary.issues);
		await recordAudit(tx, actor, `import.${summary.kind}.rejected`, summary.fileName, auditDetails(summary));
	});
}

/** Thrown inside an import's transaction to roll it back because rows were invalid. */
export class Rejected extends Error {}

export function auditDetails(s: ImportSummary) {
	return { importId: s.importId, contentHash: s.contentHash, rows: s.rowsRead, inserted: s.inserted, updated: s.updated, duplicate: s.duplicate, invalid: s.invalid, skipped: s.skipped };
}

export async function insertImportRow(tx: Database, s: ImportSummary, actor: Actor, startedAt: string, extra: Record<string, unknown>): Promise<number> {
	const details = { encoding: s.encoding, delimiter: s.delimiter, preset: s.preset, ...extra, fileError: s.fileError ?? null };
	const [row] = await tx.rows<{ id: number }>(sql`
		insert into imports (kind, file_name, content_hash, actor_account_id, actor_label, status, started_at, duration_ms,
			rows_read, rows_inserted, rows_duplicate, rows_skipped, rows_quarantined, details)
		values (${s.kind}, ${s.fileName}, ${s.contentHash}, ${actor.accountId}, ${actor.label}, ${s.status}, ${startedAt}, 0, 0, 0, 0, 0, 0, ${JSON.stringify(details)}::jsonb)
		returning id`);
	return row.id;
}

export async function finishImportRow(tx: Database, s: ImportSummary): Promise<void> {
	await tx.orm.execute(sql`
		update imports set status = ${s.status}, content_hash = ${s.contentHash}, duration_ms = ${s.durationMs}, rows_read = ${s.rowsRead},
			rows_inserted = ${s.inserted}, rows_updated = ${s.updated}, rows_duplicate = ${s.duplicate}, rows_skipped = ${s.skipped},
			rows_quarantined = ${s.invalid}, details = details || ${JSON.stringify({ preset: s.preset, repaired: s.repaired ?? [], skippedReasons: s.skippedReasons })}::jsonb
		where id = ${s.importId}`);
}

export async function recordIssues(tx: Database, importId: number, issues: ImportIssue[]): Promise<void> {
	if (issues.length === 0) return;
	await tx.orm.execute(sql`
		insert into import_issues (import_id, row_number, line, column_name, value, reason)
		select ${importId}, r."row", r."line", r."column", r."value", r."reason"
		from json_to_recordset(${JSON.stringify(issues)}::json) as r("row" integer, "line" integer, "column" text, "value" text, "reason" text)`);
}

/** A one-line summary of an import for the CLI. */
/** What was recomputed after an import or undo committed, as CLI lines. */
export function describeFollowUp(f: ImportSummary['followUp']): string[] {
	if (!f) return [];
	if (f.error) return [`  The import is kept, but the predicted coverage could not be recomputed (${f.error}); it will be at the next start or \`coverage predict\`.`];
	return f.recomputed.includes('predicted') ? ['  Predicted coverage recomputed with it.'] : [];
}

export function describeSummary(s: ImportSummary): string[] {
	// Text details only where they mean something (CSV); feature files and rasters say '—'.
	const facts = [`import #${s.importId}`, s.encoding === '—' ? null : s.encoding || '?', s.delimiter === '—' ? null : `delimiter ${s.delimiter || '?'}`, s.preset].filter(Boolean);
	const unit = s.kind === 'population' || s.kind === 'dem' ? 'pixels' : s.delimiter === '—' ? 'features' : 'rows';
	const lines = [
		`${s.status === 'committed' ? 'Imported' : 'REJECTED'} ${s.kind} from ${s.fileName} (${facts.join(', ')}) in ${(s.durationMs / 1000).toFixed(1)} s`,
		`  ${unit} read ${s.rowsRead} · inserted ${s.inserted} · updated ${s.updated} · already present ${s.duplicate} · skipped ${s.skipped} · invalid ${s.invalid}`
	];
	const outcome = importOutcome(s);
	const skipped = explainSkipped(s.skippedReasons);
	if (outcome === 'all-duplicate') lines.push('  Nothing new: every row was already imported.');
	if (outcome === 'all-skipped' || outcome === 'nothing') lines.push(`  Nothing was written${skipped ? `: ${describeSkipped(skipped)}` : ': the file has no rows to import'}.`);
	else if (skipped) lines.push(`  ${describeSkipped(skipped)}.`);
	if (s.status === 'rejected' && !s.fileError) lines.push('  Nothing was written. Fix these rows, or pass --skip-invalid to quarantine them and import the rest:');
	if (s.status === 'committed' && s.invalid > 0) lines.push(`  ${s.invalid} invalid rows quarantined (see: npm run cli -- import show ${s.importId}):`);
	if (s.repaired?.length) lines.push(`  ${s.repaired.length} invalid geometries repaired with ST_MakeValid: ${s.repaired.join(', ')}`);
	for (const issue of s.issues.slice(0, 20)) lines.push(`  - ${describeIssue(issue)}`);
	if (s.issues.length > 20) lines.push(`  … and ${s.invalid - 20} more rows`);
	lines.push(...describeFollowUp(s.followUp));
	return lines;
}
