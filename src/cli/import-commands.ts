import path from 'node:path';
import { TEXT_ENCODINGS, type TextEncoding } from '../lib/import/encoding';
import { describeIssue } from '../lib/import/issues';
import { ADMIN_LEVELS, type AdminLevel } from '../lib/import/boundaries';
import { ALL_IMPORT_KINDS, runAnyImport, type AnyImportKind } from '../lib/server/import/any';
import { describeFollowUp, describeSummary } from '../lib/server/import/pipeline';
import { importIssues, listImports, undoImport } from '../lib/server/import/history';
import { IMPORT_KINDS } from '../lib/server/import/kinds';
import type { Command } from './main';

/** Parses repeated `--map field=column` options. */
function parseMapping(values: string[] | undefined): Record<string, string> | string {
	const mapping: Record<string, string> = {};
	for (const item of values ?? []) {
		const eq = item.indexOf('=');
		if (eq <= 0) return `--map must be field=column, got "${item}"`;
		mapping[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
	}
	return mapping;
}

/** A 30-character bar of `share` (0…1) with its percentage and what is counted. */
function progressBar(share: number, label: string): string {
	const filled = Math.round(Math.min(1, share) * 30);
	return `[${'#'.repeat(filled)}${'.'.repeat(30 - filled)}] ${(Math.min(1, share) * 100).toFixed(0).padStart(3)}% ${label}`;
}

export const IMPORT_COMMANDS: Record<string, Command> = {
	import: {
		summary: `import a CSV file of ${IMPORT_KINDS.join(', ')}, a feature file (GeoJSON, TopoJSON, KML/KMZ, zipped shapefile) or a raster (GeoTIFF, .hgt), in one transaction (all rows or none; --skip-invalid quarantines bad rows)`,
		usage: `import ${ALL_IMPORT_KINDS.join('|')} <file> [--map field=column …] [--skip-invalid] [--decimal-comma] [--mcc 452] [--set 2025|pre2025] [--level province|district|commune] [--operator name] [--technology 4G] [--type school] [--srid 3405] [--encoding windows-1258] [--as email]`,
		options: {
			map: { type: 'string', multiple: true },
			'skip-invalid': { type: 'boolean' },
			'decimal-comma': { type: 'boolean' },
			mcc: { type: 'string' },
			set: { type: 'string' },
			level: { type: 'string' },
			operator: { type: 'string' },
			technology: { type: 'string' },
			type: { type: 'string' },
			srid: { type: 'string' },
			encoding: { type: 'string' },
			as: { type: 'string' }
		},
		async run(db, values, { log, actor, positionals }) {
			const [kind, file] = positionals;
			if (!(ALL_IMPORT_KINDS as readonly string[]).includes(kind) || !file) {
				log(`Usage: npm run cli -- ${this.usage}`);
				return 2;
			}
			const mapping = parseMapping(values.map as string[] | undefined);
			if (typeof mapping === 'string') {
				log(mapping);
				return 2;
			}
			const set = String(values.set ?? '2025');
			if (set !== '2025' && set !== 'pre2025') {
				log(`--set must be 2025 or pre2025, got "${set}"`);
				return 2;
			}
			const filePath = path.resolve(file);
			const skipInvalid = Boolean(values['skip-invalid']);
			const level = values.level as AdminLevel | undefined;
			if (level !== undefined && !ADMIN_LEVELS.includes(level)) {
				log(`--level must be one of ${ADMIN_LEVELS.join(', ')}, got "${level}"`);
				return 2;
			}
			const srid = values.srid === undefined ? undefined : Number(values.srid);
			if (srid !== undefined && !Number.isInteger(srid)) {
				log(`--srid must be an EPSG code such as 4326 or 3405, got "${values.srid}"`);
				return 2;
			}
			const encoding = values.encoding as TextEncoding | undefined;
			if (encoding !== undefined && !TEXT_ENCODINGS.includes(encoding)) {
				log(`--encoding must be one of ${TEXT_ENCODINGS.join(', ')}, got "${encoding}"`);
				return 2;
			}
			const interactive = process.stderr.isTTY;
			const summary = await runAnyImport(db, kind as AnyImportKind, {
				filePath,
				actor,
				options: {
					mapping,
					skipInvalid,
					decimalComma: Boolean(values['decimal-comma']),
					encoding,
					mcc: Number(values.mcc ?? 452),
					// Without --set boundaries guess it from the file (districts only exist before 2025).
					boundarySet: values.set === undefined ? undefined : set,
					level,
					operator: values.operator as string | undefined,
					technology: values.technology as string | undefined,
					type: values.type as string | undefined,
					srid
				},
				onProgress: ({ rowsRead, bytesRead, sizeBytes, recomputing }) => {
					if (!interactive) return;
					if (recomputing) process.stderr.write(`\r${progressBar(recomputing.total > 0 ? recomputing.done / recomputing.total : 1, `predicting: ${recomputing.done}/${recomputing.total} sites`)}   `);
					else process.stderr.write(`\r${progressBar(sizeBytes > 0 ? bytesRead / sizeBytes : 0, `${rowsRead.toLocaleString('en')} rows`)}`);
				}
			});
			if (interactive) process.stderr.write('\n');
			for (const line of describeSummary(summary)) log(line);
			return summary.status === 'committed' ? 0 : 1;
		}
	},
	'import list': {
		summary: 'list past imports, newest first',
		usage: 'import list',
		async run(db, _values, { log }) {
			const rows = await listImports(db);
			if (rows.length === 0) log('No imports yet.');
			for (const r of rows) {
				log(
					`#${r.id} ${r.status.padEnd(9)} ${r.kind.padEnd(12)} ${r.fileName} — ${r.rowsRead} rows, +${r.rowsInserted} new, ${r.rowsUpdated} updated, ${r.rowsDuplicate} present, ${r.rowsQuarantined} invalid — ${r.actorLabel}, ${r.startedAt}`
				);
			}
			return 0;
		}
	},
	'import show': {
		summary: "print an import's refused rows and their reasons",
		usage: 'import show <id>',
		async run(db, _values, { log, positionals }) {
			const id = Number(positionals[0]);
			if (!Number.isInteger(id)) {
				log('Usage: npm run cli -- import show <id>');
				return 2;
			}
			const issues = await importIssues(db, id);
			if (issues.length === 0) log(`Import #${id} has no recorded issues.`);
			for (const issue of issues) log(describeIssue(issue));
			return 0;
		}
	},
	'import undo': {
		summary: 'remove exactly the rows an import added and restore what it overwrote',
		usage: 'import undo <id> [--as email]',
		options: { as: { type: 'string' } },
		async run(db, _values, { log, actor, positionals }) {
			const id = Number(positionals[0]);
			if (!Number.isInteger(id)) {
				log('Usage: npm run cli -- import undo <id>');
				return 2;
			}
			try {
				const { removed, restored, followUp } = await undoImport(db, id, actor);
				log(`Undid import #${id}: removed ${removed} rows, restored ${restored}.`);
				for (const line of describeFollowUp(followUp)) log(line.trim());
				return 0;
			} catch (err) {
				if (err instanceof RangeError) {
					log(err.message);
					return 2;
				}
				throw err;
			}
		}
	}
};
