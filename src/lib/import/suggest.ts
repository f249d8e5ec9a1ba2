import { LATITUDE_COLUMNS, LONGITUDE_COLUMNS } from './columns';

/**
 * Which import kind a file looks like, from what it holds — so a planner can drop a file and
 * only confirm. A suggestion, never a decision: the page lets the kind be changed.
 */

const lower = (header: readonly string[]) => new Set(header.map((h) => h.trim().toLowerCase()));

/** A CSV's kind from its header, or null when nothing fits. */
export function suggestTabularKind(header: readonly string[]): 'measurements' | 'towers' | 'households' | 'fiber' | 'crosswalk' | 'facilities' | 'villages' | null {
	const h = lower(header);
	const has = (...names: string[]) => names.some((n) => h.has(n));
	if (has('old_commune_code') && has('new_commune_code')) return 'crosswalk';
	if (has('radio') && has('mcc') && has('net') && has('cell')) return 'towers';
	if (has('site_id', 'site', 'site_code')) return 'towers';
	if (has('households_passed', 'households_connected')) return 'fiber';
	// Points of villages name their commune; commune household tables have no position.
	if (has(...LATITUDE_COLUMNS) && has(...LONGITUDE_COLUMNS) && has('commune_code', 'ma_xa')) return 'villages';
	if (has('commune_code', 'ma_xa') && has('population', 'households')) return 'households';
	if (has('lat', 'latitude') && has('lon', 'lng', 'long', 'longitude') && has('rsrp', 'rsrp_dbm', 'rssi', 'sinr', 'snr', 'rsrq', 'networkmode', 'signal', 'dbm')) return 'measurements';
	if (has(...LATITUDE_COLUMNS) && has(...LONGITUDE_COLUMNS) && has('type', 'loai', 'facility_type')) return 'facilities';
	return null;
}

type Feature = { geometry?: { type?: string } | null; properties?: Record<string, unknown> | null };

/** A feature file's kind from its geometry types and properties. */
export function suggestFeatureKind(features: readonly unknown[]): 'boundaries' | 'declared' | 'facilities' | 'villages' | 'fiber-routes' | 'exclusions' | null {
	const sample = (features as Feature[]).slice(0, 200);
	const types = new Set(sample.map((f) => f?.geometry?.type));
	const keys = new Set(sample.flatMap((f) => Object.keys(f?.properties ?? {}).map((k) => k.toLowerCase())));
	if (types.has('Point') || types.has('MultiPoint')) return ['commune_code', 'ma_xa', 'ten_thon', 'so_ho', 'households'].some((k) => keys.has(k)) ? 'villages' : 'facilities';
	if (types.has('LineString') || types.has('MultiLineString')) return 'fiber-routes';
	if (!(types.has('Polygon') || types.has('MultiPolygon'))) return null;
	if (['commune_code', 'ma_xa', 'district_code', 'ma_huyen', 'province_code', 'ma_tinh'].some((k) => keys.has(k))) return 'boundaries';
	if (keys.has('operator') || keys.has('technology') || keys.has('nha_mang')) return 'declared';
	return 'exclusions';
}

/** A raster's kind from its name: elevation files say so (.hgt, dem, srtm); the rest are population. */
export function suggestRasterKind(fileName: string): 'population' | 'dem' {
	return /\.hgt$|dem|srtm|elev|dtm|dsm/i.test(fileName) ? 'dem' : 'population';
}

/** The family of a file from its first bytes and name: what reader previews it. */
export function fileFamily(fileName: string, head: Uint8Array): 'raster' | 'features' | 'csv' {
	const isTiff = (head[0] === 0x49 && head[1] === 0x49 && (head[2] === 42 || head[2] === 43)) || (head[0] === 0x4d && head[1] === 0x4d && (head[3] === 42 || head[3] === 43));
	if (isTiff || /\.hgt$/i.test(fileName)) return 'raster';
	const isZip = head[0] === 0x50 && head[1] === 0x4b;
	const text = new TextDecoder().decode(head.subarray(0, 64)).replace(/^\uFEFF/, '').trimStart();
	if (isZip || text.startsWith('{') || text.startsWith('<') || /\.(geo|topo)?json$|\.km[lz]$/i.test(fileName)) return 'features';
	return 'csv';
}
