import { bbox as turfBbox, booleanPointInPolygon } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import { approxDistanceKm, offsetPosition } from '../grid/distance';
import { createRandom, type Random } from '../random/prng';
import type { Technology } from '../signal/classes';
import type { SignalObservationRecord } from '../signal/observation';
import { buildRoadNetwork, type RoadSegment } from './road-network';

/**
 * Synthetic demo data for one province: towers, households, signal reports and fiber coverage,
 * generated deterministically from a seed around REAL commune boundaries and populations.
 * Nothing here is a real measurement; every row it makes is flagged synthetic when stored.
 */

/** A real commune, as the generator needs it. */
export interface DemoCommuneInput {
	code: string;
	name: string;
	/** "Xã" or "Phường". */
	kind: string;
	population: number;
	areaKm2: number;
	center: [number, number];
	geometry: Polygon | MultiPolygon;
}

export interface DemoOptions {
	seed: number;
	/** How many signal reports to make in the whole province. */
	reportCount: number;
	/** Multiplies the tower count (dense provinces need fewer sites per person in a demo). */
	towerScale: number;
	/** Mountain and border communes that get almost no sites. */
	gapCommuneCodes: readonly string[];
	/** Reports are spread over the 12 months before this instant (fixed, so runs agree). */
	observedUntil: string;
}

export interface DemoTower {
	operatorCode: string;
	siteCode: string;
	technologies: Technology[];
	antennaHeightM: number;
	position: [number, number];
}

export interface DemoReport extends SignalObservationRecord {
	operatorCode: string;
	accuracyM: number;
	reporterKey: string;
}

/** A report before its signal is known: who, where, when and the technology the phone prefers (src/lib/demo/signal.ts measures it). */
export interface DemoReportDraft {
	sourceKind: DemoReport['sourceKind'];
	operatorCode: string;
	preferred: Technology;
	observedAt: string;
	accuracyM: number;
	position: [number, number];
	reporterKey: string;
}

export interface DemoFiber {
	communeCode: string;
	operatorCode: string;
	householdsTotal: number;
	householdsPassed: number;
	householdsConnected: number;
}

export interface DemoProvince {
	households: Map<string, number>;
	towers: DemoTower[];
	reportDrafts: DemoReportDraft[];
	fiber: DemoFiber[];
	roads: RoadSegment[];
	villages: DemoVillage[];
}

/** A SYNTHETIC village (thôn, bản, tổ dân phố) with a SYNTHETIC register status. */
export interface DemoVillage {
	name: string;
	communeCode: string;
	households: number;
	hasPower: boolean;
	/** What a province's register says (synthetic): it lists the complaint hamlets — mostly trắng sóng, a few out of date — and no other village. */
	officialStatus: 'trang_song' | 'lom_song' | 'co_song' | null;
	position: [number, number];
}

/** Residents per site by operator (before `towerScale`); Viettel runs the densest rural grid. */
const RESIDENTS_PER_SITE: Record<string, number> = { viettel: 4000, vnpt: 6500, mobifone: 9000 };
/** Market share among reporters in the northern uplands (synthetic, roughly Viettel-led). */
const REPORT_SHARE: Record<string, number> = { viettel: 0.55, vnpt: 0.27, mobifone: 0.18 };
/** Average household size: about 3.4 in towns and 3.9 in rural communes (2019 census, northern uplands). */
const HOUSEHOLD_SIZE = { urban: 3.4, rural: 3.9 };

/** Gap communes' hamlets that complain (synthetic): how many, how spread, what share of the commune's non-drive reports. */
const HAMLETS_PER_GAP_COMMUNE = 12;
const HAMLET_SD_KM = 0.15;
const HAMLET_SHARE = 0.7;
/** Of all demo reports, the share that are complaints from gap communes' hamlets (on top of their ordinary share). */
const COMPLAINT_SHARE = 0.1;

interface PreparedCommune extends DemoCommuneInput {
	bbox: [number, number, number, number];
	urban: boolean;
	gap: boolean;
	households: number;
}

