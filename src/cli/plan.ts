import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { exportSites, PLAN_EXPORT_FORMATS, type PlanExportFormat } from '../lib/planning/export';
import { parseScenarioOptions } from '../lib/planning/scenario-options';
import type { Actor } from '../lib/server/audit';
import type { Database } from '../lib/server/db/index';
import { PlanError, runScenario } from '../lib/server/plans';
import { saveScenario } from '../lib/server/scenarios';

/**
 * `npm run cli -- plan`: a scenario on the configured database, headless — for scripts and
 * reproducible reports. Writes the proposed sites (one Point per new site) to --out, in the format
 * its extension names; progress goes to stderr; --save keeps the scenario for the /plan pages.
 */

export const PLAN_USAGE =
	'plan --operator code [--communes code,code…] [--p N] [--budget B] [--site-types small-cell,macro] [--spacing KM] [--demand-for operator|all] [--shared] [--technology 4G] [--time-limit S] [--save NAME] [--lang vi|en] [--as email] --out FILE.geojson|.csv|.kml';

export const PLAN_OPTIONS: ParseArgsConfig['options'] = {
	operator: { type: 'string' },
	communes: { type: 'string' },
	p: { type: 'string' },
	budget: { type: 'string' },
	'site-types': { type: 'string' },
	spacing: { type: 'string' },
	'demand-for': { type: 'string' },
	shared: { type: 'boolean' },
	technology: { type: 'string' },
	'time-limit': { type: 'string' },
	save: { type: 'string' },
	lang: { type: 'string' },
	out: { type: 'string' },
	as: { type: 'string' }
};

const number = (v: unknown) => (v === undefined ? undefined : Number(v));
const list = (v: unknown) => (v === undefined ? undefined : String(v).split(',').map((x) => x.trim()).filter(Boolean));

export async function runPlan(db: Database, values: Record<string, unknown>, { log, actor }: { log: (line: string) => void; actor: Actor }): Promise<number> {
	const out = values.out === undefined ? '' : String(values.out);
	const format = extname(out).slice(1).toLowerCase() as PlanExportFormat;
	if (!out || !PLAN_EXPORT_FORMATS.includes(format)) {
		log(`--out: give a file ending in ${PLAN_EXPORT_FORMATS.map((f) => `.${f}`).join(', ')}${out ? `, got "${out}"` : ''}`);
		return 2;
	}
	const lang = values.lang === undefined ? 'vi' : String(values.lang);
	if (lang !== 'vi' && lang !== 'en') {
		log(`--lang: vi or en, got "${lang}"`);
		return 2;
	}
	const request = {
		name: values.save === undefined ? undefined : String(values.save),
		operator: values.operator === undefined ? '' : String(values.operator),
		communes: list(values.communes),
		p: number(values.p) ?? null,
		budget: number(values.budget) ?? null,
		siteTypes: list(values['site-types']),
		spacingKm: number(values.spacing),
		demandFor: values['demand-for'],
		shared: values.shared === true ? true : undefined,
		technology: values.technology,
		timeLimitS: number(values['time-limit'])
	};
	const parsed = parseScenarioOptions(Object.fromEntries(Object.entries(request).filter(([, v]) => v !== undefined)));
	if (!parsed.ok) {
		// Name the command-line option, not the internal field.
		const flag: Record<string, string> = { siteTypes: 'site-types', spacingKm: 'spacing', demandFor: 'demand-for', timeLimitS: 'time-limit' };
		for (const p of parsed.problems) log(`--${p.replace(/^(\w+)/, (f) => flag[f] ?? f)}`);
		return 2;
	}
	let lastStage = '';
	let result;
	try {
		result = await runScenario(db, parsed.options, (stage, done, total) => {
			if (stage !== lastStage || done === total) log(`${stage}: ${done}/${total}`);
			lastStage = stage;
		});
	} catch (err) {
		if (err instanceof PlanError) {
			log(`--${err.field === 'operator' ? 'operator' : err.field}: ${err.message.replace(/^\w+: /, '')}`);
			return 2;
		}
		throw err;
	}
	const name = parsed.options.name ?? `${parsed.options.operator} ${new Date().toISOString().slice(0, 16)}`;
	await writeFile(out, exportSites(format, result.sites, lang, name));
	log(
		`${result.sites.length} sites, ${Math.round(result.householdsNewlyCovered)} of ${Math.round(result.demandHouseholds)} unserved households newly served; gap ${(result.solver.gap * 100).toFixed(2)} %; written to ${out}`
	);
	if (parsed.options.name) log(`Saved as scenario ${await saveScenario(db, actor, parsed.options.name, parsed.options, result)} ("${parsed.options.name}").`);
	return 0;
}
