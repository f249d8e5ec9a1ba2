import type { ColumnMap, FieldSpec } from './columns';
import type { ImportIssue } from './issues';
import { operatorFromName } from './operators';
import { RowReader } from './row-reader';

export const HOUSEHOLD_FIELDS: readonly FieldSpec[] = [
	{ field: 'communeCode', aliases: ['commune_code', 'ma_xa', 'code'], required: true },
	{ field: 'population', aliases: ['population', 'dan_so'], required: true },
	{ field: 'households', aliases: ['households', 'so_ho', 'ho'], required: true }
];

export const FIBER_FIELDS: readonly FieldSpec[] = [
	{ field: 'unitCode', aliases: ['unit_code', 'commune_code', 'hamlet_code'], required: true },
	{ field: 'communeCode', aliases: ['parent_commune_code', 'commune'], required: false },
	{ field: 'operator', aliases: ['operator'], required: true },
	{ field: 'householdsTotal', aliases: ['households_total'], required: true },
	{ field: 'householdsPassed', aliases: ['households_passed'], required: true },
	{ field: 'householdsConnected', aliases: ['households_connected'], required: true }
];

export interface HouseholdRecord {
	communeCode: string;
	population: number;
	households: number;
}

export interface FiberRecord {
	unitKind: 'commune' | 'hamlet';
	unitCode: string;
	communeCode: string;
	operatorCode: string;
	householdsTotal: number;
	householdsPassed: number;
	householdsConnected: number;
}

/** Reads one households row; the commune must exist in the chosen boundary set. */
export function readHouseholdRow(
	values: readonly string[],
	columns: ColumnMap,
	where: { row: number; line: number },
	{ decimalComma, knownCommunes }: { decimalComma: boolean; knownCommunes: ReadonlySet<string> }
): { record: HouseholdRecord } | { issues: ImportIssue[] } {
	const r = new RowReader(values, columns, where, { decimalComma });
	const communeCode = r.required('communeCode', r.raw('communeCode'));
	if (communeCode !== null && !knownCommunes.has(communeCode)) r.fail('communeCode', 'no commune with this code (load its boundaries first)');
	const population = r.required('population', r.count('population'));
	const households = r.required('households', r.count('households'));
	if (population !== null && households !== null && households > population) r.fail('households', `is more than the population (${population})`);
	if (r.issues.length > 0) return { issues: r.issues };
	return { record: { communeCode: communeCode!, population: population!, households: households! } };
}

/** Reads one fiber row: a commune unit, or a hamlet with its commune; counts must nest. */
export function readFiberRow(
	values: readonly string[],
	columns: ColumnMap,
	where: { row: number; line: number },
	{ decimalComma, knownCommunes }: { decimalComma: boolean; knownCommunes: ReadonlySet<string> }
): { record: FiberRecord } | { issues: ImportIssue[] } {
	const r = new RowReader(values, columns, where, { decimalComma });
	const unitCode = r.required('unitCode', r.raw('unitCode'));
	const parent = r.raw('communeCode');
	const isCommune = unitCode !== null && knownCommunes.has(unitCode);
	if (unitCode !== null && !isCommune) {
		if (parent === null) r.fail('unitCode', 'is not a known commune code; a hamlet row needs its commune in parent_commune_code');
		else if (!knownCommunes.has(parent)) r.fail('communeCode', 'no commune with this code');
	}
	const operatorName = r.required('operator', r.raw('operator'));
	const operatorCode = operatorName === null ? null : operatorFromName(operatorName);
	if (operatorName !== null && operatorCode === null) r.fail('operator', 'unknown operator');
	const total = r.required('householdsTotal', r.count('householdsTotal'));
	const passed = r.required('householdsPassed', r.count('householdsPassed'));
	const connected = r.required('householdsConnected', r.count('householdsConnected'));
	if (total !== null && passed !== null && passed > total) r.fail('householdsPassed', `is more than households_total (${total})`);
	if (passed !== null && connected !== null && connected > passed) r.fail('householdsConnected', `is more than households_passed (${passed})`);
	if (r.issues.length > 0) return { issues: r.issues };
	return {
		record: {
			unitKind: isCommune ? 'commune' : 'hamlet',
			unitCode: unitCode!,
			communeCode: isCommune ? unitCode! : parent!,
			operatorCode: operatorCode!,
			householdsTotal: total!,
			householdsPassed: passed!,
			householdsConnected: connected!
		}
	};
}

/** The reform mapping: `old_province_code,old_province_name,old_commune_code,old_commune_name,new_province_code,new_province_name,new_commune_code,new_commune_name,merge_type`. */
export const CROSSWALK_FIELDS: readonly FieldSpec[] = [
	{ field: 'oldProvinceCode', aliases: ['old_province_code'], required: false },
	{ field: 'oldCode', aliases: ['old_commune_code', 'old_code'], required: true },
	{ field: 'oldName', aliases: ['old_commune_name', 'old_name'], required: false },
	{ field: 'newProvinceCode', aliases: ['new_province_code'], required: false },
	{ field: 'newCode', aliases: ['new_commune_code', 'new_code'], required: true },
	{ field: 'newName', aliases: ['new_commune_name', 'new_name'], required: false },
	{ field: 'mergeType', aliases: ['merge_type'], required: true }
];

export interface CrosswalkRecord {
	oldCode: string;
	oldName: string | null;
	oldProvinceCode: string | null;
	newCode: string;
	newName: string | null;
	newProvinceCode: string | null;
	mergeType: 'full' | 'partial';
}

const COMMUNE_CODE = /^\d{5}$/;

/** Reads one crosswalk row: five-digit GSO commune codes and a merge type of full or partial. */
export function readCrosswalkRow(
	values: readonly string[],
	columns: ColumnMap,
	where: { row: number; line: number },
	options: { decimalComma: boolean }
): { record: CrosswalkRecord } | { issues: ImportIssue[] } {
	const r = new RowReader(values, columns, where, options);
	const oldCode = r.required('oldCode', r.raw('oldCode'));
	const newCode = r.required('newCode', r.raw('newCode'));
	for (const [field, code] of [['oldCode', oldCode], ['newCode', newCode]] as const) {
		if (code !== null && !COMMUNE_CODE.test(code)) r.fail(field, 'must be a five-digit GSO commune code');
	}
	const mergeType = r.required('mergeType', r.raw('mergeType'));
	if (mergeType !== null && mergeType !== 'full' && mergeType !== 'partial') r.fail('mergeType', 'must be "full" or "partial"');
	if (r.issues.length > 0) return { issues: r.issues };
	return {
		record: {
			oldCode: oldCode!,
			oldName: r.raw('oldName'),
			oldProvinceCode: r.raw('oldProvinceCode'),
			newCode: newCode!,
			newName: r.raw('newName'),
			newProvinceCode: r.raw('newProvinceCode'),
			mergeType: mergeType as 'full' | 'partial'
		}
	};
}
