import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { kml as kmlToGeoJson } from '@tmcw/togeojson';
import { DOMParser } from '@xmldom/xmldom';
import { parse as parseCsv } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { runCli } from '../../src/cli/main';
import { runAnyImport } from '../../src/lib/server/import/any';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellCenter } from '../../src/lib/grid/h3';
import { parseScenarioOptions, type ScenarioRequest } from '../../src/lib/planning/scenario-options';
import type { Database } from '../../src/lib/server/db/index';
import { deadZones } from '../../src/lib/server/dead-zones';
import { seedDemoProvince } from '../../src/lib/server/demo-seed';
import { PlanError, runScenario, type PlanResult, type PlanStage } from '../../src/lib/server/plans';
import { listProposals, proposalDetail, proposeSites, ProposalError, transitionProposal, verifyOnAir, type Viewer } from '../../src/lib/server/proposals';
import { insertReports } from '../../src/lib/server/reports';
import { getScenario, listScenarios, saveScenario } from '../../src/lib/server/scenarios';
import { openTestDatabase, resetDatabase } from '../helpers/db';

let db: Database;
const DAM_THUY = '01501';

beforeAll(async () => {
	db = await openTestDatabase();
	await resetDatabase(db);
	await seedDemoProvince(db, '04', { dataRoot: 'data' });
}, 240_000);
afterAll(() => db?.close());

const options = (request: ScenarioRequest) => {
	const parsed = parseScenarioOptions(request);
	if (!parsed.ok) throw new Error(parsed.problems.join('; '));
	return parsed.options;
};

const planner: Viewer = { accountId: null, label: 'test:planner', role: 'planner', operatorCode: null, communeCode: null };
const viettel: Viewer = { accountId: null, label: 'test:viettel', role: 'operator', operatorCode: 'viettel', communeCode: null };
const vnpt: Viewer = { accountId: null, label: 'test:vnpt', role: 'operator', operatorCode: 'vnpt', communeCode: null };
const officer: Viewer = { accountId: null, label: 'test:commune', role: 'commune', operatorCode: null, communeCode: DAM_THUY };

