import type { Geometry } from 'geojson';
import { geometryProblem, POLYGONAL, type GeometryType } from './geometry';
import type { ImportIssue } from './issues';
import { operatorFromName } from './operators';
import { toSearchKey } from '../text/search-key';

export const FACILITY_TYPES = ['school', 'health_station', 'commune_office', 'public_land', 'other'] as const;
export type FacilityType = (typeof FACILITY_TYPES)[number];

/** Facility type names in English and Vietnamese (folded), to our codes. */
const FACILITY_NAMES: Record<string, FacilityType> = {
	school: 'school',
	truong: 'school',
	'truong hoc': 'school',
	health_station: 'health_station',
	'health station': 'health_station',
	'tram y te': 'health_station',
	commune_office: 'commune_office',
	'commune office': 'commune_office',
	ubnd: 'commune_office',
	'tru so ubnd': 'commune_office',
	public_land: 'public_land',
	'public land': 'public_land',
	'dat cong': 'public_land',
	other: 'other',
	khac: 'other'
};

/** What one feature of a simple layer holds. */
export interface LayerRecord {
	geometry: Geometry;
	name: string | null;
	/** Facility type, fiber operator, or exclusion reason. */
	attribute: string | null;
}

export type LayerKind = 'facilities' | 'fiber-routes' | 'exclusions';

const ALLOWED: Record<LayerKind, readonly GeometryType[]> = {
	facilities: ['Point'],
	'fiber-routes': ['LineString', 'MultiLineString'],
	exclusions: POLYGONAL
};

const str = (v: unknown) => (v === null || v === undefined || String(v).trim() === '' ? null : String(v).trim().normalize('NFC'));

/** Reads one feature of a facilities, fiber-routes or exclusions file. */
export function readLayerFeature(
	kind: LayerKind,
	feature: unknown,
	index: number,
	defaults: { type?: string; operator?: string }
): { record: LayerRecord } | { issues: ImportIssue[] } {
	const f = feature as { type?: string; properties?: Record<string, unknown> | null; geometry?: unknown };
	if (f?.type !== 'Feature') return { issues: [{ row: index, line: null, column: null, value: null, reason: 'is not a GeoJSON Feature' }] };
	const props = f.properties ?? {};
	const issues: ImportIssue[] = [];
	const fail = (column: string, value: string | null, reason: string) => issues.push({ row: index, line: null, column, value, reason });
	const name = str(props.name) ?? str(props.ten);
	let attribute: string | null = null;
	if (kind === 'facilities') {
		const raw = str(props.type) ?? str(props.loai) ?? str(defaults.type);
		attribute = raw === null ? null : (FACILITY_NAMES[toSearchKey(raw)] ?? null);
		if (raw === null) fail('type', null, 'names no facility type (a type property, or --type for the whole file)');
		else if (attribute === null) fail('type', raw, `unknown facility type (expected ${FACILITY_TYPES.join(', ')})`);
	} else if (kind === 'fiber-routes') {
		const raw = str(props.operator) ?? str(defaults.operator);
		attribute = raw === null ? null : operatorFromName(raw);
		if (raw === null) fail('operator', null, 'names no operator (an operator property, or --operator for the whole file)');
		else if (attribute === null) fail('operator', raw, 'unknown operator');
	} else {
		attribute = str(props.reason) ?? str(props.ly_do);
	}
	const problem = geometryProblem(f.geometry, ALLOWED[kind]);
	if (problem) fail('geometry', null, problem);
	if (issues.length > 0) return { issues };
	return { record: { geometry: f.geometry as Geometry, name, attribute } };
}
