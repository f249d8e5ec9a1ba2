import { latLngToCell } from 'h3-js';
import { CellGrid } from '../propagation/cell-grid';
import { bestServer, predictSite, type LevelAt } from '../propagation/predict';
import type { Terrain } from '../propagation/terrain';
import { createRandom } from '../random/prng';
import type { Settings } from '../settings/definitions';
import type { Technology } from '../signal/classes';
import { shadowingField } from './fields';
import type { DemoReport, DemoReportDraft, DemoTower } from './generate';

/**
 * The SYNTHETIC demo's signal: what a report measures is the propagation model's best-server level
 * at its place (src/lib/propagation/, the same model the predicted layer stores) plus what the model
 * cannot know — spatially correlated shadowing (σ ≈ 8 dB, DOMAIN.md) — plus a per-operator offset
 * (the real network's budgets differ from our defaults: calibration has something to find) and a
 * little measurement noise. So demo reports and predictions agree where they should, and differ
 * the way real ones do. Pure.
 */

export type { LevelAt };

/** SYNTHETIC offsets (dB) of each demo operator's real levels from the default link budget. */
export const DEMO_OPERATOR_OFFSET_DB: Record<string, number> = { viettel: 2, vnpt: -4, mobifone: -2 };
/** Shadowing of the demo: σ and correlation distance (DOMAIN.md: 6–10 dB, tens to hundreds of metres). */
const SHADOWING = { sigmaDb: 8, correlationM: 400 };
/** A handset's reading is itself noisy (a few dB between two readings at one place). */
const READING_SD_DB = 2;
/** Below these a handset shows no service (demo judgement: RSRP −125, RSSI −105 dBm). */
const NO_SERVICE_BELOW_DBM = { rsrp: -125, rssi: -105 };

/** The level model of the demo's towers computed in memory (tests; the seed reads the stored layer). */
export function predictedLevels(towers: readonly DemoTower[], grid: CellGrid, settings: Settings, terrain: Terrain | null): LevelAt {
	const groups = new Map<string, Float64Array>();
	const keys = new Set(towers.flatMap((t) => t.technologies.map((tech) => `${t.operatorCode}|${tech}`)));
	for (const key of keys) {
		const [op, tech] = key.split('|') as [string, Technology];
		const sites = towers.filter((t) => t.operatorCode === op && t.technologies.includes(tech)).sort((a, b) => (a.siteCode < b.siteCode ? -1 : 1));
		const ctx = { technology: tech, operatorCode: op, settings, settlementOf: () => 'rural' as const, terrain };
		const best = bestServer(grid.size, sites.map((t, n) => [n, predictSite({ id: t.siteCode, position: t.position, antennaHeightM: t.antennaHeightM }, ctx, grid)] as const));
		groups.set(key, best.dbm);
	}
	return (op, tech, cell) => {
		const levels = groups.get(`${op}|${tech}`);
		const i = grid.indexOf(cell);
		return levels && i >= 0 && !Number.isNaN(levels[i]) ? levels[i] : null;
	};
}

/** Bars a phone shows for an RSRP (typical Android mapping). */
function barsFromRsrp(rsrpDbm: number | null): number {
	if (rsrpDbm == null) return 0;
	if (rsrpDbm >= -85) return 5;
	if (rsrpDbm >= -95) return 4;
	if (rsrpDbm >= -105) return 3;
	if (rsrpDbm >= -112) return 2;
	return 1;
}

/**
 * Fills in what each draft measures: its preferred technology where the operator's sites reach,
 * else the next one a phone falls back to (4G, 3G, 2G); no service where none does or the level is
 * below what a handset shows.
 */
export function levelReports(drafts: readonly DemoReportDraft[], levelAt: LevelAt, { seed, bbox }: { seed: number; bbox: [number, number, number, number] }): DemoReport[] {
	const random = createRandom(seed + 17);
	const shadows = new Map(Object.keys(DEMO_OPERATOR_OFFSET_DB).map((op, i) => [op, shadowingField(seed + 31 * (i + 1), bbox, SHADOWING.sigmaDb, SHADOWING.correlationM)]));
	return drafts.map((d) => {
		const cell = latLngToCell(d.position[1], d.position[0], 9);
		let technology: Technology | null = null;
		let level: number | null = null;
		for (const tech of [d.preferred, '4G', '3G', '2G'] as Technology[]) {
			level = levelAt(d.operatorCode, tech, cell);
			if (level !== null) {
				technology = tech;
				break;
			}
		}
		const legacy = technology === '2G' || technology === '3G';
		const reading =
			level === null ? null : level + (DEMO_OPERATOR_OFFSET_DB[d.operatorCode] ?? 0) + (shadows.get(d.operatorCode)?.(d.position[0], d.position[1]) ?? 0) + random.normal(0, READING_SD_DB);
		const noService = reading === null || reading < (legacy ? NO_SERVICE_BELOW_DBM.rssi : NO_SERVICE_BELOW_DBM.rsrp);
		if (noService) technology = null;
		const dbm = noService ? null : Math.round(Math.min(legacy ? -51 : -44, reading!));
		// What the phone's bars and speeds follow: RSRP, or the RSSI shifted onto the RSRP scale (~28 dB apart).
		const rsrpLike = dbm === null ? null : legacy ? dbm - 28 : dbm;
		const goodput = rsrpLike == null ? 0 : Math.max(0.1, (rsrpLike + 125) * (technology === '5G' ? 4 : legacy ? 0.1 : 1.2));
		const app = d.sourceKind === 'app' && !noService;
		return {
			sourceKind: d.sourceKind,
			operatorCode: d.operatorCode,
			technology,
			// Residents report what the phone shows (bars); apps and drive tests log dBm.
			rsrpDbm: d.sourceKind === 'resident' || legacy ? null : dbm,
			rssiDbm: d.sourceKind !== 'resident' && legacy ? dbm : null,
			signalBars: d.sourceKind === 'resident' ? (noService ? 0 : barsFromRsrp(rsrpLike)) : null,
			noService,
			downloadMbps: app ? Math.round(goodput * random.uniform(0.5, 1.2) * 10) / 10 : null,
			uploadMbps: app ? Math.round(goodput * random.uniform(0.1, 0.35) * 10) / 10 : null,
			latencyMs: app ? Math.round(random.uniform(25, 60) + (legacy ? 120 : 0)) : null,
			observedAt: d.observedAt,
			accuracyM: d.accuracyM,
			position: d.position,
			reporterKey: d.reporterKey
		};
	});
}

/** The res-9 cells around a demo's towers (tests: where the in-memory model is computed). */
export const gridAround = (towers: readonly DemoTower[], rangeM: number) => new CellGrid(towers.flatMap((t) => CellGrid.around(t.position, rangeM).cells));
