import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { bbox as turfBbox } from '@turf/turf';
import { syntheticDem } from '../demo/fields';
import { generateDemoProvince, type DemoCommuneInput } from '../demo/generate';
import { levelReports } from '../demo/signal';
import { DEMO_PROVINCES } from '../demo/provinces';
import { insertCommunes } from './communes';
import { insertDemTiles } from './dem';
import { insertDeclaredMaps } from './declared';
import { demoDeclaredMaps } from '../demo/declared';
import { insertImportRow, startSummary } from './import/pipeline';
import { predictCoverage } from './predicted';
import { inTransaction, type Database } from './db/index';
import { insertFiber } from './fiber';
import { readDemoProvinces, writeMeta, type DemoInfo } from './meta';
import { heldDemoReports } from '../demo/held-reports';
import { insertHeldDemoReports } from './intake';
import { insertReports } from './reports';
import { insertTowers } from './towers';
import { insertVillages } from './villages';

/** Tag stored in every `source` column the demo fills. */
export const DEMO_SOURCE = 'demo-synthetic';

/** The synthetic DEM reaches this far beyond the province (towers near the edge look over it). */
const DEM_MARGIN_DEG = 0.1;

/** The import row a synthetic layer of the demo belongs to (its DEM, its declared maps): listed with the imports, and undoable like one. */
async function demoImportRow(db: Database, kind: 'dem' | 'declared' | 'villages', provinceCode: string, seed: number, note: string): Promise<number> {
	const summary = { ...startSummary(kind, `demo-${kind}-${provinceCode}.synthetic`), contentHash: `synthetic-${kind}:${seed}`, encoding: '—', delimiter: '—' };
	return insertImportRow(db, summary, { accountId: null, label: 'demo seed' }, new Date().toISOString(), { synthetic: true, source: DEMO_SOURCE, note });
}

interface CommuneProperties {
	province_code: string;
	province_name: string;
	commune_code: string;
	name: string;
	type: string;
	area_km2: number;
	population: number;
	center: [number, number];
}

/** Reads the real 2025 commune polygons of a demo province from `data/`. */
async function readDemoCommunes(dataRoot: string, file: string): Promise<FeatureCollection<Polygon | MultiPolygon, CommuneProperties>> {
	const text = await readFile(path.join(dataRoot, file), 'utf8');
	return JSON.parse(text);
}

/**
 * Loads a demo province — real 2025 commune boundaries and population, synthetic towers,
 * households, reports and fiber — in one transaction. Returns null when that province is
 * already seeded (seeding twice would duplicate the synthetic rows).
 */
/** The start (00:00 UTC) of the day `now` falls on: never in the future. */
const endOfSeedDay = (now: Date) => `${now.toISOString().slice(0, 10)}T00:00:00Z`;

