import { ImportFileError } from './issues';

/** A field an import kind reads, with the header names it is recognised by (lower case). */
export interface FieldSpec {
	field: string;
	aliases: readonly string[];
	required: boolean;
}

/** Which column holds each field: its index, and the header name as written in the file. */
export type ColumnMap = Record<string, { index: number; header: string }>;

const norm = (s: string) => s.trim().toLowerCase();

/** Header names of the position columns of a CSV of points (lower case; Vietnamese too). */
export const LATITUDE_COLUMNS = ['lat', 'latitude', 'vi_do', 'y'];
export const LONGITUDE_COLUMNS = ['lon', 'lng', 'long', 'longitude', 'kinh_do', 'x'];

/**
 * Matches a header to fields: `mapping` (field → column, from --map) first, then known aliases,
 * in any case. Throws naming a mapped column that is not in the header, or missing required fields.
 */
export function resolveColumns(header: readonly string[], specs: readonly FieldSpec[], mapping: Record<string, string> = {}): ColumnMap {
	const byName = new Map(header.map((h, i) => [norm(h), i]));
	const map: ColumnMap = {};
	for (const [field, column] of Object.entries(mapping)) {
		if (!specs.some((s) => s.field === field)) throw new ImportFileError(`--map ${field}=${column}: unknown field "${field}"; fields are ${specs.map((s) => s.field).join(', ')}`);
		const index = byName.get(norm(column));
		if (index === undefined) throw new ImportFileError(`--map ${field}=${column}: the header has no column "${column}"`);
		map[field] = { index, header: header[index] };
	}
	for (const spec of specs) {
		if (map[spec.field]) continue;
		const alias = spec.aliases.find((a) => byName.has(a));
		if (alias !== undefined) map[spec.field] = { index: byName.get(alias)!, header: header[byName.get(alias)!] };
	}
	const missing = specs.filter((s) => s.required && !map[s.field]);
	if (missing.length > 0) {
		throw new ImportFileError(
			`the header lacks ${missing.map((s) => `${s.field} (${s.aliases.join('/')})`).join(', ')}; found columns: ${header.join(', ')}. Map one with --map field=column`
		);
	}
	return map;
}
