import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/lib/server/db/index';
import { predictedCellsInBbox } from '../../src/lib/server/coverage-cells';
import { predictCoverage, predictedCells, updatePredicted } from '../../src/lib/server/predicted';
import { setSetting } from '../../src/lib/server/settings';
import { insertTowers } from '../../src/lib/server/towers';
import { insertReports } from '../../src/lib/server/reports';
import { calibrationReport } from '../../src/lib/server/calibration';
import { cellToLatLng, latLngToCell } from 'h3-js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runAnyImport } from '../../src/lib/server/import/any';
import { undoImport } from '../../src/lib/server/import/history';
import { openTestDatabase, resetDatabase } from '../helpers/db';
import { geotiff } from '../helpers/rasters';

let db: Database;
const actor = { accountId: null, label: 'cli:test' };
beforeAll(async () => {
	db = await openTestDatabase();
});
afterAll(() => db?.close());
beforeEach(async () => {
	await resetDatabase(db);
	// A 3 km range keeps each site to ~250 cells.
	await setSetting(db, actor, 'propagation.range_km', '3');
});

const tower = (operatorCode: string, siteCode: string, lng: number, technologies: string[]) => ({
	operatorCode,
	siteCode,
	technologies,
	antennaHeightM: 30,
	source: 'test',
	synthetic: true,
	position: [lng, 22.66] as [number, number]
});

/** The whole stored layer, decoded, as comparable text. */
async function layerText(): Promise<string> {
	const parts: string[] = [];
	const keys = await db.rows<{ res: number; operator_code: string; technology: string }>(sql`select distinct res, operator_code, technology from predicted_tiles order by 1, 2, 3`);
	for (const k of keys) {
		const cells = await predictedCells(db, k.res, k.operator_code, k.technology);
		parents.push(...cells.map((c) => c.cells));
		parts.push(`${k.res}|${k.operator_code}|${k.technology}:${cells.map((c) => `${c.h3},${c.dbm},${c.class},${c.site},${c.cells}`).join(';')}`);
	}
	return parts.join('\n');
}
const parents: number[] = [];