describe(`plans on the demo province (${process.env.TEST_DB})`, () => {
	let result: PlanResult;
	const stages: PlanStage[] = [];

	it('a scenario for Viettel in Đàm Thuỷ proposes sites that close part of its dead zone', async () => {
		result = await runScenario(db, options({ operator: 'viettel', communes: [DAM_THUY], p: 5 }), (stage) => stages.push(stage));
		expect(result.sites.length).toBeGreaterThan(0);
		expect(result.sites.length).toBeLessThanOrEqual(5);
		expect(result.householdsNewlyCovered).toBeGreaterThan(0);
		expect(result.householdsNewlyCovered).toBeLessThanOrEqual(result.demandHouseholds);
		expect(result.solver.gap).toBeGreaterThanOrEqual(0);
		expect(result.solver.coveredWeight).toBeLessThanOrEqual(result.solver.upperBound + 1e-6);
		// Every stage reported progress, in order.
		expect([...new Set(stages)]).toEqual(['demand', 'candidates', 'covers', 'solve', 'explain']);
		// Ranked by marginal gain: households newly served do not grow down the list (weights can differ a little).
		const weights = result.sites.map((s) => s.weightNewlyCovered);
		expect(weights).toEqual([...weights].sort((a, b) => b - a));
		// The sites' targets lie in Viettel's dead zones of Đàm Thuỷ.
		const zones = await deadZones(db, { res: 9, operator: 'viettel', minReporters: 1 });
		const zoneCells = new Set(zones.zones.flatMap((z) => z.cells));
		const targets = result.sites.flatMap((s) => s.newCells);
		expect(targets.filter((c) => zoneCells.has(c)).length).toBeGreaterThan(targets.length * 0.5);
		expect(result.sites.some((s) => s.zoneId !== null && s.zoneShareClosed > 0)).toBe(true);
		// Đàm Thuỷ is better served after than before.
		const commune = result.communes.find((c) => c.code === DAM_THUY)!;
		expect(commune.name).toBe('Đàm Thuỷ');
		expect(commune.servedAfter).toBeGreaterThan(commune.servedBefore);
		// Each site is explained in both languages and names what it serves.
		for (const s of result.sites) {
			expect(s.explanation.vi).toMatch(/hộ có sóng/);
			expect(s.explanation.en).toMatch(/households newly served/);
			expect(s.communeCode).not.toBeNull();
		}
	}, 120_000);

	it('runs again from the kept cover sets with the same answer', async () => {
		const again = await runScenario(db, options({ operator: 'viettel', communes: [DAM_THUY], p: 5 }));
		const untimed = (r: PlanResult) => ({ ...r, stats: { ...r.stats, ms: null } });
		expect(untimed(again)).toEqual(untimed(result));
		expect(again.stats.ms.covers).toBeLessThan(result.stats.ms.covers);
	}, 120_000);

	it('keeps to a budget, and a smaller spacing gives more candidates', async () => {
		const budget = await runScenario(db, options({ operator: 'viettel', communes: [DAM_THUY], budget: 6, p: null, spacingKm: 1 }));
		expect(budget.sites.reduce((s, x) => s + x.cost, 0)).toBeLessThanOrEqual(6 + 1e-9);
		const coarse = await runScenario(db, options({ operator: 'viettel', communes: [DAM_THUY], budget: 6, p: null, spacingKm: 3 }));
		expect(budget.stats.candidates).toBeGreaterThan(coarse.stats.candidates);
	}, 120_000);

	it('a shared site counts every operator that lacks signal; an area without demand plans nothing', async () => {
		const own = await runScenario(db, options({ operator: 'viettel', communes: [DAM_THUY], p: 3 }));
		const shared = await runScenario(db, options({ operator: 'viettel', communes: [DAM_THUY], p: 3, shared: true }));
		expect(shared.demandHouseholds).toBeGreaterThan(own.demandHouseholds);
		// A square in the Gulf of Tonkin: cells, but nobody to serve.
		const sea = { type: 'Polygon' as const, coordinates: [[[107.5, 20.5], [107.52, 20.5], [107.52, 20.52], [107.5, 20.52], [107.5, 20.5]] as [number, number][]] };
		const empty = await runScenario(db, options({ operator: 'viettel', polygon: sea, p: 3 }));
		expect(empty).toMatchObject({ sites: [], householdsNewlyCovered: 0, demandHouseholds: 0 });
	}, 120_000);

	it('refuses an unknown operator or commune by name', async () => {
		await expect(runScenario(db, options({ operator: 'nobody', p: 2 }))).rejects.toThrow(PlanError);
		await expect(runScenario(db, options({ operator: 'viettel', communes: ['99999'], p: 2 }))).rejects.toThrow(/communes: no 2025 commune with code 99999/);
		expect(parseScenarioOptions({ operator: 'viettel' })).toEqual({ ok: false, problems: ['p: give p (a number of sites), a budget, or both'] });
		expect(parseScenarioOptions({ operator: 'viettel', p: 2, spacingKm: 0 })).toMatchObject({ ok: false, problems: [expect.stringMatching(/^spacingKm:/)] });
	});

	it('saves a scenario that reads back the same and lists with its figures', async () => {
		const id = await saveScenario(db, { accountId: null, label: 'test:planner' }, 'Đàm Thuỷ p5', options({ operator: 'viettel', communes: [DAM_THUY], p: 5 }), result);
		const saved = await getScenario(db, id);
		expect(saved!.result).toEqual(result);
		expect(saved!.options.p).toBe(5);
		const list = await listScenarios(db);
		expect(list[0]).toMatchObject({ id, name: 'Đàm Thuỷ p5', operatorCode: 'viettel', sites: result.sites.length, p: 5 });
		expect(list[0].householdsNewlyCovered).toBeCloseTo(result.householdsNewlyCovered, 6);
		expect(await listScenarios(db, { operator: 'vnpt' })).toEqual([]);
	});

	it('a proposal goes through every state, recorded with who and when; others cannot see or move it', async () => {
		const [scenario] = await listScenarios(db);
		const [first] = result.sites;
		const [id] = await proposeSites(db, planner, scenario.id, [first.key], { send: true });
		// Sending again proposes nothing twice.
		expect(await proposeSites(db, planner, scenario.id, [first.key])).toEqual([]);
		await expect(proposeSites(db, viettel, scenario.id, null)).rejects.toThrow(ProposalError);
		expect((await listProposals(db, viettel)).map((p) => p.id)).toEqual([id]);
		expect(await listProposals(db, vnpt)).toEqual([]);
		expect(await proposalDetail(db, vnpt, id)).toBeNull();
		await expect(transitionProposal(db, vnpt, id, 'accepted', null)).rejects.toMatchObject({ code: 'not-found' });
		expect((await listProposals(db, officer)).map((p) => p.id)).toEqual(first.communeCode === DAM_THUY ? [id] : []);
		await expect(transitionProposal(db, planner, id, 'accepted', null)).rejects.toMatchObject({ code: 'wrong-actor' });
		await transitionProposal(db, viettel, id, 'accepted', null);
		await transitionProposal(db, viettel, id, 'building', null);
		const onAir = await transitionProposal(db, viettel, id, 'on_air', null);
		expect(onAir.onAirAt).not.toBeNull();
		await expect(transitionProposal(db, viettel, id, 'verified', null)).rejects.toMatchObject({ code: 'wrong-actor' });
		const p = (await proposalDetail(db, planner, id))!.proposal;
		const goodReports = (at: number) =>
			p.targetCells.flatMap((cell, k) =>
				[0, 1, 2].map((who) => ({
					sourceKind: 'resident' as const,
					operatorCode: 'viettel',
					technology: '4G' as const,
					rsrpDbm: -92,
					rssiDbm: null,
					signalBars: 4,
					noService: false,
					downloadMbps: null,
					uploadMbps: null,
					latencyMs: null,
					observedAt: new Date(at).toISOString(),
					accuracyM: 10,
					reporterKey: `verify-${who}-${k % 3}`,
					position: cellCenter(cell),
					synthetic: true
				}))
			);
		// Good reports from before it went on air do not count: not verified.
		await insertReports(db, goodReports(Date.parse(p.onAirAt!) - 86_400_000));
		expect(await verifyOnAir(db)).toEqual([]);
		expect((await proposalDetail(db, planner, id))!.proposal.verification).toMatchObject({ confirmedCells: 0, verified: false });

		// Residents report good signal across its target cells after it went on air (three people).
		await insertReports(db, goodReports(Math.max(Date.now(), Date.parse(p.onAirAt!) + 1)));
		// Reports on one day, three reporters: confidence ½ (the spread part) — enough at the 0.5 default.
		expect(await verifyOnAir(db)).toEqual([id]);
		const detail = (await proposalDetail(db, planner, id))!;
		expect(detail.proposal.state).toBe('verified');
		expect(detail.proposal.verification).toMatchObject({ verified: true, targetCells: p.targetCells.length });
		await transitionProposal(db, planner, id, 'closed', null);
		const events = (await proposalDetail(db, planner, id))!.events;
		expect(events.map((e) => `${e.fromState ?? '∅'}→${e.toState}:${e.actorLabel}`)).toEqual([
			'∅→proposed:test:planner',
			'proposed→sent:test:planner',
			'sent→accepted:test:viettel',
			'accepted→building:test:viettel',
			'building→on_air:test:viettel',
			'on_air→verified:system',
			'verified→closed:test:planner'
		]);
		const audit = await db.rows<{ n: number }>(sql`select count(*)::int as n from audit_log where action = 'proposal.transition' and target = ${`proposal:${id}`}`);
		expect(audit[0].n).toBe(6);
	}, 120_000);

	it('a rejection needs a reason and keeps it', async () => {
		const [scenario] = await listScenarios(db);
		const second = result.sites[1] ?? result.sites[0];
		const ids = await proposeSites(db, planner, scenario.id, [second.key], { send: true });
		const id = ids[0] ?? (await listProposals(db, planner)).find((p) => p.state === 'sent')!.id;
		await expect(transitionProposal(db, viettel, id, 'rejected', ' ')).rejects.toMatchObject({ code: 'reason-required' });
		const rejected = await transitionProposal(db, viettel, id, 'rejected', 'no grid power at the site');
		expect(rejected).toMatchObject({ state: 'rejected', reason: 'no grid power at the site' });
	});

	it('a measurements import verifies a proposal on air once three reporters confirm its targets', async () => {
		const [scenario] = await listScenarios(db);
		const site = result.sites[result.sites.length - 1];
		const ids = await proposeSites(db, planner, scenario.id, [site.key], { send: true });
		const id = ids[0] ?? (await listProposals(db, planner)).find((p) => p.targetCells.join() === site.newCells.join())!.id;
		for (const to of ['accepted', 'building', 'on_air'] as const) await transitionProposal(db, viettel, id, to, null);
		const p = (await proposalDetail(db, planner, id))!.proposal;
		// Reports after it went on air: one drive-test file per reporter (a file counts as one).
		while (Date.now() < Date.parse(p.onAirAt!) + 5500) await new Promise((r) => setTimeout(r, 100));
		// A second apart per file: the same reading twice would be a duplicate.
		const at = (n: number) => new Date(Date.now() - 5000 + n * 1000).toISOString();
		const dir = await mkdtemp(path.join(os.tmpdir(), 'phu-song-verify-'));
		const importFile = async (n: number) => {
			const file = path.join(dir, `verify-${n}.csv`);
			const lines = p.targetCells.map((c) => `${cellCenter(c)[1].toFixed(6)},${cellCenter(c)[0].toFixed(6)},${at(n)},-95,viettel,4G`);
			await writeFile(file, `lat,lon,timestamp,rsrp,operator,technology\n${lines.join('\n')}\n`);
			return runAnyImport(db, 'measurements', { filePath: file, options: { mapping: {}, skipInvalid: false }, actor: { accountId: null, label: 'cli:test' } });
		};
		expect(await importFile(1)).toMatchObject({ status: 'committed' });
		// One reporter is not confident enough (measured.confidence_reporters = 3).
		expect((await proposalDetail(db, planner, id))!.proposal.state).toBe('on_air');
		await importFile(2);
		const third = await importFile(3);
		expect(third).toMatchObject({ status: 'committed', inserted: p.targetCells.length, followUp: { recomputed: ['proposals verified'] } });
		const after = (await proposalDetail(db, planner, id))!;
		expect(after.proposal.state).toBe('verified');
		expect(after.events.at(-1)).toMatchObject({ fromState: 'on_air', toState: 'verified', actorLabel: 'system' });
		await rm(dir, { recursive: true, force: true });
	}, 120_000);

	describe('headless: npm run cli -- plan', () => {
		let dir: string;
		beforeAll(async () => {
			dir = await mkdtemp(path.join(os.tmpdir(), 'phu-song-plan-'));
		});
		afterAll(() => rm(dir, { recursive: true, force: true }));
		const cli = async (...argv: string[]) => {
			const lines: string[] = [];
			const code = await runCli(argv, { log: (l) => lines.push(l), warn: (l) => lines.push(l), open: async () => ({ ...db, close: async () => {} }), readPassword: async () => 'a long enough password' });
			return { code, out: lines.join('\n') };
		};

		it('writes the proposed sites in each format, the same sites each time, and saves on request', async () => {
			const args = ['plan', '--operator', 'viettel', '--communes', DAM_THUY, '--p', '3'];
			const geojson = await cli(...args, '--out', path.join(dir, 'sites.geojson'), '--save', 'cli p3');
			expect(geojson.code, geojson.out).toBe(0);
			expect(geojson.out).toMatch(/Saved as scenario \d+ \("cli p3"\)/);
			const fc = JSON.parse(await readFile(path.join(dir, 'sites.geojson'), 'utf8'));
			expect(fc.features.length).toBeGreaterThan(0);
			for (const f of fc.features) {
				expect(f.geometry.type).toBe('Point');
				expect(Object.keys(f.properties)).toEqual(expect.arrayContaining(['type', 'cost', 'communeCode', 'householdsNewlyCovered', 'explanation']));
				expect(f.properties.explanation).toMatch(/hộ có sóng/);
			}
			expect((await cli(...args, '--out', path.join(dir, 'sites.csv'), '--lang', 'en')).code).toBe(0);
			const rows = parseCsv(await readFile(path.join(dir, 'sites.csv'), 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
			expect(rows.map((r) => [Number(r.lon), Number(r.lat)])).toEqual(fc.features.map((f: { geometry: { coordinates: number[] } }) => f.geometry.coordinates));
			expect(rows[0].explanation).toMatch(/households newly served/);
			expect((await cli(...args, '--out', path.join(dir, 'sites.kml'))).code).toBe(0);
			const kml = kmlToGeoJson(new DOMParser().parseFromString(await readFile(path.join(dir, 'sites.kml'), 'utf8'), 'text/xml') as unknown as Document);
			expect(kml.features.map((f) => (f.geometry as { coordinates: number[] }).coordinates)).toEqual(fc.features.map((f: { geometry: { coordinates: number[] } }) => f.geometry.coordinates));
			expect((await listScenarios(db)).some((s) => s.name === 'cli p3')).toBe(true);
		}, 120_000);

		it('names the option that is wrong, with exit code 2', async () => {
			expect(await cli('plan', '--operator', 'viettel', '--p', '3', '--out', path.join(dir, 'x.shp'))).toMatchObject({ code: 2, out: expect.stringMatching(/^--out: give a file ending in \.geojson, \.csv, \.kml/) });
			expect(await cli('plan', '--operator', 'viettel', '--out', path.join(dir, 'x.csv'))).toMatchObject({ code: 2, out: expect.stringMatching(/^--p: give p/) });
			expect(await cli('plan', '--operator', 'viettel', '--p', '2', '--spacing=0', '--out', path.join(dir, 'x.csv'))).toMatchObject({ code: 2, out: expect.stringMatching(/^--spacing:/) });
			expect(await cli('plan', '--operator', 'viettel', '--p', '2', '--site-types', 'macro,antenna', '--out', path.join(dir, 'x.csv'))).toMatchObject({ code: 2, out: expect.stringMatching(/^--site-types\.1:/) });
			expect(await cli('plan', '--operator', 'nokia', '--p', '2', '--out', path.join(dir, 'x.csv'))).toMatchObject({ code: 2, out: expect.stringMatching(/^--operator: unknown operator "nokia"/) });
			expect(await cli('plan', '--operator', 'viettel', '--communes', '99999', '--p', '2', '--out', path.join(dir, 'x.csv'))).toMatchObject({ code: 2, out: expect.stringMatching(/\n--communes: no 2025 commune with code 99999$/) });
		});

		it('creates a commune officer for a loaded commune', async () => {
			expect(await cli('user', 'create', '--email', 'officer@damthuy.example', '--role', 'commune', '--commune', DAM_THUY)).toMatchObject({ code: 0 });
			expect(await cli('user', 'create', '--email', 'officer2@damthuy.example', '--role', 'commune')).toMatchObject({ code: 2, out: expect.stringMatching(/communeCode: a commune officer needs a commune/) });
		});
	});
});
