/**
 * Phủ Sóng command line: `npm run cli -- <command> [options]`. Uses the same configuration as
 * the app (DATABASE_URL, PHU_SONG_DATA_DIR), read from process.env by one config module.
 */
import os from 'node:os';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ROLES, type Role } from '../lib/auth/roles';
import { AccountError, createAccount } from '../lib/server/accounts';
import { cliActor, recordAudit, type Actor } from '../lib/server/audit';
import { DEMO_PROVINCES } from '../lib/demo/provinces';
import { readConfig } from '../lib/server/config';
import { inTransaction, openDatabase, type Database } from '../lib/server/db/index';
import { rebuildMeasured, ancestorsOfProvince } from '../lib/server/measured';
import { updateDeclaredGrid } from '../lib/server/declared';
import { predictCoverage } from '../lib/server/predicted';
import { calibrationReport } from '../lib/server/calibration';
import { TECHNOLOGIES, type Technology } from '../lib/signal/classes';
import { changeSetting, runRetirement } from '../lib/server/analysis';
import { DEFAULT_TIMEOUTS } from '../lib/server/db/server-pool';
import { seedDemoProvince } from '../lib/server/demo-seed';
import { compactDatabase, databaseSizeBytes } from '../lib/server/db/maintenance';
import { checkHealth } from '../lib/server/health';
import { findSetting } from '../lib/settings/definitions';
import { listSettings, SettingError } from '../lib/server/settings';
import { resetReportLimits } from '../lib/server/intake';
import { purgeExpiredContacts } from '../lib/server/resident-reports';

import { IMPORT_COMMANDS } from './import-commands';
import { PATHLOSS_OPTIONS, PATHLOSS_USAGE, runPathloss } from './pathloss';
import { readSecret } from './secret';
import { PLAN_OPTIONS, PLAN_USAGE, runPlan } from './plan';
import { runSolveMclp, SOLVE_MCLP_OPTIONS, SOLVE_MCLP_USAGE } from './solve-mclp';

export interface Command {
	summary: string;
	usage: string;
	options?: ParseArgsConfig['options'];
	/** Commands that need no database run here instead (nothing is opened). */
	offline?: (values: Record<string, string | boolean | string[] | undefined>, context: CliContext & { positionals: string[] }) => Promise<number>;
	run(
		db: Database,
		values: Record<string, string | boolean | string[] | undefined>,
		context: CliContext & { actor: Actor; positionals: string[] }
	): Promise<number>;
}

const AS_OPTION = { as: { type: 'string' as const } };

