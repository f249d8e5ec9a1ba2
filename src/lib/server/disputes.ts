import { sql } from 'drizzle-orm';
import { strToU8, zipSync } from 'fflate';
import type { SessionUser } from '../auth/roles';
import { coverSheet, disputeCsv, disputeGeoJson, type DisputeRecord, type PackageInfo } from '../coverage/dispute-package';
import { TECHNOLOGIES } from '../signal/classes';
import { isoDay } from './coverage-cells';
import type { Database } from './db/index';
import { fusedVersion } from './fused';
import { disputedRows, disputeFlags } from './fused-api';
import { readDemoProvinces } from './meta';
import { readSettings } from './settings';

/**
 * Who may read disputes: planners and admins, for any operator or all; an operator liaison only
 * for its own operator (named). Returns why not, or null when allowed.
 */
export function mayReadDisputes(user: SessionUser | null, operator: string | null): { status: 401 | 403; message: string } | null {
	if (!user) return { status: 401, message: 'disputes are for planners and operator liaisons: sign in' };
	if (user.role === 'planner' || user.role === 'admin') return null;
	if (user.role === 'operator') {
		if (operator === user.operatorCode) return null;
		return { status: 403, message: `operator: a liaison sees its own operator's disputes only; use operator=${user.operatorCode}` };
	}
	return { status: 403, message: 'disputes are for planners and operator liaisons' };
}

/** Every disputed res-9 cell of `operator`, per technology, as the package lists them. */
export async function disputeRecords(db: Database, operator: string): Promise<DisputeRecord[]> {
	const version = await fusedVersion(db);
	const out: DisputeRecord[] = [];
	for (const technology of TECHNOLOGIES) {
		for (const r of await disputedRows(db, { res: 9, operator, technology, version })) {
			out.push({
				cell: r.h3,
				operator,
				technology,
				flags: disputeFlags(r),
				declaredCovered: r.declared,
				declaredShare: r.declaredShare === null ? null : Math.round(r.declaredShare * 1000) / 1000,
				predictedClass: r.predicted?.class ?? null,
				predictedDbm: r.predicted?.dbm ?? null,
				measuredClass: r.measured?.class ?? null,
				confidence: Math.round(r.measuredConfidence * 1000) / 1000,
				reports: r.measured?.reports ?? 0,
				reporters: r.measured?.reporters ?? 0,
				medianDbm: r.measured?.medianDbm ?? null,
				p10Dbm: r.measured?.p10Dbm ?? null,
				deadShare: Math.round((r.measured?.deadShare ?? 0) * 1000) / 1000,
				firstObserved: r.measured ? isoDay(r.measured.firstDay) : '',
				lastObserved: r.measured ? isoDay(r.measured.lastDay) : ''
			});
		}
	}
	return out;
}

async function packageInfo(db: Database, operator: string, now: Date): Promise<PackageInfo> {
	const [settings, demos, names] = await Promise.all([
		readSettings(db),
		readDemoProvinces(db),
		db.rows<{ name: string }>(sql`select name from operators where code = ${operator}`)
	]);
	const provinces = Object.values(demos).map((d) => d.provinceName);
	return {
		operator,
		operatorName: names[0]?.name ?? operator,
		generatedAt: now.toISOString(),
		area: provinces.length > 0 ? provinces.join(', ') : '—',
		synthetic: provinces.length > 0,
		rules: {
			minReporters: settings['dispute.min_reporters'],
			minDays: settings['dispute.min_days'],
			minHoursApart: settings['dispute.min_hours_apart'],
			minConfidence: settings['dispute.min_confidence'],
			declaredMinShare: settings['declared.min_share'],
			windowDays: settings['measured.window_days']
		}
	};
}

export type PackageFormat = 'geojson' | 'csv' | 'zip';

/** The evidence package of `operator` in `format`: its body, content type and file name. */
export async function disputePackage(db: Database, operator: string, format: PackageFormat, now = new Date()): Promise<{ body: Uint8Array | string; contentType: string; fileName: string }> {
	const records = await disputeRecords(db, operator);
	const info = await packageInfo(db, operator, now);
	const stem = `phu-song-disputes-${operator}-${isoDay(Math.floor(now.getTime() / 86_400_000))}`;
	if (format === 'csv') return { body: disputeCsv(records), contentType: 'text/csv; charset=utf-8', fileName: `${stem}.csv` };
	if (format === 'geojson') return { body: disputeGeoJson(records, info), contentType: 'application/geo+json', fileName: `${stem}.geojson` };
	const zip = zipSync({
		'trang-bia.txt': strToU8(coverSheet(records, info, 'vi')),
		'cover-sheet.txt': strToU8(coverSheet(records, info, 'en')),
		'disputes.csv': strToU8(disputeCsv(records)),
		'disputes.geojson': strToU8(disputeGeoJson(records, info))
	});
	return { body: zip, contentType: 'application/zip', fileName: `${stem}.zip` };
}
