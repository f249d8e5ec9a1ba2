import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { parseModel, pathLoss, UnknownModelError } from '../lib/propagation/models';
import type { PathInputs } from '../lib/propagation/validity';

/**
 * `pathloss`: one path loss, or a CSV of them, computed without a database. Only the result goes to
 * stdout (a bare number with two decimals, or the CSV), so scripts can read it; warnings and
 * errors go to stderr.
 */

export const PATHLOSS_USAGE = 'pathloss --model fspl|hata|cost231 [--env E] --freq MHz --hb m --hm m --dist-km km | pathloss --batch FILE.csv';
export const PATHLOSS_OPTIONS = {
	model: { type: 'string' },
	env: { type: 'string' },
	freq: { type: 'string' },
	hb: { type: 'string' },
	hm: { type: 'string' },
	'dist-km': { type: 'string' },
	batch: { type: 'string' }
} as const;

/** The batch file's columns, in this order. */
const BATCH_COLUMNS = ['model', 'env', 'freq', 'hb', 'hm', 'distKm'] as const;

/** A bad input, naming where it is. */
class PathlossInputError extends Error {}

function number(text: string | undefined, name: string): number {
	const value = text === undefined || text.trim() === '' ? NaN : Number(text);
	if (!Number.isFinite(value)) throw new PathlossInputError(`${name} must be a number, got ${text === undefined ? '(nothing)' : `"${text}"`}`);
	return value;
}

/** One computation from its textual inputs; throws PathlossInputError or UnknownModelError naming the field. */
function compute(fields: { model?: string; env?: string; freq?: string; hb?: string; hm?: string; distKm?: string }, names: Record<keyof typeof fields, string>) {
	const { model, environment } = parseModel(fields.model ?? '', fields.env);
	const inputs: PathInputs = {
		freqMhz: number(fields.freq, names.freq),
		baseHeightM: model === 'fspl' && !fields.hb ? 30 : number(fields.hb, names.hb),
		mobileHeightM: model === 'fspl' && !fields.hm ? 1.5 : number(fields.hm, names.hm),
		distanceKm: number(fields.distKm, names.distKm)
	};
	try {
		return pathLoss(model, environment, inputs);
	} catch (err) {
		if (err instanceof RangeError) throw new PathlossInputError(err.message);
		throw err;
	}
}

export async function runPathloss(values: Record<string, string | boolean | string[] | undefined>, out: (line: string) => void, err: (line: string) => void): Promise<number> {
	const text = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
	try {
		const batch = text('batch');
		if (batch !== undefined) return await runBatch(batch, out, err);
		if (!text('model')) throw new PathlossInputError(`--model is required (fspl, hata or cost231)\nUsage: npm run -s cli -- ${PATHLOSS_USAGE}`);
		const result = compute(
			{ model: text('model'), env: text('env'), freq: text('freq'), hb: text('hb'), hm: text('hm'), distKm: text('dist-km') },
			{ model: '--model', env: '--env', freq: '--freq', hb: '--hb', hm: '--hm', distKm: '--dist-km' }
		);
		for (const w of result.warnings) err(`warning: ${w.message}`);
		out(result.lossDb.toFixed(2));
		return 0;
	} catch (e) {
		if (e instanceof PathlossInputError || e instanceof UnknownModelError) {
			err(e.message);
			return 2;
		}
		throw e;
	}
}

async function runBatch(file: string, out: (line: string) => void, err: (line: string) => void): Promise<number> {
	let rows: string[][];
	try {
		rows = parse(await readFile(file, 'utf8'), { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true });
	} catch (e) {
		throw new PathlossInputError(`${file}: ${(e as Error).message}`);
	}
	const [header, ...body] = rows;
	const missing = BATCH_COLUMNS.filter((c) => !header?.includes(c));
	if (!header || missing.length > 0) throw new PathlossInputError(`${file}: the header must name ${BATCH_COLUMNS.join(',')}; missing ${missing.join(', ')}`);
	const index = Object.fromEntries(BATCH_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<(typeof BATCH_COLUMNS)[number], number>;
	// Every row is checked before anything is printed: one bad row refuses the file, naming each.
	const results: number[] = [];
	const problems: string[] = [];
	const warnings: string[] = [];
	body.forEach((row, i) => {
		const line = i + 2;
		const field = (c: (typeof BATCH_COLUMNS)[number]) => row[index[c]];
		const names = Object.fromEntries(BATCH_COLUMNS.map((c) => [c, `row ${line}, ${c}`])) as Record<(typeof BATCH_COLUMNS)[number], string>;
		try {
			const r = compute({ model: field('model'), env: field('env'), freq: field('freq'), hb: field('hb'), hm: field('hm'), distKm: field('distKm') }, names);
			results.push(r.lossDb);
			for (const w of r.warnings) warnings.push(`warning: row ${line}: ${w.message}`);
		} catch (e) {
			if (e instanceof PathlossInputError || e instanceof UnknownModelError) problems.push(e.message.startsWith('row ') ? e.message : `row ${line}: ${e.message}`);
			else throw e;
		}
	});
	if (problems.length > 0) {
		for (const p of problems) err(p);
		err(`${file}: ${problems.length} of ${body.length} rows refused; nothing printed`);
		return 2;
	}
	for (const w of warnings) err(w);
	out([...header, 'lossDb'].join(','));
	body.forEach((row, i) => out([...row, String(results[i])].join(',')));
	return 0;
}
