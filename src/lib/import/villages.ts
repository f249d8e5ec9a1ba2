import type { Point } from 'geojson';
import { VILLAGE_STATUSES, type VillageStatus } from '../coverage/villages';
import { geometryProblem } from './geometry';
import type { ImportIssue } from './issues';
import { toSearchKey } from '../text/search-key';

/** One village (thôn, bản, tổ dân phố) of a `villages` import. */
export interface VillageRecord {
	name: string;
	communeCode: string;
	households: number | null;
	/** Grid electricity (Decision 2269/QĐ-TTg decides the funding path by it); null: not said. */
	hasPower: boolean | null;
	/** The province's own status, when the file is its register. */
	officialStatus: VillageStatus | null;
	position: [number, number];
}

/** Property names each field is read from (folded: lower case, no marks), English first. */
export const VILLAGE_PROPERTIES = {
	name: ['name', 'ten', 'ten thon', 'village', 'thon'],
	communeCode: ['commune code', 'ma xa', 'commune'],
	households: ['households', 'so ho', 'ho'],
	hasPower: ['has power', 'co dien', 'dien luoi', 'power'],
	status: ['status', 'trang thai', 'official status']
} as const;

/** Status words of provinces' registers (folded) to our codes. */
const STATUS_WORDS: Record<string, VillageStatus> = {
	'trang song': 'trang_song',
	'thon trang song': 'trang_song',
	'no signal': 'trang_song',
	'lom song': 'lom_song',
	'thon lom song': 'lom_song',
	'partial signal': 'lom_song',
	'co song': 'co_song',
	'da co song': 'co_song',
	covered: 'co_song',
	served: 'co_song'
};
for (const s of VILLAGE_STATUSES) STATUS_WORDS[toSearchKey(s)] = s;

const YES = new Set(['yes', 'y', 'true', '1', 'co', 'x']);
const NO = new Set(['no', 'n', 'false', '0', 'khong', 'chua']);

const text = (v: unknown) => (v === null || v === undefined || String(v).trim() === '' ? null : String(v).trim().normalize('NFC'));

/** The first property of `names` present (matched folded, so "Tên thôn", "ten_thon" and "TEN THON" all read as "ten thon"). */
function property(props: Record<string, unknown>, names: readonly string[]): { key: string; value: string } | null {
	const folded = new Map(Object.keys(props).map((k) => [toSearchKey(k), k]));
	for (const n of names) {
		const key = folded.get(n);
		if (key !== undefined && text(props[key]) !== null) return { key, value: text(props[key])! };
	}
	return null;
}

/**
 * Reads one feature of a villages file (GeoJSON, KML, shapefile, or a CSV of points): a point with
 * a name and the code of a known commune, and optionally households, grid power and the official
 * status. Every problem names the property and the value.
 */
export function readVillageFeature(feature: unknown, index: number, { knownCommunes }: { knownCommunes: ReadonlySet<string> }): { record: VillageRecord } | { issues: ImportIssue[] } {
	const f = feature as { type?: string; properties?: Record<string, unknown> | null; geometry?: unknown };
	if (f?.type !== 'Feature') return { issues: [{ row: index, line: null, column: null, value: null, reason: 'is not a GeoJSON Feature' }] };
	const props = f.properties ?? {};
	const issues: ImportIssue[] = [];
	const fail = (column: string, value: string | null, reason: string) => issues.push({ row: index, line: null, column, value, reason });
	const name = property(props, VILLAGE_PROPERTIES.name);
	if (!name) fail('name', null, `names no village (a ${VILLAGE_PROPERTIES.name.join('/')} property)`);
	const commune = property(props, VILLAGE_PROPERTIES.communeCode);
	if (!commune) fail('commune_code', null, `names no commune (a ${VILLAGE_PROPERTIES.communeCode.join('/')} property)`);
	else if (!knownCommunes.has(commune.value)) fail(commune.key, commune.value, 'is not the code of a loaded commune (import the boundaries first, or choose the other boundary set)');
	let households: number | null = null;
	const h = property(props, VILLAGE_PROPERTIES.households);
	if (h) {
		households = Number(h.value.replace(/[\s.,](?=\d{3}\b)/g, ''));
		if (!Number.isInteger(households) || households < 0) fail(h.key, h.value, 'must be a whole number of households ≥ 0');
	}
	let hasPower: boolean | null = null;
	const p = property(props, VILLAGE_PROPERTIES.hasPower);
	if (p) {
		const word = toSearchKey(p.value);
		if (YES.has(word)) hasPower = true;
		else if (NO.has(word)) hasPower = false;
		else fail(p.key, p.value, 'must be yes/no (có/không, 1/0)');
	}
	let officialStatus: VillageStatus | null = null;
	const s = property(props, VILLAGE_PROPERTIES.status);
	if (s) {
		officialStatus = STATUS_WORDS[toSearchKey(s.value)] ?? null;
		if (!officialStatus) fail(s.key, s.value, 'must be trắng sóng, lõm sóng or có sóng (trang_song, lom_song, co_song)');
	}
	const problem = geometryProblem(f.geometry, ['Point']);
	if (problem) fail('geometry', null, problem);
	if (issues.length > 0) return { issues };
	const [lng, lat] = (f.geometry as Point).coordinates;
	return { record: { name: name!.value, communeCode: commune!.value, households, hasPower, officialStatus, position: [lng, lat] } };
}