/** Generates the whole synthetic layer set for one province. */
export function generateDemoProvince(communes: readonly DemoCommuneInput[], options: DemoOptions): DemoProvince {
	if (communes.length === 0) throw new RangeError('communes must not be empty');
	if (!(options.reportCount >= 0)) throw new RangeError(`reportCount must be ≥ 0, got ${options.reportCount}`);
	const random = createRandom(options.seed);
	const gapCodes = new Set(options.gapCommuneCodes);
	const prepared: PreparedCommune[] = communes.map((c) => {
		const urban = c.kind === 'Phường';
		return {
			...c,
			bbox: turfBbox(c.geometry) as [number, number, number, number],
			urban,
			gap: gapCodes.has(c.code),
			households: Math.round(c.population / (urban ? HOUSEHOLD_SIZE.urban : HOUSEHOLD_SIZE.rural))
		};
	});
	const roads = buildRoadNetwork(prepared.map((c) => c.center));
	const towers = placeTowers(prepared, roads, options.towerScale, random);
	const { drafts: reportDrafts, hamlets } = makeReportDrafts(prepared, roads, towers, options, random);
	const fiber = makeFiber(prepared, random);
	const villages = makeVillages(prepared, roads, hamlets, createRandom(options.seed + 2));
	return { households: new Map(prepared.map((c) => [c.code, c.households])), towers, reportDrafts, fiber, roads, villages };
}

function randomPointInCommune(c: PreparedCommune, random: Random, near?: [number, number], sdKm?: number): [number, number] {
	for (let attempt = 0; attempt < 40; attempt++) {
		const p: [number, number] =
			near && sdKm
				? offsetPosition(near, random.normal(0, sdKm * 1000), random.normal(0, sdKm * 1000))
				: [random.uniform(c.bbox[0], c.bbox[2]), random.uniform(c.bbox[1], c.bbox[3])];
		if (booleanPointInPolygon(p, c.geometry)) return p;
	}
	return c.center;
}