describe(`predicted coverage (${process.env.TEST_DB})`, () => {
	it('predicts per operator × technology with best servers, medians for parents and the best of them for any', async () => {
		await insertTowers(db, [tower('viettel', 'V1', 106.25, ['2G', '4G']), tower('viettel', 'V2', 106.28, ['4G']), tower('vnpt', 'N1', 106.26, ['4G'])]);
		const result = await predictCoverage(db);
		expect(result.terrain).toBe(false);
		expect(result.groups.map((g) => `${g.operator} ${g.technology} ${g.sites}`)).toEqual(['viettel 2G 1', 'viettel 4G 2', 'vnpt 4G 1']);
		const viettel4g = await predictedCells(db, 9, 'viettel', '4G');
		expect(new Set(viettel4g.map((c) => c.site))).toEqual(new Set(['V1', 'V2'])); // both Viettel 4G sites serve some cells
		const res8 = await predictedCells(db, 8, 'viettel', '4G');
		expect(res8.length).toBeGreaterThan(10);
		expect(res8.every((c) => c.cells >= 1 && c.site === null)).toBe(true);
		// Any technology / any operator: never a worse class than a key below.
		const rank = ['good', 'fair', 'poor', 'dead'];
		const any = new Map((await predictedCells(db, 9, '*', '*')).map((c) => [c.h3, c]));
		for (const [op, tech] of [['viettel', '2G'], ['viettel', '4G'], ['vnpt', '4G'], ['viettel', '*']]) {
			for (const c of await predictedCells(db, 9, op, tech)) expect(rank.indexOf(any.get(c.h3)!.class)).toBeLessThanOrEqual(rank.indexOf(c.class));
		}
		const served = await predictedCellsInBbox(db, [106, 22.4, 106.6, 22.9], { res: 8, operator: 'viettel', technology: '4G' });
		expect(served.cells.length).toBe(res8.length);
		expect(served.dbm).toHaveLength(served.cells.length);
		expect(served.dbm.every((d) => d < -30 && d > -140)).toBe(true);
	});

	it('replaces only the group asked for', async () => {
		await insertTowers(db, [tower('viettel', 'V1', 106.25, ['4G']), tower('vnpt', 'N1', 106.26, ['4G'])]);
		await predictCoverage(db);
		const before = await predictedCells(db, 9, 'vnpt', '4G');
		await db.orm.execute(sql`update towers set antenna_height_m = 60 where site_code = 'V1'`);
		await predictCoverage(db, { operator: 'viettel', technology: '4G' });
		expect(await predictedCells(db, 9, 'vnpt', '4G')).toEqual(before);
		const viettel = await predictedCells(db, 9, 'viettel', '4G');
		expect(Math.max(...viettel.map((c) => c.dbm))).toBeGreaterThan(-70);
	});

	it('after towers change, recomputes only the tiles in their range, and equals predicting everything', async () => {
		// Two clusters ~150 km apart: a change in one leaves the other's tiles alone.
		await insertTowers(db, [
			tower('viettel', 'V1', 106.25, ['4G']),
			tower('vnpt', 'N1', 106.26, ['2G', '4G']),
			{ ...tower('viettel', 'V9', 104.8, ['4G']), position: [104.8, 21.9] as [number, number] }
		]);
		await predictCoverage(db);
		expect(await updatePredicted(db)).toBeNull(); // nothing differs
		const far = await predictedCells(db, 9, 'viettel', '4G');
		await db.orm.execute(sql`update towers set antenna_height_m = 50, technologies = array['4G', '3G'] where site_code = 'N1'`);
		await insertTowers(db, [tower('mobifone', 'M1', 106.27, ['4G'])]);
		const update = await updatePredicted(db);
		expect(update).not.toBeNull();
		expect(update!.tiles).toBeGreaterThan(0);
		expect(update!.tiles).toBeLessThan(update!.allTiles);
		const incremental = await layerText();
		expect(incremental).toContain('|mobifone|4G:');
		expect(incremental).toContain('|vnpt|3G:');
		// V9's cells were not recomputed, and are as they were.
		const nearV9 = (cells: { h3: string; site: string | null }[]) => cells.filter((c) => c.site === 'V9');
		expect(nearV9(await predictedCells(db, 9, 'viettel', '4G'))).toEqual(nearV9(far));
		await predictCoverage(db);
		expect(await layerText()).toBe(incremental);
		expect(parents.some((n) => n > 1)).toBe(true);
	});

	it('recomputes everything after a DEM import commits, in its own transaction, and again after its undo', async () => {
		await insertTowers(db, [tower('viettel', 'V1', 106.25, ['4G'])]);
		await predictCoverage(db);
		const flat = await layerText();
		// A DEM around the site: 300 m ground with a 250 m-high ridge ~1 km east of it, north–south.
		const [width, height] = [120, 80];
		const values = new Int16Array(width * height);
		for (let r = 0; r < height; r++) for (let c = 0; c < width; c++) values[r * width + c] = c >= 70 && c <= 71 ? 550 : 300;
		const dir = await mkdtemp(path.join(os.tmpdir(), 'phu-song-dem-'));
		try {
			const file = path.join(dir, 'ridge.tif');
			await writeFile(file, geotiff(values, { width, height, origin: [106.2, 22.7], pixelSize: [0.0015, 0.001] }));
			const progress: number[] = [];
			const summary = await runAnyImport(db, 'dem', { filePath: file, options: { mapping: {}, skipInvalid: false }, actor, onProgress: (p) => p.recomputing && progress.push(p.recomputing.done) });
			expect(summary).toMatchObject({ status: 'committed', followUp: { recomputed: ['predicted'] } });
			expect(progress.length).toBeGreaterThan(0);
			const [state] = await db.rows<{ terrain: boolean }>(sql`select terrain from predicted_state`);
			expect(state.terrain).toBe(true);
			const behind = latLngToCell(22.66, 106.28, 9); // ~3 km east, behind the ridge
			const level = async () => (await predictedCells(db, 9, 'viettel', '4G')).find((c) => c.h3 === behind)?.dbm;
			const shadowed = await level();
			expect(await layerText()).not.toBe(flat);
			const undo = await undoImport(db, summary.importId, actor);
			expect(undo.followUp).toEqual({ recomputed: ['predicted'] });
			expect(await layerText()).toBe(flat);
			expect(shadowed).toBeLessThan((await level())! - 10);
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
	});

	it('calibrates against confident measured cells of a known bias: the held-back error shrinks, and predictions carry the correction', async () => {
		await insertTowers(db, [tower('viettel', 'V1', 106.25, ['4G']), tower('viettel', 'V2', 106.28, ['4G'])]);
		await predictCoverage(db);
		const model = await predictedCells(db, 9, 'viettel', '4G');
		// The real network is 6 dB stronger than the model: three reporters on three days per cell, ±1 dB.
		const picked = model.filter((_, i) => i % 3 === 0).slice(0, 150);
		const day = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();
		await insertReports(
			db,
			picked.flatMap((c, i) =>
				[0, 1, 2].map((k) => ({
					sourceKind: 'app' as const, operatorCode: 'viettel', technology: '4G' as const, rsrpDbm: Math.round(c.dbm + 6 + ((i + k) % 3) - 1), rssiDbm: null, signalBars: null,
					noService: false, downloadMbps: null, uploadMbps: null, latencyMs: null, observedAt: day(2 * k + 1), accuracyM: 10, reporterKey: `r-${k}`,
					position: [cellToLatLng(c.h3)[1], cellToLatLng(c.h3)[0]] as [number, number], synthetic: true
				}))
			)
		);
		await predictCoverage(db);
		const [row] = await calibrationReport(db);
		expect(row).toMatchObject({ operator: 'viettel', technology: '4G', settlement: 'rural' });
		expect(row.fitted + row.heldBack).toBe(picked.length);
		expect(row.heldBack).toBeGreaterThan(15);
		expect(row.before.meanDb).toBeCloseTo(-6, 0);
		expect(Math.abs(row.after.meanDb)).toBeLessThan(1);
		expect(row.after.rmseDb).toBeLessThan(row.before.rmseDb / 3);
		// The stored levels are the model's plus the fitted correction.
		const calibrated = new Map((await predictedCells(db, 9, 'viettel', '4G')).map((c) => [c.h3, c.dbm]));
		const shift = model.slice(0, 200).map((c) => calibrated.get(c.h3)! - c.dbm);
		expect(Math.min(...shift)).toBeGreaterThan(4);
		expect(Math.max(...shift)).toBeLessThan(8);
		// A tower change keeps the correction in force.
		await insertTowers(db, [tower('viettel', 'V3', 106.3, ['4G'])]);
		await updatePredicted(db);
		expect(await calibrationReport(db)).toEqual([row]);
	});
});
