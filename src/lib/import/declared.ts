import type { MultiPolygon, Polygon } from 'geojson';
import type { Technology } from '../signal/classes';
import { geometryProblem, POLYGONAL } from './geometry';
import type { ImportIssue } from './issues';
import { operatorFromName } from './operators';
import { technologyFromName } from './technology';

/** One polygon of an operator's published coverage map. */
export interface DeclaredRecord {
	operatorCode: string;
	technology: Technology;
	geometry: Polygon | MultiPolygon;
}

const OPERATOR_PROPS = ['operator', 'nha_mang', 'carrier'];
const TECHNOLOGY_PROPS = ['technology', 'tech', 'cong_nghe', 'network'];

/**
 * Reads one declared-coverage feature: its operator and technology from its properties, else
 * from the file-wide defaults (`--operator`, `--technology`), and a valid polygon in Vietnam.
 */
export function readDeclaredFeature(
	feature: unknown,
	index: number,
	defaults: { operator?: string; technology?: string }
): { record: DeclaredRecord } | { issues: ImportIssue[] } {
	const f = feature as { type?: string; properties?: Record<string, unknown> | null; geometry?: unknown };
	const props = f?.properties ?? {};
	const issues: ImportIssue[] = [];
	const fail = (column: string | null, value: unknown, reason: string) => issues.push({ row: index, line: null, column, value: value == null ? null : String(value), reason });
	if (f?.type !== 'Feature') return { issues: [{ row: index, line: null, column: null, value: null, reason: 'is not a GeoJSON Feature' }] };
	const pick = (names: string[]) => names.map((n) => [n, props[n]] as const).find(([, v]) => v !== undefined && v !== null && String(v).trim() !== '');
	const [operatorProp, operatorValue] = pick(OPERATOR_PROPS) ?? ['operator', defaults.operator];
	const [technologyProp, technologyValue] = pick(TECHNOLOGY_PROPS) ?? ['technology', defaults.technology];
	const operatorCode = operatorValue === undefined ? null : operatorFromName(String(operatorValue));
	if (operatorValue === undefined) fail(operatorProp, null, 'names no operator (a property, or --operator for the whole file)');
	else if (operatorCode === null) fail(operatorProp, operatorValue, 'unknown operator');
	const technology = technologyValue === undefined ? null : technologyFromName(String(technologyValue));
	if (technologyValue === undefined) fail(technologyProp, null, 'names no technology (a property, or --technology for the whole file)');
	else if (technology === null) fail(technologyProp, technologyValue, 'unknown technology (expected 2G, 3G, 4G/LTE or 5G/NR)');
	const problem = geometryProblem(f.geometry, POLYGONAL);
	if (problem) fail('geometry', null, problem);
	if (issues.length > 0) return { issues };
	return { record: { operatorCode: operatorCode!, technology: technology!, geometry: f.geometry as Polygon | MultiPolygon } };
}
