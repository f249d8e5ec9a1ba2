import { sql } from 'drizzle-orm';
import { cellToBoundary } from 'h3-js';
import type { Bbox } from '../api/params';
import { ANY_OPERATOR } from '../coverage/scorecard';
import { writeTable, type ColumnType, type OpenColumn, type OpenFormat, type OpenMetadata, type OpenTable } from '../open-data/table';
import { readAnalysisVersions } from './analysis-versions';
import { measuredCellsInBbox } from './coverage-cells';
import { cachePerDatabase } from './data-version';
import { deadZonesInBbox } from './dead-zones';
import type { Database } from './db/index';
import { bestCellsInBbox } from './fused-api';
import { scorecardTable } from './scorecard-export';
import { communeScorecards, scorecardsVersion } from './scorecards';
import { readSettings } from './settings';
import { villagesInBbox } from './villages';

/**
 * The open-data package (`/open-data`, `/api/open-data/<dataset>.<csv|geojson|parquet>`): the
 * public aggregates — measured and fused cells at H3 res 8 from ≥ k reporters, the public dead
 * zones, village statuses and the commune scorecards — each with its vintage, licence and rules,
 * the same figures the public API serves. Built once per data version, kept encoded.
 */

export const OPEN_DATASETS = ['measured-cells', 'best-cells', 'dead-zones', 'villages', 'scorecards'] as const;
export type OpenDataset = (typeof OPEN_DATASETS)[number];

/** The figures' licence; the boundaries' own licence is in the attribution. */
export const OPEN_LICENCE = { name: 'CC-BY-4.0', path: 'https://creativecommons.org/licenses/by/4.0/', title: 'Creative Commons Attribution 4.0' };
const ATTRIBUTION = 'Phủ Sóng open data (CC BY 4.0). Commune boundaries: lamngockhuong/vietnam-3d-map (MIT), from gis.vn and sapnhap.bando.com.vn. Crosswalk: dvhcvn/20250701 (MIT).';
const WORLD: Bbox = [-180, -90, 180, 90];

const TITLES: Record<OpenDataset, { title: string; description: string }> = {
	'measured-cells': { title: 'Measured coverage per H3 cell (res 8)', description: 'Signal reports aggregated per H3 resolution-8 cell, operator and technology (* = any): counts, median and 10th-percentile signal, class and confidence.' },
	'best-cells': { title: 'Best estimate of coverage per H3 cell (res 8)', description: 'The fused best estimate (measured, else predicted, else declared) per H3 resolution-8 cell, operator (* = best of them) and technology (* = any, 4G), with the source that decided.' },
	'dead-zones': { title: 'Dead zones (public, from res-8 cells)', description: 'Connected populated H3 cells without usable service, per operator or where no operator serves (operator *), with households and area.' },
	villages: { title: 'Villages by signal status', description: 'Villages (thôn, bản) with their status: trắng sóng (no signal at the centre), lõm sóng (clusters of households without signal), có sóng.' },
	scorecards: { title: 'Commune scorecards (2025 units, any operator)', description: 'Per commune: households covered per operator and technology, fiber, dead zones, villages, reports, evidence freshness and the priority rank.' }
};

export interface OpenDataSummary {
	dataset: OpenDataset;
	title: string;
	description: string;
	rows: number;
	columns: OpenColumn[];
}

const typeOf = (values: readonly unknown[]): ColumnType => {
	const v = values.find((x) => x !== null && x !== undefined);
	return typeof v === 'boolean' ? 'BOOLEAN' : typeof v === 'number' ? 'DOUBLE' : 'STRING';
};

/** Columns typed from the rows' values (a column of nulls is text). */
function columnsOf(rows: readonly Record<string, unknown>[], names: readonly string[], describe: (name: string) => string): OpenColumn[] {
	return names.map((name) => ({ name, type: typeOf(rows.map((r) => r[name])), description: describe(name) }));
}

type Row = Record<string, string | number | boolean | null>;

