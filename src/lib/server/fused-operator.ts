import { cellToChildren, cellToParent } from 'h3-js';
import { declaredCoveredAt } from '../coverage/declared-grid';
import { fuseCell, fusionRulesFromSettings, hourSpanOfMask, type FusionInputs, type FusionRules, type MeasuredEvidence, type PredictedEvidence } from '../coverage/fusion';
import { ANY, confidenceOf } from '../coverage/measured';
import type { Settings } from '../settings/definitions';
import { cachedPredictedCells, storedCells, type StoredCell } from './coverage-cells';
import type { Database } from './db/index';
import { readDeclaredGrids, type DeclaredGrids } from './declared';
import type { FusedOptions, FusedRow, FusedVersion } from './fused';
import type { PredictedCell } from './predicted';
import { readSettings } from './settings';

/**
 * One operator's fused layer (src/lib/server/fused.ts keeps and patches it; any operator is the
 * best of these): the measured, predicted and declared layers of one resolution, operator and
 * technology fused cell by cell by the rules of src/lib/coverage/fusion.ts — every cell, or some.
 */

const byCellId = (a: { h3: string }, b: { h3: string }) => (a.h3 < b.h3 ? -1 : a.h3 > b.h3 ? 1 : 0);

export interface DeclaredCover {
	published: boolean;
	covered: Set<string>;
	shares: Map<string, number>;
}

const declaredCovers = new WeakMap<DeclaredGrids, Map<string, DeclaredCover>>();

/** The operator's declared cover at `res` for a technology ('*': any of its technologies), kept with the grids it comes from. */
export function declaredAt(grids: DeclaredGrids, operator: string, technology: string, res: number, minShare: number): DeclaredCover {
	let byKey = declaredCovers.get(grids);
	if (!byKey) declaredCovers.set(grids, (byKey = new Map()));
	const key = `${operator}|${technology}|${res}|${minShare}`;
	const known = byKey.get(key);
	if (known) return known;
	const cover: DeclaredCover = { published: false, covered: new Set(), shares: new Map() };
	for (const [pair, cells] of grids) {
		const [op, tech] = pair.split('|');
		if (op !== operator || (technology !== ANY && tech !== technology)) continue;
		cover.published = true;
		for (const c of declaredCoveredAt(cells, res, minShare)) cover.covered.add(c);
		if (res === 9) for (const [c, share] of cells) if (share > (cover.shares.get(c) ?? 0)) cover.shares.set(c, share);
	}
	byKey.set(key, cover);
	return cover;
}

/** What fusing one operator's cells reads: the three layers (measured for some cells or all) and the rules. */
interface OperatorInputs {
	settings: Settings;
	rules: FusionRules;
	measuredBy: Map<string, { cell: StoredCell; evidence: MeasuredEvidence | null }>;
	parentBy: Map<string, MeasuredEvidence>;
	predictedBy: Map<string, PredictedCell>;
	declared: DeclaredCover;
}

const predictedMaps = new WeakMap<readonly PredictedCell[], Map<string, PredictedCell>>();

/** The inputs of fusing some cells: their measurements (`measured`, `parents`) and the other layers whole (they are cached). */
async function operatorInputs(db: Database, o: FusedOptions, todayDay: number, version: FusedVersion, measured: readonly StoredCell[], parents: readonly StoredCell[]): Promise<OperatorInputs> {
	const settings = await readSettings(db, version.settings);
	const predicted = await cachedPredictedCells(db, o.res, o.operator, o.technology, version.predicted);
	const declared = declaredAt(await readDeclaredGrids(db, version.declared), o.operator, o.technology, o.res, settings['declared.min_share']);
	const evidence = (c: StoredCell): MeasuredEvidence | null =>
		c.reporters < o.minReporters
			? null
			: { class: c.class, confidence: confidenceOf(c, todayDay, settings), reporters: c.reporters, days: c.days, medianDbm: c.medianDbm, failingHourSpan: hourSpanOfMask(c.failingHours) };
	const measuredBy = new Map<string, { cell: StoredCell; evidence: MeasuredEvidence | null }>();
	for (const c of measured) measuredBy.set(c.h3, { cell: c, evidence: evidence(c) });
	const parentBy = new Map<string, MeasuredEvidence>();
	for (const c of parents) {
		const e = evidence(c);
		if (e) parentBy.set(c.h3, e);
	}
	let predictedBy = predictedMaps.get(predicted);
	if (!predictedBy) {
		predictedBy = new Map();
		for (const c of predicted) predictedBy.set(c.h3, c);
		predictedMaps.set(predicted, predictedBy);
	}
	return { settings, rules: fusionRulesFromSettings(settings), measuredBy, parentBy, predictedBy, declared };
}

