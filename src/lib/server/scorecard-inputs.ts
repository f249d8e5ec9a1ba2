import { sql } from 'drizzle-orm';
import { ANY_OPERATOR, type CommuneFacts } from '../coverage/scorecard';
import { cellOfPosition, cellsWithinKm } from '../grid/h3';
import type { AnalysisVersions } from './analysis-versions';
import { isoDay, measuredCellsVersion, storedCells } from './coverage-cells';
import { cachePerDatabase, readDataVersion } from './data-version';
import type { Database } from './db/index';
import type { HouseholdLayer } from './households';
import { villageStatuses } from './villages';

/**
 * What commune scorecards count besides the cells' estimates (src/lib/server/scorecards.ts):
 * towers' reach, villages, fiber, speeds and the last report, per commune of a boundary set.
 */

export type BoundarySet = '2025' | 'pre2025';

const nearCache = cachePerDatabase<Set<string>>(4);

/** The res-9 cells within `km` of a tower of any operator, kept per towers version. */
export async function cellsNearTowers(db: Database, km: number): Promise<Set<string>> {
	const version = await readDataVersion(db, ['towers']);
	return nearCache(db).get(`near:${km}`, version, async () => {
		const near = new Set<string>();
		const towers = await db.rows<{ lng: number; lat: number }>(sql`select distinct ST_X(geom) as lng, ST_Y(geom) as lat from towers`);
		for (const t of towers) for (const c of cellsWithinKm([t.lng, t.lat], km)) near.add(c);
		return near;
	});
}

/** Village statuses per view and commune (the commune whose polygon holds the village's centre). */
export async function villagesByCommune(db: Database, layer: HouseholdLayer, cellSet: BoundarySet, views: string[], minReporters: number, versions: AnalysisVersions) {
	const out = new Map<string, Map<string, CommuneFacts['villages'][number][]>>();
	for (const view of views) {
		const byCommune = new Map<string, CommuneFacts['villages'][number][]>();
		for (const v of await villageStatuses(db, { operator: view === ANY_OPERATOR ? null : view, minReporters }, { versions })) {
			const code = layer.communesOf.get(cellOfPosition(v.position))?.find((r) => r.set === cellSet)?.code ?? (v.boundarySet === cellSet ? v.communeCode : null);
			if (code === null) continue;
			(byCommune.get(code) ?? byCommune.set(code, []).get(code)!).push({ status: v.evidence.status, hasPower: v.hasPower });
		}
		out.set(view, byCommune);
	}
	return out;
}

/**
 * Fiber per view and 2025 commune. One operator: its households passed and connected. Any
 * operator, per reporting unit: the largest total; connections summed (a household takes one line)
 * up to the total; households passed at least the most any operator passes and at least the
 * connected ones (a lower bound: who is passed by two operators is not known).
 */
export async function fiberByCommune(db: Database, views: string[]) {
	const rows = await db.rows<{ commune_code: string; unit: string; operator_code: string; total: number; passed: number; connected: number }>(sql`
		select commune_code, unit_kind || ':' || unit_code as unit, operator_code, households_total as total, households_passed as passed, households_connected as connected from fiber_coverage`);
	const out = new Map<string, Map<string, { total: number; passed: number; connected: number }>>();
	const add = (view: string, commune: string, f: { total: number; passed: number; connected: number }) => {
		const byCommune = out.get(view) ?? out.set(view, new Map()).get(view)!;
		const sum = byCommune.get(commune) ?? { total: 0, passed: 0, connected: 0 };
		byCommune.set(commune, { total: sum.total + f.total, passed: sum.passed + f.passed, connected: sum.connected + f.connected });
	};
	const units = new Map<string, { commune: string; total: number; passed: number; connected: number }>();
	for (const r of rows) {
		if (views.includes(r.operator_code)) add(r.operator_code, r.commune_code, r);
		const u = units.get(r.unit) ?? { commune: r.commune_code, total: 0, passed: 0, connected: 0 };
		u.total = Math.max(u.total, r.total);
		u.passed = Math.max(u.passed, r.passed);
		u.connected += r.connected;
		units.set(r.unit, u);
	}
	for (const u of units.values()) {
		const connected = Math.min(u.connected, u.total);
		add(ANY_OPERATOR, u.commune, { total: u.total, passed: Math.max(u.passed, connected), connected });
	}
	return out;
}

/** Each commune's median 4G download: the report-weighted median of its measured cells' medians, every operator's. */
export async function medianDownloadByCommune(db: Database, layer: HouseholdLayer, cellSet: BoundarySet, operators: readonly string[]): Promise<Map<string, number>> {
	const byCommune = new Map<string, { mbps: number; reports: number }[]>();
	const version = await measuredCellsVersion(db);
	for (const op of operators)
		for (const c of await storedCells(db, 9, op, '4G', version)) {
			if (c.medianDownloadMbps === null) continue;
			const code = layer.communesOf.get(c.h3)?.find((r) => r.set === cellSet)?.code;
			if (code) (byCommune.get(code) ?? byCommune.set(code, []).get(code)!).push({ mbps: c.medianDownloadMbps, reports: c.reports });
		}
	const out = new Map<string, number>();
	for (const [code, list] of byCommune) {
		list.sort((a, b) => a.mbps - b.mbps);
		const half = list.reduce((s, x) => s + x.reports, 0) / 2;
		let seen = 0;
		for (const x of list) if ((seen += x.reports) >= half) {
			out.set(code, x.mbps);
			break;
		}
	}
	return out;
}

export function lastReportByCommune(lastDay: ReadonlyMap<string, number>, layer: HouseholdLayer, cellSet: BoundarySet): Map<string, string> {
	const best = new Map<string, number>();
	for (const [h3, day] of lastDay) {
		const code = layer.communesOf.get(h3)?.find((r) => r.set === cellSet)?.code;
		if (code && day > (best.get(code) ?? -Infinity)) best.set(code, day);
	}
	return new Map([...best].map(([code, day]) => [code, isoDay(day)]));
}
