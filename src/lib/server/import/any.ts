import type { AdminLevel, BoundarySet } from '../../import/boundaries';
import type { TextEncoding } from '../../import/encoding';
import type { LayerKind } from '../../import/layers';
import type { Actor } from '../audit';
import type { Database } from '../db/index';
import { runBoundaryImport } from './boundaries';
import { runDeclaredImport } from './declared';
import { IMPORT_KINDS, type ImportKindName } from './kinds';
import { runLayerImport } from './layers';
import { runImport, type ImportProgress, type ImportSummary } from './pipeline';
import { runRasterImport } from './rasters';
import { runVillageImport } from './villages';
import { refreshAfterImport } from '../analysis';

/** Every kind of file Phủ Sóng imports, in the order the upload page lists them. */
export const ALL_IMPORT_KINDS = [...IMPORT_KINDS, 'boundaries', 'declared', 'facilities', 'fiber-routes', 'exclusions', 'villages', 'population', 'dem'] as const;
export type AnyImportKind = (typeof ALL_IMPORT_KINDS)[number];

export const isTabularKind = (kind: string): kind is ImportKindName => (IMPORT_KINDS as readonly string[]).includes(kind);
export const isRasterKind = (kind: string): kind is 'population' | 'dem' => kind === 'population' || kind === 'dem';

/** The options any import may take; each kind reads those it understands. */
export interface AnyImportOptions {
	mapping: Record<string, string>;
	skipInvalid: boolean;
	decimalComma?: boolean;
	/** Text encoding of a CSV, when not to be detected. */
	encoding?: TextEncoding;
	mcc?: number;
	/** Boundary set of units (households, fiber) or of the boundaries imported; unset lets boundaries guess. */
	boundarySet?: BoundarySet;
	level?: AdminLevel;
	operator?: string;
	technology?: string;
	type?: string;
	srid?: number;
}

/**
 * Runs one import of any kind — the one path the CLI and the upload page share — then, once it
 * committed, recomputes the analysis layers that rest on it (its own transaction).
 */
export async function runAnyImport(
	db: Database,
	kind: AnyImportKind,
	run: { filePath: string; fileName?: string; options: AnyImportOptions; actor: Actor; onProgress?: (p: ImportProgress) => void }
): Promise<ImportSummary> {
	let last: ImportProgress = { rowsRead: 0, bytesRead: 0, sizeBytes: 0 };
	const summary = await importRows(db, kind, { ...run, onProgress: (p) => run.onProgress?.((last = p)) });
	if (summary.status !== 'committed') return summary;
	const followUp = await refreshAfterImport(db, kind, (done, total) => run.onProgress?.((last = { ...last, recomputing: { layer: 'predicted', done, total } })));
	return followUp.recomputed.length > 0 || followUp.error ? { ...summary, followUp } : summary;
}

function importRows(
	db: Database,
	kind: AnyImportKind,
	{ filePath, fileName, options: o, actor, onProgress }: { filePath: string; fileName?: string; options: AnyImportOptions; actor: Actor; onProgress?: (p: ImportProgress) => void }
): Promise<ImportSummary> {
	const common = { filePath, fileName, skipInvalid: o.skipInvalid, actor };
	if (isTabularKind(kind)) {
		return runImport(db, {
			...common,
			kind,
			options: { mapping: o.mapping, decimalComma: Boolean(o.decimalComma), mcc: o.mcc ?? 452, boundarySet: o.boundarySet ?? '2025', encoding: o.encoding },
			onProgress
		});
	}
	if (isRasterKind(kind)) return runRasterImport(db, { kind, filePath, fileName, srid: o.srid, actor, onProgress });
	if (kind === 'boundaries') {
		return runBoundaryImport(db, { ...common, boundarySet: o.boundarySet, level: o.level, mapping: o.mapping as { code?: string; name?: string; parent?: string }, srid: o.srid });
	}
	if (kind === 'villages') return runVillageImport(db, { ...common, boundarySet: o.boundarySet, srid: o.srid });
	if (kind === 'declared') return runDeclaredImport(db, { ...common, operator: o.operator, technology: o.technology, srid: o.srid });
	return runLayerImport(db, kind as LayerKind, { ...common, type: o.type, operator: o.operator, srid: o.srid });
}
