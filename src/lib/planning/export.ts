import { rowsToCsv } from '../text/csv';

/**
 * A plan's proposed sites as files (issue 16): GeoJSON (one Point per new site), CSV (with lat/lon
 * columns, for spreadsheets) and KML (Google Earth, operators' GIS). Properties: `rank`, `type`,
 * `cost`, `communeCode`, `householdsNewlyCovered`, `explanation` (in the chosen language) and a
 * few more. Pure.
 */

export const PLAN_EXPORT_FORMATS = ['geojson', 'csv', 'kml'] as const;
export type PlanExportFormat = (typeof PLAN_EXPORT_FORMATS)[number];

/** A proposed site as a saved scenario keeps it (src/lib/server/plans.ts makes them). */
export interface PlanSite {
	rank: number;
	key: string;
	type: 'small-cell' | 'macro';
	source: string;
	position: [number, number];
	cost: number;
	communeCode: string | null;
	communeName: string | null;
	householdsNewlyCovered: number;
	weightNewlyCovered: number;
	zoneId: number | null;
	zoneShareClosed: number;
	villagesChanged: { id: number; name: string; from: string; to: string }[];
	backhaulKm: number | null;
	host: unknown;
	explanation: { vi: string; en: string };
	/** Demand cells it newly serves (its targets) and all those it serves. */
	newCells: string[];
	coveredCells: string[];
}

/** What the files carry of a site. */
export type ExportSite = Pick<PlanSite, 'rank' | 'key' | 'type' | 'source' | 'position' | 'cost' | 'communeCode' | 'communeName' | 'householdsNewlyCovered' | 'zoneShareClosed' | 'backhaulKm' | 'explanation'>;

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** The properties every format carries, in this order. */
export function siteProperties(s: ExportSite, lang: 'vi' | 'en') {
	return {
		rank: s.rank,
		id: s.key,
		type: s.type,
		source: s.source,
		cost: round(s.cost, 4),
		communeCode: s.communeCode,
		communeName: s.communeName,
		householdsNewlyCovered: round(s.householdsNewlyCovered, 1),
		deadZoneShareClosed: round(s.zoneShareClosed, 4),
		backhaulKm: s.backhaulKm === null ? null : round(s.backhaulKm, 2),
		explanation: s.explanation[lang]
	};
}

export function sitesToGeoJson(sites: readonly ExportSite[], lang: 'vi' | 'en', meta: Record<string, unknown> = {}): string {
	return JSON.stringify({
		type: 'FeatureCollection',
		...meta,
		features: sites.map((s) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [round(s.position[0], 6), round(s.position[1], 6)] }, properties: siteProperties(s, lang) }))
	});
}

export function sitesToCsv(sites: readonly ExportSite[], lang: 'vi' | 'en'): string {
	const rows = sites.map((s) => ({ ...siteProperties(s, lang), lat: round(s.position[1], 6), lon: round(s.position[0], 6) }));
	return rowsToCsv(rows, ['rank', 'id', 'type', 'source', 'lat', 'lon', 'cost', 'communeCode', 'communeName', 'householdsNewlyCovered', 'deadZoneShareClosed', 'backhaulKm', 'explanation']);
}

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** KML 2.2: a Placemark per site, its properties as ExtendedData, the explanation as description. */
export function sitesToKml(sites: readonly ExportSite[], lang: 'vi' | 'en', name: string): string {
	const placemarks = sites.map((s) => {
		const p = siteProperties(s, lang);
		const data = Object.entries(p)
			.filter(([, v]) => v !== null)
			.map(([k, v]) => `<Data name="${xml(k)}"><value>${xml(String(v))}</value></Data>`)
			.join('');
		return `<Placemark><name>${xml(`${p.rank}. ${p.type}`)}</name><description>${xml(p.explanation)}</description><ExtendedData>${data}</ExtendedData><Point><coordinates>${round(s.position[0], 6)},${round(s.position[1], 6)}</coordinates></Point></Placemark>`;
	});
	return `<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>${xml(name)}</name>${placemarks.join('\n')}</Document></kml>\n`;
}

export const EXPORT_TYPES: Record<PlanExportFormat, string> = {
	geojson: 'application/geo+json; charset=utf-8',
	csv: 'text/csv; charset=utf-8',
	kml: 'application/vnd.google-earth.kml+xml; charset=utf-8'
};

export function exportSites(format: PlanExportFormat, sites: readonly ExportSite[], lang: 'vi' | 'en', name: string): string {
	if (format === 'geojson') return sitesToGeoJson(sites, lang, { name });
	if (format === 'csv') return sitesToCsv(sites, lang);
	return sitesToKml(sites, lang, name);
}