function pointOnRoads(roads: RoadSegment[], random: Random): [number, number] {
	const [a, b] = roads[random.int(0, roads.length - 1)];
	const t = random.next();
	const onRoad: [number, number] = [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
	return offsetPosition(onRoad, random.normal(0, 40), random.normal(0, 40));
}

function roadPointInCommune(c: PreparedCommune, roads: RoadSegment[], random: Random): [number, number] | undefined {
	for (let attempt = 0; attempt < 30; attempt++) {
		const p = pointOnRoads(roads, random);
		if (p[0] >= c.bbox[0] && p[0] <= c.bbox[2] && p[1] >= c.bbox[1] && p[1] <= c.bbox[3] && booleanPointInPolygon(p, c.geometry)) return p;
	}
	return undefined;
}

function placeTowers(communes: PreparedCommune[], roads: RoadSegment[], towerScale: number, random: Random): DemoTower[] {
	const towers: DemoTower[] = [];
	for (const c of communes) {
		const spreadKm = Math.sqrt(c.areaKm2) / 4;
		for (const [operatorCode, residentsPerSite] of Object.entries(RESIDENTS_PER_SITE)) {
			let count = Math.round((c.population / residentsPerSite) * towerScale * (c.urban ? 1.6 : 1));
			if (c.gap) count = operatorCode === 'viettel' ? 1 : random.chance(0.3) && operatorCode === 'vnpt' ? 1 : 0;
			for (let i = 0; i < count; i++) {
				const position =
					i === 0
						? randomPointInCommune(c, random, c.center, 0.4)
						: (random.chance(0.5) && roadPointInCommune(c, roads, random)) || randomPointInCommune(c, random, c.center, spreadKm);
				const technologies: Technology[] = c.gap ? ['2G', '4G'] : ['2G', '3G', '4G'];
				if (c.urban && random.chance(0.6)) technologies.push('5G');
				towers.push({
					operatorCode,
					siteCode: `DEMO-${operatorCode.toUpperCase()}-${c.code}-${String(i + 1).padStart(2, '0')}`,
					technologies,
					antennaHeightM: c.urban ? random.int(25, 36) : random.int(30, 45),
					position
				});
			}
		}
	}
	return towers;
}

function nearestTowerKm(position: [number, number], towers: DemoTower[]): { km: number; tower?: DemoTower } {
	let best: { km: number; tower?: DemoTower } = { km: Infinity };
	for (const t of towers) {
		const km = approxDistanceKm(position, t.position);
		if (km < best.km) best = { km, tower: t };
	}
	return best;
}

function communeOfPoint(communes: PreparedCommune[], p: [number, number]): PreparedCommune | undefined {
	return communes.find(
		(c) => p[0] >= c.bbox[0] && p[0] <= c.bbox[2] && p[1] >= c.bbox[1] && p[1] <= c.bbox[3] && booleanPointInPolygon(p, c.geometry)
	);
}

/**
 * Who reports where and when, and the technology their phone prefers (5G near a 5G site, mostly
 * 4G, some 3G/2G): what they measure comes later, from the propagation model (signal.ts).
 */
function makeReportDrafts(communes: PreparedCommune[], roads: RoadSegment[], towers: DemoTower[], options: DemoOptions, random: Random): { drafts: DemoReportDraft[]; hamlets: Map<string, [number, number][]> } {
	const towersByOperator = new Map<string, DemoTower[]>();
	for (const t of towers) {
		const list = towersByOperator.get(t.operatorCode) ?? [];
		list.push(t);
		towersByOperator.set(t.operatorCode, list);
	}
	const operatorCodes = Object.keys(REPORT_SHARE);
	const operatorWeights = operatorCodes.map((o) => REPORT_SHARE[o]);
	// Sub-linear in population so sparse communes still gather evidence.
	const communeWeights = communes.map((c) => Math.pow(c.population, 0.8));
	const untilMs = Date.parse(options.observedUntil);
	if (Number.isNaN(untilMs)) throw new RangeError(`observedUntil must be an ISO date, got "${options.observedUntil}"`);
	const yearMs = 365 * 24 * 3600 * 1000;
	const residents = Math.max(1, Math.round(options.reportCount / 8));
	const drafts: DemoReportDraft[] = [];
	// Where signal is missing, residents complain from their hamlets (thôn): a share of a gap
	// commune's reports clusters around a few hamlet points far from any site, as complaints do. Drawn from their own
	// stream, so every other report is where it was before hamlets existed.
	const hamletRandom = createRandom(options.seed + 1);
	const hamlets = new Map<string, [number, number][]>();
	const hamletPoint = (c: PreparedCommune): [number, number] => {
		let points = hamlets.get(c.code);
		if (!points) {
			// The hamlets that complain are the ones far from every site.
			const candidates = Array.from({ length: 4 * HAMLETS_PER_GAP_COMMUNE }, () => randomPointInCommune(c, hamletRandom));
			const remoteness = new Map(candidates.map((p) => [p, nearestTowerKm(p, towers).km]));
			points = candidates.sort((a, b) => remoteness.get(b)! - remoteness.get(a)!).slice(0, HAMLETS_PER_GAP_COMMUNE);
			hamlets.set(c.code, points);
		}
		return randomPointInCommune(c, hamletRandom, points[hamletRandom.int(0, points.length - 1)], HAMLET_SD_KM);
	};

	const gapCommunes = communes.filter((c) => c.gap);
	const complaints = gapCommunes.length > 0 ? Math.round(options.reportCount * COMPLAINT_SHARE) : 0;
	while (drafts.length < options.reportCount - complaints) {
		const roll = random.next();
		const sourceKind: DemoReport['sourceKind'] = roll < 0.15 ? 'drive_test' : roll < 0.3 ? 'resident' : 'app';
		let position: [number, number];
		if (sourceKind === 'drive_test' && roads.length > 0) {
			position = pointOnRoads(roads, random);
			if (!communeOfPoint(communes, position)) continue; // a road end may poke outside the province outline
		} else {
			const commune = random.weighted(communes, communeWeights);
			// People report where they live and travel: mostly around the commune's centre and
			// along roads; a fifth from anywhere in the commune (fields, forest, hamlets).
			const roll2 = random.next();
			position =
				roll2 < 0.55
					? randomPointInCommune(commune, random, commune.center, Math.sqrt(commune.areaKm2) / 5)
					: (roll2 < 0.8 && roadPointInCommune(commune, roads, random)) || randomPointInCommune(commune, random);
			if (commune.gap && hamletRandom.chance(HAMLET_SHARE)) position = hamletPoint(commune);
		}
		const operatorCode = random.weighted(operatorCodes, operatorWeights);
		const { km, tower } = nearestTowerKm(position, towersByOperator.get(operatorCode) ?? []);
		const has5g = tower !== undefined && tower.technologies.includes('5G') && km < 1.2;
		const preferred: Technology = has5g && random.chance(0.5) ? '5G' : random.chance(0.88) ? '4G' : random.chance(0.5) ? '3G' : '2G';
		const observedAt = new Date(untilMs - Math.floor(random.next() * yearMs)).toISOString();
		const reporterKey = sourceKind === 'drive_test' ? `demo-drive-${random.int(1, 12)}` : `demo-resident-${random.int(1, residents)}`;
		const accuracyM = sourceKind === 'drive_test' ? 5 : Math.round(random.uniform(5, sourceKind === 'resident' ? 80 : 30));
		drafts.push({ sourceKind, operatorCode, preferred, observedAt, accuracyM, position, reporterKey });
	}
	// Complaints: residents of the gap communes' hamlets reporting the signal they lack.
	while (drafts.length < options.reportCount) {
		const commune = gapCommunes[hamletRandom.int(0, gapCommunes.length - 1)];
		drafts.push({
			sourceKind: 'resident',
			operatorCode: hamletRandom.weighted(operatorCodes, operatorWeights),
			preferred: hamletRandom.chance(0.9) ? '4G' : '3G',
			observedAt: new Date(untilMs - Math.floor(hamletRandom.next() * yearMs)).toISOString(),
			accuracyM: Math.round(hamletRandom.uniform(5, 80)),
			position: hamletPoint(commune),
			reporterKey: `demo-resident-${hamletRandom.int(1, residents)}`
		});
	}
	return { drafts, hamlets };
}

/** Households per synthetic village, about (upland villages hold a few dozen to a few hundred). */
const HOUSEHOLDS_PER_VILLAGE = 300;

/**
 * SYNTHETIC villages: a few per commune by households — the complaint hamlets of the gap
 * communes among them — around the centre, along roads and anywhere. The synthetic register lists
 * the hamlets (mostly trắng sóng; about one entry in ten out of date), as provinces list their gaps. Their own random
 * stream, so nothing else of the demo moves.
 */
function makeVillages(communes: PreparedCommune[], roads: RoadSegment[], hamlets: Map<string, [number, number][]>, random: Random): DemoVillage[] {
	const out: DemoVillage[] = [];
	for (const c of communes) {
		const own = hamlets.get(c.code) ?? [];
		const count = Math.max(own.length + 2, Math.min(14, Math.max(3, Math.round(c.households / HOUSEHOLDS_PER_VILLAGE))));
		const weights = Array.from({ length: count }, () => random.uniform(0.5, 1.5));
		const total = weights.reduce((a, b) => a + b, 0);
		const prefix = c.urban ? 'Tổ dân phố' : c.gap ? 'Bản' : 'Thôn';
		for (let i = 0; i < count; i++) {
			const hamlet = i < own.length;
			const roll = random.next();
			const position = hamlet
				? own[i]
				: roll < 0.5
					? randomPointInCommune(c, random, c.center, Math.sqrt(c.areaKm2) / 6)
					: (roll < 0.8 && roadPointInCommune(c, roads, random)) || randomPointInCommune(c, random);
			const stale = random.chance(0.1);
			const officialStatus = hamlet ? (stale ? 'co_song' : random.chance(0.75) ? 'trang_song' : 'lom_song') : null;
			out.push({
				name: `${prefix} ${i + 1} (${c.name})`,
				communeCode: c.code,
				households: Math.max(5, Math.round((c.households * weights[i]) / total)),
				hasPower: random.chance(hamlet ? 0.8 : 0.97),
				officialStatus,
				position
			});
		}
	}
	return out;
}

function makeFiber(communes: PreparedCommune[], random: Random): DemoFiber[] {
	const fiber: DemoFiber[] = [];
	for (const c of communes) {
		// FTTH follows density: towns are nearly fully passed, remote communes barely.
		const reach = c.urban ? random.uniform(0.85, 0.97) : c.gap ? random.uniform(0.03, 0.15) : random.uniform(0.35, 0.75);
		const shares: [string, number][] = [
			['viettel', 0.55],
			['vnpt', 0.45],
			['mobifone', c.urban ? 0.2 : 0]
		];
		for (const [operatorCode, share] of shares) {
			if (share === 0) continue;
			const passed = Math.round(c.households * reach * share * random.uniform(0.9, 1.1));
			const householdsPassed = Math.min(passed, c.households);
			fiber.push({
				communeCode: c.code,
				operatorCode,
				householdsTotal: c.households,
				householdsPassed,
				householdsConnected: Math.round(householdsPassed * random.uniform(0.45, 0.75))
			});
		}
	}
	return fiber;
}
