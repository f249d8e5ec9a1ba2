/**
 * bench/import — streaming CSV import of synthetic measurements, on the embedded database and on
 * a PostGIS server, beside PostgreSQL's own COPY (psql \copy) of the same file in the same run.
 *
 *   npm run bench:import -- [--scale N] [--database-url postgres://…]
 *
 * --scale 1 is 1,000,000 rows (the figure we track); 0.1 is 100,000 for a quick look.
 * The tracked figure is rows/s of our import ÷ rows/s of COPY (goal ≥ 0.5). Two COPY baselines:
 * the raw CSV into a bare table, and the rows as we store them into a table with signal_reports'
 * indexes and constraints (the part of the gap that index maintenance, not our code, costs).
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { IMPORTED_COLUMNS } from './lib/imported-columns';
import { printTable } from './lib/stats';
import { writeMeasurementsCsv as writeCsv } from '../tests/helpers/measurements-csv';

const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' }, 'database-url': { type: 'string' } } });
const rows = Math.round(1_000_000 * Number(values.scale));
const databaseUrl = values['database-url'] ?? process.env.TEST_DATABASE_URL;

function runWorker(file: string, url?: string, exportRowsTo?: string) {
	const env = { ...process.env, ...(exportRowsTo ? { BENCH_EXPORT_ROWS: exportRowsTo } : {}) };
	const output = execFileSync(process.execPath, ['--import', 'tsx', 'bench/import-worker.ts', file, ...(url ? [url] : [])], { encoding: 'utf8', maxBuffer: 1 << 20, env });
	return JSON.parse(output.trim().split('\n').at(-1)!) as { status: string; rows: number; ms: number; rssPeakMb: number; rssEarlyMb: number; rssLateMb: number };
}

const psql = (url: string, sqlText: string) => execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q', '-c', sqlText], { encoding: 'utf8' });

/** COPY of the CSV as it is into a table without indexes: the raw speed of the server. */
function copyBaseline(file: string, url: string): number {
	psql(url, 'drop table if exists bench_copy; create table bench_copy (observed_at timestamptz, lat float8, lon float8, operator text, technology text, rsrp real, rsrq real, sinr real, dl_mbps real, ul_mbps real)');
	const started = performance.now();
	psql(url, `\\copy bench_copy from '${file}' with (format csv, header true)`);
	const ms = performance.now() - started;
	psql(url, 'drop table bench_copy');
	return ms;
}

/**
 * COPY of the same rows as our import wrote them (cell, key, point) into a copy of
 * signal_reports with its indexes, checks and operator foreign key: what PostgreSQL itself
 * needs to land these rows where they must go.
 */
function indexedCopyBaseline(exportedRows: string, url: string): number {
	psql(url, `drop table if exists bench_copy_indexed; create table bench_copy_indexed (like signal_reports including all);
		alter table bench_copy_indexed add foreign key (operator_code) references operators (code)`);
	const started = performance.now();
	psql(url, `\\copy bench_copy_indexed (${IMPORTED_COLUMNS.join(', ')}) from '${exportedRows}' with (format csv)`);
	const ms = performance.now() - started;
	psql(url, 'drop table bench_copy_indexed');
	return ms;
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'phu-song-bench-import-'));
try {
	const file = path.join(dir, 'measurements.csv');
	await writeCsv(file, rows);
	const sizeMb = (await stat(file)).size / 2 ** 20;
	console.log(`Generated ${rows.toLocaleString('en')} rows (${sizeMb.toFixed(0)} MB).`);
	const columns: { name: string; cells: string[] }[] = [];
	const copyMs = databaseUrl ? copyBaseline(file, databaseUrl) : undefined;
	const exportedRows = path.join(dir, 'imported-rows.csv');
	const server = databaseUrl ? runWorker(file, databaseUrl, exportedRows) : undefined;
	const indexedCopyMs = databaseUrl ? indexedCopyBaseline(exportedRows, databaseUrl) : undefined;
	const rate = (ms?: number) => (ms ? (rows / ms) * 1000 : undefined);
	const fmt = (r: ReturnType<typeof runWorker>) => {
		const perS = (r.rows / r.ms) * 1000;
		const copyRate = rate(copyMs);
		const indexedRate = rate(indexedCopyMs);
		return [
			r.status,
			r.rows.toLocaleString('en'),
			(r.ms / 1000).toFixed(1),
			perS.toFixed(0),
			r.rssPeakMb.toFixed(0),
			`${r.rssEarlyMb.toFixed(0)} → ${r.rssLateMb.toFixed(0)}`,
			copyRate ? copyRate.toFixed(0) : '—',
			copyRate ? (perS / copyRate).toFixed(2) : '—',
			indexedRate ? indexedRate.toFixed(0) : '—',
			indexedRate ? (perS / indexedRate).toFixed(2) : '—'
		];
	};
	if (server) columns.push({ name: 'PostGIS server', cells: fmt(server) });
	else console.log('No PostGIS server given (--database-url or TEST_DATABASE_URL): no PostGIS column and no COPY baseline.');
	columns.push({ name: 'embedded PGlite', cells: fmt(runWorker(file)) });
	const labels = ['status', 'rows imported', 'seconds', 'rows/s', 'peak RSS (MB)', 'RSS first → last third (MB)', 'baseline: psql \\copy, bare table, rows/s',
		'ratio to bare COPY (goal ≥ 0.5)',
		'baseline: psql \\copy into signal_reports as indexed, rows/s',
		'ratio to indexed COPY'
	];
	printTable(
		`bench/import — ${rows.toLocaleString('en')} measurement rows, ${os.cpus().length} cores, Node ${process.version}`,
		columns.map((c) => c.name),
		labels.map((label, i) => [label, columns.map((c) => c.cells[i])])
	);
} finally {
	await rm(dir, { recursive: true, force: true });
}