export async function seedDemoProvince(
	db: Database,
	provinceCode: string,
	{ dataRoot, log = () => {}, now = new Date() }: { dataRoot: string; log?: (line: string) => void; now?: Date }
): Promise<DemoInfo | null> {
	const config = DEMO_PROVINCES[provinceCode];
	if (!config) throw new RangeError(`province must be one of ${Object.keys(DEMO_PROVINCES).join(', ')}, got "${provinceCode}"`);
	const seeded = await readDemoProvinces(db);
	if (seeded[provinceCode]) return null;

	const collection = await readDemoCommunes(dataRoot, config.communesFile);
	const inputs: DemoCommuneInput[] = collection.features.map((f) => ({
		code: f.properties.commune_code,
		name: f.properties.name.normalize('NFC'),
		kind: f.properties.type,
		population: f.properties.population,
		areaKm2: f.properties.area_km2,
		center: f.properties.center,
		geometry: f.geometry
	}));
	log(`Generating synthetic layers for ${config.provinceName} (${inputs.length} real communes, seed ${config.seed})…`);
	// Reports end on the day of seeding (same offsets on every machine), so the demo's measured
	// layer never fades with the confidence half-life.
	const demo = generateDemoProvince(inputs, { ...config, observedUntil: endOfSeedDay(now) });
	const [w, s, e, n] = turfBbox(collection);
	const bbox: [number, number, number, number] = [w - DEM_MARGIN_DEG, s - DEM_MARGIN_DEG, e + DEM_MARGIN_DEG, n + DEM_MARGIN_DEG];
	const dem = config.relief ? syntheticDem(config.seed, bbox, config.relief) : [];

	const info = await inTransaction(db, async (tx) => {
		const communes = await insertCommunes(
			tx,
			collection.features.map((f) => ({
				code: f.properties.commune_code,
				boundarySet: '2025',
				name: f.properties.name.normalize('NFC'),
				kind: f.properties.type,
				provinceCode: f.properties.province_code,
				provinceName: f.properties.province_name,
				districtCode: null,
				population: f.properties.population,
				households: demo.households.get(f.properties.commune_code) ?? null,
				householdsSynthetic: true,
				areaKm2: f.properties.area_km2,
				source: config.boundarySource,
				geometry: f.geometry
			}))
		);
		log(`  ${communes} communes`);
		const towers = await insertTowers(
			tx,
			demo.towers.map((t) => ({ ...t, source: DEMO_SOURCE, synthetic: true }))
		);
		log(`  ${towers} synthetic tower sites`);
		if (dem.length > 0) {
			const importId = await demoImportRow(tx, 'dem', provinceCode, config.seed, 'SYNTHETIC karst-like DEM made by the demo seed (src/lib/demo/fields.ts)');
			log(`  ${await insertDemTiles(tx, importId, dem)} synthetic DEM tiles`);
		}
		const declaredImport = await demoImportRow(tx, 'declared', provinceCode, config.seed, 'SYNTHETIC operator coverage maps that overclaim in mountain communes, made by the demo seed (src/lib/demo/declared.ts)');
		log(`  ${await insertDeclaredMaps(tx, declaredImport, DEMO_SOURCE, demoDeclaredMaps(inputs, demo.towers, config.gapCommuneCodes))} synthetic declared-coverage polygons (4G)`);
		// Predictions first: what the demo's residents measure is the model's level plus what it
		// cannot know; the calibration then fits itself to those reports.
		const predicting = Date.now();
		let reports = 0;
		const predicted = await predictCoverage(tx, {
			onModelLevels: async (levelAt) => {
				reports = await insertReports(
					tx,
					levelReports(demo.reportDrafts, levelAt, { seed: config.seed, bbox }).map((r) => ({ ...r, synthetic: true }))
				);
			}
		});
		log(`  predicted coverage for ${predicted.groups.length} operator × technology groups, ${predicted.terrain ? 'with terrain' : 'on flat ground'}, calibrated, in ${((Date.now() - predicting) / 1000).toFixed(1)} s`);
		log(`  ${reports} synthetic signal reports`);
		const fiber = await insertFiber(
			tx,
			demo.fiber.map((f) => ({ ...f, unitKind: 'commune', unitCode: f.communeCode, asOf: endOfSeedDay(now).slice(0, 10), synthetic: true }))
		);
		log(`  ${fiber} synthetic fiber rows`);
		const held = await insertHeldDemoReports(tx, heldDemoReports(gapOrAll(inputs, config.gapCommuneCodes), config.seed, endOfSeedDay(now)));
		log(`  ${held} synthetic residents' reports held for moderation`);
		const villageImport = await demoImportRow(tx, 'villages', provinceCode, config.seed, 'SYNTHETIC villages with a SYNTHETIC register status, made by the demo seed (src/lib/demo/generate.ts makeVillages)');
		const villages = await insertVillages(tx, demo.villages.map((v) => ({ ...v, source: DEMO_SOURCE, synthetic: true })), villageImport);
		log(`  ${villages} synthetic villages`);
		const entry: DemoInfo = {
			provinceCode,
			provinceName: config.provinceName,
			seed: config.seed,
			boundarySource: config.boundarySource,
			seededAt: new Date().toISOString(),
			counts: { communes, towers, reports, fiber, villages }
		};
		await writeMeta(tx, 'demo', { ...(await readDemoProvinces(tx)), [provinceCode]: entry });
		return entry;
	});
	return info;
}

/** The gap communes, or every commune when the province names none. */
const gapOrAll = (inputs: DemoCommuneInput[], codes: readonly string[]) => (codes.length > 0 ? inputs.filter((c) => codes.includes(c.code)) : inputs);
