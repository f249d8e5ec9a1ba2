import { sql } from 'drizzle-orm';
import type { Bbox } from '../api/params';
import type { ScorecardRow } from '../coverage/payload';
import { reportTimeline, type TimelineBucket } from '../coverage/report-timeline';
import { ANY_OPERATOR, coverKey, SCORED_TECHNOLOGIES, type ScoredTechnology } from '../coverage/scorecard';
import { cachePerDatabase, readDataVersion } from './data-version';
import type { Database } from './db/index';
import { scorecardRow } from './scorecard-export';
import { communeScorecards, type BoundarySet, type Scorecard } from './scorecards';
import { readSettings } from './settings';

/**
 * One commune's page and API answer: its scorecard beside its province's, coverage per operator
 * and technology, its outline, and its reports over time in buckets of ≥ k reporters
 * (src/lib/coverage/report-timeline.ts). Aggregates only.
 */

export interface OperatorCoverage {
	/** An operator code, or '*' for the best of them. */
	operator: string;
	technology: ScoredTechnology;
	households: number;
	/** Of the commune's households; null without households. */
	share: number | null;
}

export interface CommuneDetail {
	set: BoundarySet;
	operators: string[];
	minReporters: number;
	vintage: { version: string; day: string };
	/** How many communes the rank is among. */
	communes: number;
	scorecard: ScorecardRow;
	province: ScorecardRow | null;
	coverage: OperatorCoverage[];
	/** The commune's outline (the 2025 successors' for a pre-2025 commune without a polygon), simplified. */
	outline: GeoJSON.Feature;
	bbox: Bbox;
	/** Reports over time, every bucket made by ≥ k distinct reporters; in the 2025 successors for a pre-2025 commune without a polygon. */
	reports: TimelineBucket[];
	speedTargetMbps: number;
}

/** Households covered per operator view and technology (the counts every view of a scorecard carries). */
export function coverageOf(s: Scorecard, operators: readonly string[]): OperatorCoverage[] {
	return [...operators, ANY_OPERATOR].flatMap((operator) =>
		SCORED_TECHNOLOGIES.map((technology) => {
			const households = s.counts.coveredHouseholds[coverKey(operator, technology)] ?? 0;
			return { operator, technology, households: Math.round(households), share: s.counts.households > 0 ? Math.round((households / s.counts.households) * 10_000) / 10_000 : null };
		})
	);
}

const timelineCache = cachePerDatabase<TimelineBucket[]>(64);

/** Reports in the polygons of `codes` (of `polygonSet`) per month and reporter, bucketed to ≥ k reporters; kept per reports and communes version. */
async function reportsOver(db: Database, polygonSet: BoundarySet, codes: readonly string[], minReporters: number): Promise<TimelineBucket[]> {
	const version = await readDataVersion(db, ['reports', 'communes']);
	return timelineCache(db).get(`${polygonSet}:${codes.join(',')}:k${minReporters}`, version, async () => {
		// A reporter is one device key, or one import file (issue 10's rule); months in Vietnam's time.
		const rows = await db.rows<{ month: string; reporter: string; kind: string; reports: number }>(sql`
			select to_char(r.observed_at at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM') as month,
				coalesce(r.reporter_key, 'import:' || r.import_id::text, 'report:' || r.id::text) as reporter,
				r.source_kind as kind, count(*)::int as reports
			from communes c join signal_reports r on ST_Intersects(c.geom, r.geom)
			where c.boundary_set = ${polygonSet} and c.code = any(${`{${codes.join(',')}}`}::text[])
			group by 1, 2, 3`);
		return reportTimeline(rows, minReporters);
	});
}

/** The commune `code` of `set`, or null when no such commune is loaded. */
export async function communeDetail(db: Database, { code, set }: { code: string; set: BoundarySet }, minReporters: number): Promise<CommuneDetail | null> {
	const [scorecards, settings] = await Promise.all([communeScorecards(db, { set, operator: ANY_OPERATOR }, minReporters), readSettings(db)]);
	const found = scorecards.scorecards.find((s) => s.code === code);
	if (!found) return null;
	const target = settings['speed.target_download_mbps'];
	const province = scorecards.provinces.find((p) => p.code === found.provinceCode) ?? null;
	// A pre-2025 commune carried through the crosswalk has no polygon of its own: draw its successors.
	const polygonSet: BoundarySet = found.viaCrosswalk ? '2025' : set;
	const codes = found.viaCrosswalk ? found.successors : [code];
	const [shape] = await db.rows<{ geometry: string; w: number; s: number; e: number; n: number }>(sql`
		select ST_AsGeoJSON(ST_SimplifyPreserveTopology(ST_Union(geom), 0.0002), 5) as geometry,
			ST_XMin(ST_Extent(geom)) as w, ST_YMin(ST_Extent(geom)) as s, ST_XMax(ST_Extent(geom)) as e, ST_YMax(ST_Extent(geom)) as n
		from communes where boundary_set = ${polygonSet} and code = any(${`{${codes.join(',')}}`}::text[])`);
	return {
		set,
		operators: scorecards.operators,
		minReporters,
		vintage: scorecards.vintage,
		communes: scorecards.scorecards.length,
		scorecard: scorecardRow(found, scorecards.operators, target),
		province: province ? scorecardRow(province, scorecards.operators, target) : null,
		coverage: coverageOf(found, scorecards.operators),
		outline: { type: 'Feature', geometry: JSON.parse(shape.geometry), properties: { code, name: found.name, successors: codes } },
		bbox: [Number(shape.w), Number(shape.s), Number(shape.e), Number(shape.n)],
		reports: await reportsOver(db, polygonSet, codes, minReporters),
		speedTargetMbps: target
	};
}