/**
 * Fuses `cells`. A cell is in the layer when it has evidence of its own — measurements, a
 * prediction, a declared claim — or its parent's measurements decide for it; being merely outside
 * a published map is not evidence enough (else every cell on Earth would be "declared dead"). The
 * full and the incremental fusion both apply this, so they agree on which cells exist.
 */
function fuseAmong(o: FusedOptions, inputs: OperatorInputs, cells: Iterable<string>): FusedRow[] {
	const { rules, measuredBy, parentBy, predictedBy, declared } = inputs;
	const rows: FusedRow[] = [];
	for (const h3 of cells) {
		const m = measuredBy.get(h3);
		const p = predictedBy.get(h3);
		const inside = declared.covered.has(h3);
		const parent = o.res === 9 ? (parentBy.get(cellToParent(h3, 8)) ?? null) : null;
		if (!m && !p && !inside && !(parent && parent.class !== null && parent.confidence >= rules.measuredMinConfidence)) continue;
		const i: FusionInputs = {
			measured: m?.evidence ?? null,
			parentMeasured: parent,
			predicted: p ? ({ class: p.class, dbm: p.dbm } satisfies PredictedEvidence) : null,
			declared: declared.published ? inside : null
		};
		const fused = fuseCell(i, rules);
		if (fused.class === null && !m) continue;
		rows.push({
			h3,
			fused,
			measured: m?.cell ?? null,
			measuredConfidence: m?.evidence?.confidence ?? 0,
			predicted: p ?? null,
			declared: i.declared,
			declaredShare: o.res === 9 && declared.published ? (declared.shares.get(h3) ?? 0) : null,
			operator: o.operator
		});
	}
	return rows;
}

/** One operator's key in full; at res 9 with the res-8 measurements it used (a later patch compares a step's to them). */
export async function fuseOperator(db: Database, o: FusedOptions, todayDay: number, version: FusedVersion): Promise<{ rows: FusedRow[]; parents: StoredCell[] }> {
	const measuredVersion = `${version.measured}.${version.settings}`;
	const measured = await storedCells(db, o.res, o.operator, o.technology, measuredVersion);
	const parents = o.res === 9 ? await storedCells(db, 8, o.operator, o.technology, measuredVersion) : [];
	const inputs = await operatorInputs(db, o, todayDay, version, measured, parents);
	// Every cell with evidence of its own, and the children of a parent whose evidence decides.
	const cells = new Set<string>([...inputs.measuredBy.keys(), ...inputs.predictedBy.keys(), ...inputs.declared.covered]);
	for (const [parent, e] of inputs.parentBy) if (e.class !== null && e.confidence >= inputs.rules.measuredMinConfidence) for (const child of cellToChildren(parent, 9)) cells.add(child);
	return { rows: fuseAmong(o, inputs, cells).sort(byCellId), parents };
}

/**
 * Some cells (sorted) of one operator's key, from the measurements given for them (`measured`: of
 * the cells; `parents`: at res 9, of their res-8 parents) and the other layers whole: what a patch
 * fuses again. Merged into the previous rows, the result equals a full fusion.
 */
export async function fuseOperatorCells(db: Database, o: FusedOptions, todayDay: number, version: FusedVersion, cells: readonly string[], measured: readonly StoredCell[], parents: readonly StoredCell[]): Promise<FusedRow[]> {
	if (cells.length === 0) return [];
	return fuseAmong(o, await operatorInputs(db, o, todayDay, version, measured, parents), cells);
}

