import type { Actor } from './audit';
import { updateDeclaredGrid } from './declared';
import { inTransaction, type Database } from './db/index';
import { ensureMeasuredCurrent, retireOldReports } from './measured';
import { pruneChangeLog } from './measured-changes';
import { ensurePredictedCurrent, type PredictProgress } from './predicted';
import { verifyOnAir } from './proposals';
import { purgeExpiredContacts } from './resident-reports';
import { setSetting } from './settings';

/**
 * The derived analysis layers kept in step with their inputs: what a settings change, a start and
 * the daily job must bring up to date. Later layers (fused) join here.
 */

/** Changes a setting and recomputes what depends on it, in one transaction: no read sees a mix. */
export async function changeSetting(db: Database, actor: Actor, key: string, text: string): Promise<number> {
	return inTransaction(db, async (tx) => {
		const value = await setSetting(tx, actor, key, text);
		await ensureMeasuredCurrent(tx);
		await ensurePredictedCurrent(tx);
		return value;
	});
}

/** At start: rebuild what was computed with other settings or by an older version. Returns what it did. */
export async function refreshAnalysis(db: Database): Promise<string[]> {
	const done: string[] = [];
	if (await ensureMeasuredCurrent(db)) done.push('measured coverage rebuilt');
	if (await ensurePredictedCurrent(db)) done.push('predicted coverage recomputed');
	// Declared maps imported before the grid existed (or by an older rule) are put on it once.
	if ((await inTransaction(db, (tx) => updateDeclaredGrid(tx))).length > 0) done.push('declared maps put on the grid');
	return done;
}

/**
 * Import kinds the predicted layer rests on besides towers: boundaries give its cells, the DEM its
 * terrain, population its settlement pattern. (Towers update their own tiles inside the import's
 * transaction; measurements update the measured layer the same way.)
 */
const PREDICTION_INPUT_KINDS: ReadonlySet<string> = new Set(['boundaries', 'dem', 'population']);

/** What {@link refreshAfterImport} did: the layers it recomputed, or why it could not. */
export interface FollowUp {
	recomputed: string[];
	/** The layer stays as it was (its inputs' version says so) and is recomputed at the next start or change. */
	error?: string;
}

/**
 * After an import or an undo of `kind` committed: recomputes what rests on it, in its own
 * transaction (a whole prediction with terrain takes tens of seconds; the import is not held open
 * for it, and is kept whatever happens here).
 */
export async function refreshAfterImport(db: Database, kind: string, onProgress?: PredictProgress): Promise<FollowUp> {
	// New measurements may confirm proposals on air (residents' reports since they went on air).
	if (kind === 'measurements') {
		try {
			return { recomputed: (await verifyOnAir(db)).length > 0 ? ['proposals verified'] : [] };
		} catch (err) {
			return { recomputed: [], error: (err as Error).message };
		}
	}
	if (!PREDICTION_INPUT_KINDS.has(kind)) return { recomputed: [] };
	try {
		return { recomputed: (await ensurePredictedCurrent(db, onProgress)) ? ['predicted'] : [] };
	} catch (err) {
		return { recomputed: [], error: (err as Error).message };
	}
}

/** How often the app checks whether reports have left the window (the job is idempotent). */
export const RETIRE_INTERVAL_MS = 6 * 3_600_000;

/**
 * The daily job: retire reports that left the measured window and prune the change log, then
 * check the proposals on air against the reports (verification also follows every measurements
 * import). Safe with several processes (row locks).
 */
export async function runRetirement(db: Database, now = new Date()): Promise<number> {
	const retired = await inTransaction(db, async (tx) => {
		const retired = await retireOldReports(tx, now);
		await pruneChangeLog(tx);
		return retired;
	});
	await verifyOnAir(db, now);
	// Residents' contacts are kept only reports.contact_retention_days (Nghị định 13/2023/NĐ-CP).
	await purgeExpiredContacts(db, now);
	return retired;
}