const commands: Record<string, Command> = {
	migrate: {
		summary: 'apply database migrations (also done by every other command and at app start)',
		usage: 'migrate',
		async run(db, _values, { log }) {
			log(`Database (${db.kind}) is migrated.`);
			return 0;
		}
	},
	seed: {
		summary: 'load a demo province: real 2025 commune boundaries, synthetic towers, reports, households and fiber',
		usage: `seed --province ${Object.keys(DEMO_PROVINCES).sort().join('|')} [--as email]`,
		options: { province: { type: 'string', short: 'p' }, ...AS_OPTION },
		async run(db, values, { log, actor }) {
			const province = String(values.province ?? '');
			if (!DEMO_PROVINCES[province]) {
				log(`--province must be one of ${Object.entries(DEMO_PROVINCES).sort().map(([c, p]) => `${c} (${p.provinceName})`).join(', ')}`);
				return 2;
			}
			const started = Date.now();
			const info = await seedDemoProvince(db, province, { dataRoot: readConfig().dataRoot, log });
			if (!info) {
				log(`${DEMO_PROVINCES[province].provinceName} is already seeded in this database; nothing added.`);
				return 0;
			}
			await recordAudit(db, actor, 'demo.seed', province, { counts: info.counts, seed: info.seed });
			log(`Seeded ${info.provinceName} into ${db.kind} in ${((Date.now() - started) / 1000).toFixed(1)} s. Towers, reports, households and fiber are SYNTHETIC.`);
			return 0;
		}
	},
	health: {
		summary: 'print the database kind, PostGIS version and layer counts as JSON',
		usage: 'health',
		async run(db, _values, { log }) {
			log(JSON.stringify(await checkHealth(db), null, 2));
			return 0;
		}
	},
	...IMPORT_COMMANDS,
	pathloss: {
		summary: 'path loss in dB of a propagation model (free space, Okumura-Hata, COST-231 Hata); --batch reads a CSV of model,env,freq,hb,hm,distKm. No database; only the result on stdout (use npm run -s)',
		usage: PATHLOSS_USAGE,
		options: PATHLOSS_OPTIONS,
		offline: (values, { log, warn }) => runPathloss(values, log, warn),
		run: async () => 2
	},
	'solve-mclp': {
		summary: 'site planning: choose new sites to cover the most demand (maximal covering) with a proven upper bound; the instance is JSON (README). No database; only the JSON answer on stdout (use npm run -s)',
		usage: SOLVE_MCLP_USAGE,
		options: SOLVE_MCLP_OPTIONS,
		offline: (values, { log, warn, positionals }) => runSolveMclp(values, positionals, log, warn),
		run: async () => 2
	},
	plan: {
		summary: 'plan new sites for an operator on the configured database (demand from the fused layers, candidates, prediction, solver) and write them as GeoJSON, CSV or KML; --save keeps the scenario',
		usage: PLAN_USAGE,
		options: PLAN_OPTIONS,
		run: (db, values, { log, actor }) => runPlan(db, values, { log, actor })
	},
	'settings list': {
		summary: 'list every analysis setting: key, value in force, default, unit and source',
		usage: 'settings list',
		async run(db, _values, { log }) {
			for (const row of await listSettings(db)) {
				const d = findSetting(row.key)!;
				log(`${row.key.padEnd(32)} ${String(row.value).padStart(7)} ${d.unit.padEnd(9)} ${row.isDefault ? '(default)' : `(default ${d.default}; set by ${row.updatedBy})`}  ${d.en}`);
			}
			return 0;
		}
	},
	'settings set': {
		summary: 'change a setting (validated against its bounds and the other settings), recorded in the audit log',
		usage: 'settings set KEY VALUE [--as email]',
		options: { ...AS_OPTION },
		async run(db, _values, { log, actor, positionals }) {
			const [key, value] = positionals;
			if (!key || value === undefined || positionals.length !== 2) {
				log('Usage: npm run cli -- settings set KEY VALUE (see: settings list)');
				return 2;
			}
			try {
				log(`${key} = ${await changeSetting(db, actor, key, value)}`);
				return 0;
			} catch (err) {
				if (err instanceof SettingError) {
					log(err.message);
					return 2;
				}
				throw err;
			}
		}
	},
	'coverage rebuild': {
		summary: 'recompute the measured coverage layer from every report in the window and the declared maps on the grid (equals the incremental state; the fused layer reads both); --province recomputes only the measured keys within the resolution-6 cells of its communes (and only their partitions)',
		usage: 'coverage rebuild [--province code]',
		options: { province: { type: 'string' } },
		async run(db, values, { log }) {
			const started = Date.now();
			if (values.province !== undefined) {
				const province = String(values.province);
				const ancestors = await ancestorsOfProvince(db, province);
				if (ancestors.length === 0) {
					log(`No communes with province code "${province}": nothing to recompute.`);
					return 2;
				}
				await inTransaction(db, (tx) => rebuildMeasured(tx, { ancestors }));
				log(`Measured coverage of province ${province} (${ancestors.length} resolution-6 cells) rebuilt in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
				return 0;
			}
			await inTransaction(db, async (tx) => {
				await rebuildMeasured(tx);
				await updateDeclaredGrid(tx, { all: true });
			});
			log(`Measured coverage and declared grid rebuilt in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
			return 0;
		}
	},
	'coverage predict': {
		summary: 'predict every operator × technology from the towers (Hata / COST-231, terrain from the DEM when one is loaded), best server per res-9 cell; shows progress',
		usage: 'coverage predict [--operator code] [--technology 2G|3G|4G|5G]',
		options: { operator: { type: 'string' }, technology: { type: 'string' } },
		async run(db, values, { log, warn }) {
			const technology = values.technology === undefined ? undefined : String(values.technology).toUpperCase();
			if (technology !== undefined && !(TECHNOLOGIES as readonly string[]).includes(technology)) {
				log(`--technology must be one of ${TECHNOLOGIES.join(', ')}, got "${values.technology}"`);
				return 2;
			}
			const operator = values.operator === undefined ? undefined : String(values.operator).toLowerCase();
			const started = Date.now();
			const result = await inTransaction(db, (tx) =>
				predictCoverage(tx, { operator, technology: technology as Technology | undefined, onProgress: progressBar(warn) })
			);
			if (result.groups.length === 0) {
				log(`No towers${operator ? ` of ${operator}` : ''}${technology ? ` with ${technology}` : ''}: nothing predicted.`);
				return 0;
			}
			for (const g of result.groups) log(`  ${g.operator} ${g.technology}: ${g.sites} sites, ${g.cells} cells`);
			log(`Predicted in ${((Date.now() - started) / 1000).toFixed(1)} s, ${result.terrain ? 'with terrain from the DEM' : 'on flat ground (no DEM loaded)'}.`);
			return 0;
		}
	},
	'coverage calibration': {
		summary: 'print how the predictions are calibrated against confident measured cells: correction and error before/after on the held-back 20 % per operator × technology × settlement',
		usage: 'coverage calibration',
		async run(db, _values, { log }) {
			const rows = await calibrationReport(db);
			if (rows.length === 0) {
				log('No calibration yet: it is fitted at each full `coverage predict` from measured cells with enough confidence.');
				return 0;
			}
			const f = (x: number) => x.toFixed(1).padStart(6);
			log('operator   tech  settlement  fitted  held  offset dB  slope dB/dec   before mean/RMSE   after mean/RMSE');
			for (const r of rows) {
				log(`${r.operator.padEnd(10)} ${r.technology.padEnd(5)} ${r.settlement.padEnd(10)} ${String(r.fitted).padStart(7)} ${String(r.heldBack).padStart(5)}  ${f(r.offsetDb)}     ${f(r.slopeDbPerDecade)}       ${f(r.before.meanDb)} / ${f(r.before.rmseDb)}    ${f(r.after.meanDb)} / ${f(r.after.rmseDb)}`);
			}
			log(`Mean error is predicted − measured (positive: too optimistic). Practitioners accept an RMSE under about 7 dB. Fitted ${rows[0].calibratedAt}.`);
			return 0;
		}
	},
	'coverage retire': {
		summary: 'retire reports older than measured.window_days from the measured layer (the daily job)',
		usage: 'coverage retire',
		async run(db, _values, { log }) {
			const retired = await runRetirement(db);
			log(`Retired ${retired} reports older than the window from the measured layer.`);
			return 0;
		}
	},
	'reports purge-contacts': {
		summary: 'delete residents’ contacts older than reports.contact_retention_days (the daily job does it too)',
		usage: 'reports purge-contacts',
		async run(db, _values, { log }) {
			const deleted = await purgeExpiredContacts(db);
			log(`Deleted ${deleted} contact${deleted === 1 ? '' : 's'} older than the retention period.`);
			return 0;
		}
	},
	'reports reset-limits': {
		summary: 'forget every report rate-limit counter (after a false alarm, or in tests)',
		usage: 'reports reset-limits',
		async run(db, _values, { log }) {
			await resetReportLimits(db);
			log('Report rate limits reset.');
			return 0;
		}
	},
	'db compact': {
		summary: 'give back the room of deleted and aborted rows (VACUUM FULL, then a checkpoint); tables are locked while it runs',
		usage: 'db compact',
		async run(db, _values, { log }) {
			const before = await databaseSizeBytes(db);
			const started = Date.now();
			await compactDatabase(db);
			const after = await databaseSizeBytes(db);
			const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;
			log(`Compacted the ${db.kind} database in ${((Date.now() - started) / 1000).toFixed(1)} s: ${mb(before)} → ${mb(after)}.`);
			return 0;
		}
	},
	'user create': {
		summary: 'create an account; the password is read from standard input or a no-echo prompt, never from arguments',
		usage: `user create --email e --role ${ROLES.join('|')} [--name n] [--operator code] [--commune code] [--as email]`,
		options: { email: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, operator: { type: 'string' }, commune: { type: 'string' }, ...AS_OPTION },
		async run(db, values, { log, actor, readPassword }) {
			const email = String(values.email ?? '');
			const role = String(values.role ?? '') as Role;
			if (!email || !ROLES.includes(role)) {
				log(`--email and --role (${ROLES.join(', ')}) are required`);
				return 2;
			}
			const password = await readPassword(`Password for ${email}: `);
			try {
				await createAccount(db, actor, {
					email,
					role,
					displayName: String(values.name ?? email.split('@')[0]),
					operatorCode: values.operator ? String(values.operator) : null,
					communeCode: values.commune ? String(values.commune) : null,
					password
				});
			} catch (err) {
				if (err instanceof AccountError) {
					log(err.message);
					return 2;
				}
				throw err;
			}
			log(`Created ${role} account ${email.toLowerCase()}.`);
			return 0;
		}
	}
};

/** A progress bar on stderr: redrawn in place on a terminal, one line per step otherwise. */
function progressBar(warn: (line: string) => void): (done: number, total: number, what: string) => void {
	const tty = process.stderr.isTTY;
	return (done, total, what) => {
		const width = 24;
		const filled = Math.round((done / Math.max(1, total)) * width);
		const line = `[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total} ${what}`;
		if (tty) process.stderr.write(`\r${line.padEnd(72)}${done === total ? '\n' : ''}`);
		else warn(line);
	};
}

function printHelp(log: (line: string) => void): void {
	log('Phủ Sóng CLI — usage: npm run cli -- <command> [options]\n');
	for (const c of Object.values(commands)) log(`  ${c.usage}\n      ${c.summary}`);
	log('\nDatabase: DATABASE_URL=postgres://… for a PostGIS server, else the embedded database in PHU_SONG_DATA_DIR (default data/db).');
}

export interface CliContext {
	log: (line: string) => void;
	/** Opens the database a command works on; tests pass their own. */
	open: () => Promise<Database>;
	/** Reads a password without echo (or from piped standard input). */
	readPassword: (prompt: string) => Promise<string>;
	/** Warnings and errors of commands whose stdout is their result (stderr). */
	warn: (line: string) => void;
}

// Long commands (imports, rebuilds) may run statements for minutes: no statement timeout here,
// but the connection timeout still keeps a silent server from hanging the CLI.
const defaultContext: CliContext = {
	log: console.log,
	warn: console.error,
	open: () => openDatabase(readConfig(), { timeouts: { ...DEFAULT_TIMEOUTS, statementMs: 0 } }),
	readPassword: readSecret
};

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: string[], context: CliContext = defaultContext): Promise<number> {
	const { log, open } = context;
	// Two-word commands ("user create") are looked up before one-word ones.
	const twoWords = argv.length >= 2 && commands[`${argv[0]} ${argv[1]}`] ? 2 : 1;
	const name = argv.slice(0, twoWords).join(' ');
	const rest = argv.slice(twoWords);
	if (!name || name === '--help' || name === '-h' || name === 'help') {
		printHelp(log);
		return name ? 0 : 2;
	}
	const command = commands[name];
	if (!command) {
		log(`Unknown command "${name}".`);
		printHelp(log);
		return 2;
	}
	let values: Record<string, string | boolean | string[] | undefined>;
	let positionals: string[];
	try {
		// A negative value ("settings set signal.rsrp.fair_dbm -100") is not an option: parseArgs
		// (Node 20) has no allowNegative, so it is passed as U+2212 minus, which the setting parser reads.
		const args = name === 'settings set' ? rest.map((a) => (/^-\d/.test(a) ? `\u2212${a.slice(1)}` : a)) : rest;
		const parsed = parseArgs({ args, options: { help: { type: 'boolean', short: 'h' }, ...command.options }, strict: true, allowPositionals: true });
		values = parsed.values as Record<string, string | boolean | string[] | undefined>;
		positionals = parsed.positionals;
	} catch (err) {
		log(`${(err as Error).message}\nUsage: npm run cli -- ${command.usage}`);
		return 2;
	}
	if (values.help) {
		log(`Usage: npm run cli -- ${command.usage}\n${command.summary}`);
		return 0;
	}
	if (command.offline) return command.offline(values, { ...context, positionals });
	const db = await open();
	try {
		const actor = cliActor(typeof values.as === 'string' ? values.as : undefined, os.userInfo().username);
		return await command.run(db, values, { ...context, actor, positionals });
	} finally {
		await db.close();
	}
}

const invokedDirectly = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop()!);
if (invokedDirectly) {
	runCli(process.argv.slice(2)).then(
		(code) => process.exit(code),
		(err) => {
			console.error(err instanceof Error ? err.message : err);
			// A held data folder (3) or an unreachable server (4) has its own exit code for scripts.
			process.exit(typeof err?.exitCode === 'number' ? err.exitCode : 1);
		}
	);
}
