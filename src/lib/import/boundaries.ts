import type { MultiPolygon, Polygon } from 'geojson';
import { geometryProblem, POLYGONAL } from './geometry';
import type { ImportIssue } from './issues';

export const ADMIN_LEVELS = ['province', 'district', 'commune'] as const;
export type AdminLevel = (typeof ADMIN_LEVELS)[number];
export type BoundarySet = '2025' | 'pre2025';

/** One administrative unit read from a boundary file. */
export interface BoundaryRecord {
	level: AdminLevel;
	code: string;
	name: string;
	kind: string | null;
	provinceCode: string;
	provinceName: string | null;
	districtCode: string | null;
	population: number | null;
	geometry: Polygon | MultiPolygon;
}

/** Which property holds what (`--map code=ma_xa`); unset ones are found by their usual names. */
export interface BoundaryMapping {
	code?: string;
	name?: string;
	parent?: string;
}

const CODE_PROPS: Record<AdminLevel, string[]> = {
	province: ['province_code', 'code', 'ma_tinh'],
	district: ['district_code', 'code', 'ma_huyen'],
	commune: ['commune_code', 'code', 'ma_xa']
};
const NAME_PROPS = ['name', 'ten', 'ten_xa', 'ten_huyen', 'ten_tinh', 'commune_name', 'district_name', 'province_name'];
const PARENT_PROPS = ['province_code', 'ma_tinh'];

type Props = Record<string, unknown>;
const text = (v: unknown) => (v === null || v === undefined || String(v).trim() === '' ? null : String(v).trim().normalize('NFC'));

/** The level of a feature: as asked, else its `level` property, else from which code it carries. */
export function levelOf(props: Props, asked: AdminLevel | undefined): AdminLevel {
	if (asked) return asked;
	const level = text(props.level);
	if (level && (ADMIN_LEVELS as readonly string[]).includes(level)) return level as AdminLevel;
	// By which code the feature carries at all (an empty commune_code is still a commune, just a bad one).
	if ('commune_code' in props || 'ma_xa' in props) return 'commune';
	if ('district_code' in props || 'ma_huyen' in props) return 'district';
	return 'province';
}

/** Guesses the boundary set: districts only exist before the reform; otherwise the 2025 units. */
export function guessBoundarySet(features: readonly { properties?: Props | null }[]): BoundarySet {
	return features.some((f) => {
		const props = Object.fromEntries(Object.entries(f.properties ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
		return text(props.district_code) !== null || text(props.ma_huyen) !== null || text(props.level) === 'district';
	})
		? 'pre2025'
		: '2025';
}

/** Checks a boundary's shape and place (polygons only). */
export const boundaryGeometryProblem = (geometry: unknown) => geometryProblem(geometry, POLYGONAL);

/** Reads one feature (1-based `index`) of a boundary file. */
export function readBoundaryFeature(
	feature: unknown,
	index: number,
	{ mapping = {}, level: askedLevel }: { mapping?: BoundaryMapping; level?: AdminLevel }
): { record: BoundaryRecord } | { issues: ImportIssue[] } {
	const f = feature as { type?: string; properties?: Props | null; geometry?: unknown };
	// Property names in any case: shapefiles often have MA_XA, TEN_XA.
	const props: Props = Object.fromEntries(Object.entries(f?.properties ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
	mapping = Object.fromEntries(Object.entries(mapping).map(([k, v]) => [k, v?.toLowerCase()]));
	const issues: ImportIssue[] = [];
	const fail = (column: string | null, value: unknown, reason: string) => issues.push({ row: index, line: null, column, value: value == null ? null : String(value), reason });
	if (f?.type !== 'Feature') {
		fail(null, null, 'is not a GeoJSON Feature');
		return { issues };
	}
	const level = levelOf(props, askedLevel);
	const codeProp = mapping.code ?? CODE_PROPS[level].find((p) => text(props[p]) !== null) ?? CODE_PROPS[level][0];
	const nameProp = mapping.name ?? NAME_PROPS.find((p) => text(props[p]) !== null) ?? 'name';
	const code = text(props[codeProp]);
	const name = text(props[nameProp]);
	if (code === null) fail(codeProp, null, `has no ${level} code`);
	if (name === null) fail(nameProp, null, 'has no name');
	const parentProp = mapping.parent ?? PARENT_PROPS.find((p) => text(props[p]) !== null) ?? PARENT_PROPS[0];
	const provinceCode = level === 'province' ? code : text(props[parentProp]);
	if (provinceCode === null) fail(parentProp, null, `a ${level} needs its province code`);
	const problem = boundaryGeometryProblem(f.geometry);
	if (problem) fail('geometry', code, problem);
	const population = typeof props.population === 'number' ? props.population : null;
	if (issues.length > 0) return { issues };
	return {
		record: {
			level,
			code: code!,
			name: name!,
			kind: text(props.type) ?? text(props.kind),
			provinceCode: provinceCode!,
			provinceName: text(props.province_name),
			districtCode: level === 'commune' ? text(props.district_code) : level === 'district' ? code : null,
			population,
			geometry: f.geometry as Polygon | MultiPolygon
		}
	};
}
