/**
 * One measured import in its own process, so its peak RSS is its own. Prints one JSON line.
 *   tsx bench/import-worker.ts <file> [postgres-url]
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../src/lib/server/db/index';
import { runImport } from '../src/lib/server/import/pipeline';
import { IMPORTED_COLUMNS } from './lib/imported-columns';

const [file, url] = process.argv.slice(2);
// The embedded database on disk, as `npm start` runs it (memory:// would hold every row in RAM).
const dataDir = url ? '' : await mkdtemp(path.join(os.tmpdir(), 'phu-song-bench-pglite-'));
const db = await openDatabase({ databaseUrl: url || undefined, dataDir, migrationsDir: path.resolve('drizzle') });
let rssPeakMb = 0;
const sample = () => (rssPeakMb = Math.max(rssPeakMb, process.memoryUsage().rss / 2 ** 20));
const rssSamples: number[] = [];
const started = performance.now();
const summary = await runImport(db, {
	kind: 'measurements',
	filePath: file,
	options: { mapping: {}, decimalComma: false, mcc: 452, boundarySet: '2025' },
	skipInvalid: false,
	actor: { accountId: null, label: 'bench' },
	onProgress: () => rssSamples.push(sample())
});
const ms = performance.now() - started;
sample();
if (url && process.env.BENCH_EXPORT_ROWS) {
	// The rows exactly as they landed, for the baseline of COPY into the same indexed table.
	const columns = IMPORTED_COLUMNS.join(', ');
	execFileSync('psql', [url, '-q', '-c', `\\copy (select ${columns} from signal_reports where import_id = ${summary.importId}) to '${process.env.BENCH_EXPORT_ROWS}' with (format csv)`]);
}
if (url) {
	// Leave the server database as found.
	const { undoImport } = await import('../src/lib/server/import/history');
	await undoImport(db, summary.importId, { accountId: null, label: 'bench' });
}
await db.close();
if (dataDir) await rm(dataDir, { recursive: true, force: true });
const third = Math.floor(rssSamples.length / 3);
console.log(
	JSON.stringify({
		status: summary.status,
		rows: summary.inserted,
		ms,
		rssPeakMb: Math.max(rssPeakMb, process.resourceUsage().maxRSS / 1024),
		// RSS over the first and last third of the run: flat means memory does not grow with rows.
		rssEarlyMb: rssSamples.length ? Math.max(...rssSamples.slice(0, third || 1)) : 0,
		rssLateMb: rssSamples.length ? Math.max(...rssSamples.slice(-third || -1)) : 0
	})
);
