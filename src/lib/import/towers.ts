import type { Technology } from '../signal/classes';
import type { ColumnMap, FieldSpec } from './columns';
import type { ImportIssue } from './issues';
import { operatorFromMccMnc, operatorFromName } from './operators';
import { otherCountryReason } from './explain';
import { RowReader } from './row-reader';
import { technologyFromName } from './technology';

/** OpenCelliD's cell export header, in order. */
export const OPENCELLID_HEADER = ['radio', 'mcc', 'net', 'area', 'cell', 'unit', 'lon', 'lat', 'range', 'samples', 'changeable', 'created', 'updated', 'averagesignal'];

export function isOpenCellidHeader(header: readonly string[]): boolean {
	return header.length === OPENCELLID_HEADER.length && header.every((h, i) => h.trim().toLowerCase() === OPENCELLID_HEADER[i]);
}

export const OPENCELLID_FIELDS: readonly FieldSpec[] = OPENCELLID_HEADER.map((h) => ({ field: h, aliases: [h], required: true }));

/** An operator's own site list: `site_id,operator,lat,lon,height_m,technologies` (technologies separated by ; | or space). */
export const SITE_LIST_FIELDS: readonly FieldSpec[] = [
	{ field: 'siteId', aliases: ['site_id', 'site', 'site_code'], required: true },
	{ field: 'operator', aliases: ['operator'], required: true },
	{ field: 'latitude', aliases: ['lat', 'latitude'], required: true },
	{ field: 'longitude', aliases: ['lon', 'lng', 'longitude'], required: true },
	{ field: 'heightM', aliases: ['height_m', 'height', 'antenna_height_m'], required: false },
	{ field: 'technologies', aliases: ['technologies', 'technology', 'tech'], required: false }
];

/** One radio cell of OpenCelliD. */
export interface CellRecord {
	operatorCode: string;
	technology: Technology;
	lng: number;
	lat: number;
	cell: { radio: string; area: number; cell: number; unit: number; rangeM: number; samples: number };
}

/** A site to store. */
export interface SiteRecord {
	operatorCode: string;
	siteCode: string;
	technologies: Technology[];
	antennaHeightM: number | null;
	lng: number;
	lat: number;
	cells: CellRecord['cell'][] | null;
}

const RADIO: Record<string, Technology> = { GSM: '2G', UMTS: '3G', LTE: '4G', NR: '5G' };

/**
 * Reads one OpenCelliD row. Rows of other countries are `skipped` (counted, not errors); a
 * Vietnamese row with an unknown MNC is an error naming it.
 */
export function readOpenCellidRow(
	values: readonly string[],
	columns: ColumnMap,
	where: { row: number; line: number },
	{ mcc: wantedMcc, decimalComma }: { mcc: number; decimalComma: boolean }
): { record: CellRecord } | { skipped: string } | { issues: ImportIssue[] } {
	const r = new RowReader(values, columns, where, { decimalComma });
	const mcc = r.required('mcc', r.count('mcc'));
	if (mcc !== null && mcc !== wantedMcc) return { skipped: otherCountryReason(mcc) };
	const mnc = r.required('net', r.count('net'));
	const operatorCode = mcc !== null && mnc !== null ? operatorFromMccMnc(mcc, mnc) : null;
	if (mcc !== null && mnc !== null && operatorCode === null) r.fail('net', `unknown MNC ${mnc} for MCC ${mcc} (known: 01 MobiFone, 02 VinaPhone, 04 Viettel, 05 Vietnamobile, 07 Gmobile)`);
	const radio = (r.raw('radio') ?? '').toUpperCase();
	const technology = RADIO[radio];
	if (!technology) r.fail('radio', 'unknown radio (expected GSM, UMTS, LTE or NR)');
	const position = r.position('lat', 'lon');
	const area = r.count('area') ?? 0;
	const cell = r.count('cell') ?? 0;
	const unit = r.number('unit') ?? -1;
	const rangeM = r.count('range') ?? 0;
	const samples = r.count('samples') ?? 0;
	if (r.issues.length > 0 || !position) return { issues: r.issues };
	return { record: { operatorCode: operatorCode!, technology, lng: position[0], lat: position[1], cell: { radio, area, cell, unit, rangeM, samples } } };
}

/** Groups cells at one location (same operator, within ~11 m: 4 decimals) into sites. */
export function groupCellsIntoSites(cells: Iterable<CellRecord>): SiteRecord[] {
	const sites = new Map<string, SiteRecord>();
	for (const c of cells) {
		const key = `${c.operatorCode}:${c.lat.toFixed(4)}:${c.lng.toFixed(4)}`;
		let site = sites.get(key);
		if (!site) {
			site = { operatorCode: c.operatorCode, siteCode: `OCID-${c.lat.toFixed(4)}-${c.lng.toFixed(4)}`, technologies: [], antennaHeightM: null, lng: c.lng, lat: c.lat, cells: [] };
			sites.set(key, site);
		}
		if (!site.technologies.includes(c.technology)) site.technologies.push(c.technology);
		site.cells!.push(c.cell);
	}
	for (const s of sites.values()) s.technologies.sort();
	return [...sites.values()];
}

/** Reads one row of an operator's own site list. */
export function readSiteListRow(
	values: readonly string[],
	columns: ColumnMap,
	where: { row: number; line: number },
	options: { decimalComma: boolean }
): { record: SiteRecord } | { issues: ImportIssue[] } {
	const r = new RowReader(values, columns, where, options);
	const siteCode = r.required('siteId', r.raw('siteId'));
	const operatorName = r.required('operator', r.raw('operator'));
	const operatorCode = operatorName === null ? null : operatorFromName(operatorName);
	if (operatorName !== null && operatorCode === null) r.fail('operator', 'unknown operator (expected Viettel, VinaPhone/VNPT, MobiFone, Vietnamobile, Gmobile)');
	const position = r.position('latitude', 'longitude');
	const heightM = r.number('heightM', { min: 1, max: 300, unit: 'm' });
	const technologies: Technology[] = [];
	for (const name of (r.raw('technologies') ?? '').split(/[;|, ]+/).filter(Boolean)) {
		const t = technologyFromName(name);
		if (t === null) r.fail('technologies', `unknown technology "${name}"`);
		else if (!technologies.includes(t)) technologies.push(t);
	}
	if (r.issues.length > 0 || !position) return { issues: r.issues };
	return { record: { operatorCode: operatorCode!, siteCode: siteCode!, technologies: technologies.sort(), antennaHeightM: heightM, lng: position[0], lat: position[1], cells: null } };
}