const cellPolygon = (h3: string): GeoJSON.Polygon => {
	const ring = cellToBoundary(h3, true).map(([lng, lat]) => [Math.round(lng * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6]);
	return { type: 'Polygon', coordinates: [ring] };
};

const tables = cachePerDatabase<OpenTable>(OPEN_DATASETS.length);
const files = cachePerDatabase<string | Uint8Array>(OPEN_DATASETS.length * 3);

/** The version token the package rests on (and answers with as its ETag). */
export const openDataVersion = async (db: Database) => (await scorecardsVersion(db)).token;

/** One dataset as a table, kept per data version. */
export async function openTable(db: Database, dataset: OpenDataset, minReporters: number): Promise<OpenTable> {
	const version = await openDataVersion(db);
	return tables(db).get(`${dataset}:k${minReporters}`, version, () => buildTable(db, dataset, minReporters, version));
}

/** One dataset in one format, kept encoded per data version. */
export async function openFile(db: Database, dataset: OpenDataset, format: OpenFormat, minReporters: number): Promise<{ body: string | Uint8Array; version: string }> {
	const version = await openDataVersion(db);
	const body = await files(db).get(`${dataset}.${format}:k${minReporters}`, version, async () => writeTable(await openTable(db, dataset, minReporters), format));
	return { body, version };
}

async function buildTable(db: Database, dataset: OpenDataset, k: number, version: string): Promise<OpenTable> {
	const settings = await readSettings(db);
	const scorecards = await communeScorecards(db, { set: '2025', operator: ANY_OPERATOR }, k);
	const metadata = (rules: string[]): OpenMetadata => ({
		dataset,
		...TITLES[dataset],
		vintage: { version, day: scorecards.vintage.day },
		licence: OPEN_LICENCE,
		attribution: ATTRIBUTION,
		rules: [`Only measurements from at least ${k} distinct reporters (PUBLIC_MIN_REPORTERS) are used; nothing finer than H3 resolution 8; no reporter, contact or exact position.`, ...rules],
		synthetic: scorecards.scorecards.some((s) => s.synthetic)
	});
	const operators = scorecards.operators;
	const rows: Row[] = [];
	const geometries: GeoJSON.Geometry[] = [];
	let rules: string[] = [];
	let names: string[];

	if (dataset === 'measured-cells') {
		const keys = await db.rows<{ operator_code: string; technology: string }>(sql`select distinct operator_code, technology from measured_cells where res = 8 order by 1, 2`);
		for (const key of keys) {
			const p = await measuredCellsInBbox(db, WORLD, { res: 8, operator: key.operator_code === '*' ? null : key.operator_code, technology: key.technology === '*' ? null : key.technology, caller: null, publicMinReporters: k });
			p.cells.forEach((h3, i) => {
				rows.push({ h3, operator: key.operator_code, technology: key.technology, class: p.class[i], confidence: p.confidence[i], reports: p.reports[i], reporters: p.reporters[i], median_dbm: p.medianDbm[i], p10_dbm: p.p10Dbm[i], dead_share: p.deadShare[i], median_download_mbps: p.medianDownloadMbps[i], median_upload_mbps: p.medianUploadMbps[i], first_observed: p.firstObserved[i], last_observed: p.lastObserved[i] });
				geometries.push(cellPolygon(h3));
			});
		}
		names = ['h3', 'operator', 'technology', 'class', 'confidence', 'reports', 'reporters', 'median_dbm', 'p10_dbm', 'dead_share', 'median_download_mbps', 'median_upload_mbps', 'first_observed', 'last_observed'];
		rules = [`Classes: good ≥ ${settings['signal.rsrp.good_dbm']} dBm RSRP, fair ≥ ${settings['signal.rsrp.fair_dbm']}, poor ≥ ${settings['signal.rsrp.poor_dbm']}, else dead (4G/5G; see /admin/settings for 2G/3G).`, `Confidence grows with reporters and days and halves every ${settings['measured.half_life_days']} days.`];
	} else if (dataset === 'best-cells') {
		for (const operator of [...operators, null])
			for (const technology of [null, '4G']) {
				const p = await bestCellsInBbox(db, WORLD, { res: 8, operator, technology, minReporters: k });
				p.cells.forEach((h3, i) => {
					rows.push({ h3, operator: operator ?? '*', technology: technology ?? '*', class: p.class[i], decided_by: p.decidedBy[i], reason: p.reason[i], confidence: p.confidence[i], dbm: p.dbm[i], best_operator: p.bestOperator[i] });
					geometries.push(cellPolygon(h3));
				});
			}
		names = ['h3', 'operator', 'technology', 'class', 'decided_by', 'reason', 'confidence', 'dbm', 'best_operator'];
		rules = ['Measured where its confidence passes fusion.measured_min_confidence, else the calibrated prediction, else the operator’s declared map (FCC 5G Fund rule: most res-11 centres inside).'];
	} else if (dataset === 'dead-zones') {
		const versions = await readAnalysisVersions(db);
		for (const operator of [null, ...operators]) {
			const zones = await deadZonesInBbox(db, WORLD, { res: 8, operator, minReporters: k, publicMinReporters: k }, versions);
			for (const f of zones.features) {
				const z = f.properties;
				rows.push({ operator: operator ?? '*', zone_id: z.id, cells: z.cellCount, area_km2: z.areaKm2, households: z.households, population: z.population, communes: z.communes.map((c) => c.code).join(' '), open_reports: z.openReports, open_reporters: z.openReporters, dominant_source: z.dominantSource, poor_cells: z.poorCells, dead_cells: z.deadCells });
				geometries.push(f.geometry);
			}
		}
		names = ['operator', 'zone_id', 'cells', 'area_km2', 'households', 'population', 'communes', 'open_reports', 'open_reporters', 'dominant_source', 'poor_cells', 'dead_cells'];
		rules = ['A dead zone: edge-connected populated res-8 cells whose best estimate is poor or dead; households are estimated per cell (dasymetric). Open reports are shown only when at least k people sent them.'];
	} else if (dataset === 'villages') {
		const villages = await villagesInBbox(db, WORLD, { operator: null, minReporters: k });
		for (const f of villages.features) {
			const v = f.properties;
			rows.push({ village_id: v.id, name: v.name, commune_code: v.communeCode, commune_name: v.communeName, households: v.households, has_power: v.hasPower, status: v.status, official_status: v.officialStatus, agrees_with_official: v.agreesWithOfficial, centre_class: v.centreClass, centre_source: v.centreSource, unserved_households: v.unservedHouseholds, best_operator: v.bestOperator, synthetic: v.synthetic });
			geometries.push(f.geometry);
		}
		names = ['village_id', 'name', 'commune_code', 'commune_name', 'households', 'has_power', 'status', 'official_status', 'agrees_with_official', 'centre_class', 'centre_source', 'unserved_households', 'best_operator', 'synthetic'];
		rules = [`trắng sóng: no usable service at the village centre; lõm sóng: centre served but at least ${settings['village.lom_min_households']} households within ${settings['village.radius_km']} km unserved (DOMAIN.md, Công văn 1603/BTTTT-CVT, unverified).`];
	} else {
		const table = scorecardTable(scorecards, { province: null, q: null, sort: 'priority_rank', order: 'asc' }, settings['speed.target_download_mbps']);
		const outlines = new Map(
			(await db.rows<{ code: string; geometry: string }>(sql`select code, ST_AsGeoJSON(ST_SimplifyPreserveTopology(geom, 0.0005), 5) as geometry from communes where boundary_set = '2025'`)).map((r) => [r.code, JSON.parse(r.geometry) as GeoJSON.Geometry])
		);
		for (const r of table.rows) {
			rows.push(Object.fromEntries(table.columns.map((c) => [c, (r as unknown as Row)[c] ?? null])));
			geometries.push(outlines.get(r.commune_code)!);
		}
		names = table.columns;
		rules = ['Covered: households in res-9 cells whose best estimate is good or fair. Priority score = unserved households + priority.remote_weight × unserved households farther than priority.remote_km from every tower.'];
	}
	return { metadata: metadata(rules), columns: columnsOf(rows, names, (n) => COLUMN_NOTES[n] ?? n.replaceAll('_', ' ')), rows, geometries };
}

/** Descriptions (with units) of the columns a reader most needs; the rest are named plainly. */
const COLUMN_NOTES: Record<string, string> = {
	h3: 'H3 cell index (resolution 8, ~0.74 km²)',
	operator: 'operator code (viettel, vnpt, mobifone…); * = any / best of them',
	technology: '2G, 3G, 4G, 5G; * = any',
	class: 'good, fair, poor or dead (thresholds in the rules)',
	confidence: 'confidence of the evidence in [0, 1]',
	reporters: 'distinct reporters (device keys, accounts or import files)',
	median_dbm: 'median signal (RSRP for 4G/5G, RSSI/RSCP for 2G/3G), dBm',
	p10_dbm: '10th-percentile signal, dBm',
	dead_share: 'share of reports with no service',
	median_download_mbps: 'median download, Mbit/s',
	households: 'households (estimated per cell, dasymetric)',
	area_km2: 'area, km²',
	covered_share: 'share of households covered (best estimate good or fair), any technology',
	priority_rank: 'rank by priority score (1 = first)',
	status: 'trang_song, lom_song or co_song'
};

/** What the open-data page lists: each dataset's title, row count and columns. */
export async function openDataSummary(db: Database, minReporters: number): Promise<{ version: string; day: string; synthetic: boolean; datasets: OpenDataSummary[] }> {
	const datasets: OpenDataSummary[] = [];
	let day = '';
	let synthetic = false;
	for (const dataset of OPEN_DATASETS) {
		const t = await openTable(db, dataset, minReporters);
		day = t.metadata.vintage.day;
		synthetic ||= t.metadata.synthetic;
		datasets.push({ dataset, title: t.metadata.title, description: t.metadata.description, rows: t.rows.length, columns: t.columns });
	}
	return { version: await openDataVersion(db), day, synthetic, datasets };
}

/** A Frictionless Data Package (datapackage.json) describing every file of the package. */
export async function dataPackage(db: Database, minReporters: number, origin: string) {
	const summary = await openDataSummary(db, minReporters);
	return {
		name: 'phu-song-coverage',
		title: 'Phủ Sóng — public mobile coverage aggregates',
		version: summary.version,
		created: summary.day,
		licenses: [OPEN_LICENCE],
		sources: [{ title: 'Phủ Sóng', path: `${origin}/open-data` }],
		description: `${ATTRIBUTION}${summary.synthetic ? ' Contains the SYNTHETIC demo province: not real measurements.' : ''}`,
		resources: summary.datasets.flatMap((d) =>
			(['csv', 'geojson', 'parquet'] as const).map((format) => ({
				name: `${d.dataset}-${format}`,
				path: `${origin}/api/open-data/${d.dataset}.${format}`,
				format,
				title: d.title,
				description: d.description,
				schema: { fields: d.columns.map((c) => ({ name: c.name, type: c.type === 'STRING' ? 'string' : c.type === 'BOOLEAN' ? 'boolean' : 'number', description: c.description })) }
			}))
		)
	};
}
