import { sql } from 'drizzle-orm';
import type { ImportIssue } from '../../import/issues';
import { updateMeasured } from '../measured';
import { reportsOfImport } from '../measured-reports';
import { updatePredicted } from '../predicted';
import { refreshAfterImport, type FollowUp } from '../analysis';
import { updateDeclaredGrid } from '../declared';
import { recordAudit, type Actor } from '../audit';
import { affectedRowCount } from '../db/bulk';
import { inTransaction, type Database } from '../db/index';
import { shareCrosswalk } from './kinds';

export interface ImportRecord {
	id: number;
	kind: string;
	fileName: string;
	contentHash: string;
	actorLabel: string;
	status: 'committed' | 'rejected' | 'undone';
	startedAt: string;
	durationMs: number;
	rowsRead: number;
	rowsInserted: number;
	rowsUpdated: number;
	rowsDuplicate: number;
	rowsSkipped: number;
	rowsQuarantined: number;
}

/** Imports, newest first. */
export async function listImports(db: Database, limit = 50): Promise<ImportRecord[]> {
	const rows = await db.rows<Record<string, unknown>>(sql`
		select id, kind, file_name, content_hash, actor_label, status, started_at, duration_ms, rows_read, rows_inserted,
			rows_updated, rows_duplicate, rows_skipped, rows_quarantined
		from imports order by id desc limit ${limit}`);
	return rows.map((r) => ({
		id: Number(r.id),
		kind: String(r.kind),
		fileName: String(r.file_name),
		contentHash: String(r.content_hash),
		actorLabel: String(r.actor_label),
		status: r.status as ImportRecord['status'],
		startedAt: new Date(r.started_at as string).toISOString(),
		durationMs: Number(r.duration_ms),
		rowsRead: Number(r.rows_read),
		rowsInserted: Number(r.rows_inserted),
		rowsUpdated: Number(r.rows_updated),
		rowsDuplicate: Number(r.rows_duplicate),
		rowsSkipped: Number(r.rows_skipped),
		rowsQuarantined: Number(r.rows_quarantined)
	}));
}

/** The recorded issues (quarantine, or reasons for rejection) of one import. */
export async function importIssues(db: Database, importId: number): Promise<ImportIssue[]> {
	const rows = await db.rows<{ row_number: number | null; line: number | null; column_name: string | null; value: string | null; reason: string }>(sql`
		select row_number, line, column_name, value, reason from import_issues where import_id = ${importId} order by id`);
	return rows.map((r) => ({ row: r.row_number, line: r.line, column: r.column_name, value: r.value, reason: r.reason }));
}

/**
 * Undoes a committed import: deletes exactly the rows it added and puts back the values it
 * overwrote, in one transaction; then recomputes the layers that rested on them (a DEM's
 * predictions). Returns how many rows were removed and restored, and that follow-up.
 */
export async function undoImport(db: Database, importId: number, actor: Actor): Promise<{ removed: number; restored: number; followUp: FollowUp }> {
	const undone = await inTransaction(db, async (tx) => {
		const [imp] = await tx.rows<{ status: string; kind: string; file_name: string }>(sql`select status, kind, file_name from imports where id = ${importId} for update`);
		if (!imp) throw new RangeError(`no import with id ${importId}`);
		if (imp.status !== 'committed') throw new RangeError(`import ${importId} is ${imp.status}; only a committed import can be undone`);
		// The measured layer loses exactly this import's contributions, before its rows go.
		if (imp.kind === 'measurements') await updateMeasured(tx, reportsOfImport(importId), -1);
		let removed = 0;
		for (const table of [sql`signal_reports`, sql`towers`, sql`fiber_coverage`, sql`commune_crosswalk`, sql`communes`, sql`admin_areas`, sql`declared_coverage`, sql`facilities`, sql`fiber_routes`, sql`exclusion_zones`, sql`villages`, sql`population_cells`, sql`dem_tiles`]) {
			const result = await tx.orm.execute(sql`delete from ${table} where import_id = ${importId}`);
			removed += affectedRowCount(result);
		}
		if (imp.kind === 'towers') await updatePredicted(tx);
		if (imp.kind === 'declared') await updateDeclaredGrid(tx);
		const communes = await tx.orm.execute(sql`
			update communes c set population = (p.previous->>'population')::int, households = (p.previous->>'households')::int,
				households_synthetic = (p.previous->>'householdsSynthetic')::boolean
			from import_previous_values p where p.import_id = ${importId} and p.table_name = 'communes' and p.row_id = c.id`);
		const fiber = await tx.orm.execute(sql`
			update fiber_coverage f set households_total = (p.previous->>'householdsTotal')::int, households_passed = (p.previous->>'householdsPassed')::int,
				households_connected = (p.previous->>'householdsConnected')::int, synthetic = (p.previous->>'synthetic')::boolean
			from import_previous_values p where p.import_id = ${importId} and p.table_name = 'fiber_coverage' and p.row_id = f.id`);
		const restored = affectedRowCount(communes) + affectedRowCount(fiber);
		// Shares of the old communes that remain must be decided again without the removed rows.
		if (imp.kind === 'crosswalk') await shareCrosswalk(tx);
		await tx.orm.execute(sql`update imports set status = 'undone' where id = ${importId}`);
		await recordAudit(tx, actor, 'import.undo', imp.file_name, { importId, kind: imp.kind, removed, restored });
		return { removed, restored, kind: imp.kind };
	});
	// What rests on the removed rows follows, in its own transaction (as after an import).
	const followUp = await refreshAfterImport(db, undone.kind);
	return { removed: undone.removed, restored: undone.restored, followUp };
}
