import { z } from 'zod';
import type { CoverProblem } from './problem';

/**
 * The plain instance format of `npm run cli -- solve-mclp` (README, "Site-planning solver"):
 * `{demand: [{id, lat, lon, weight}], candidates: [{id, lat, lon, cost, radiusKm}], p, budget,
 * existing: [candidateId], coverage: null | {candidateId: [demandId]}}`. A demand point is covered
 * by a candidate within `radiusKm` great-circle distance (R = 6371.0088 km, the IUGG mean radius);
 * `coverage`, when given, replaces the radii and an unlisted candidate covers nothing.
 */

const EARTH_RADIUS_KM = 6371.0088;

const id = z.string().min(1, 'must be a non-empty string');
const lat = z.number().min(-90).max(90);
const lon = z.number().min(-180).max(180);
export const instanceSchema = z.object({
	demand: z.array(z.object({ id, lat, lon, weight: z.number().nonnegative('must not be negative').finite() })),
	candidates: z.array(z.object({ id, lat, lon, cost: z.number().nonnegative('must not be negative').finite().default(0), radiusKm: z.number().nonnegative('must not be negative').finite().default(0) })),
	p: z.number().int('must be a whole number').nonnegative('must not be negative').nullable().default(null),
	budget: z.number().nonnegative('must not be negative').finite().nullable().default(null),
	existing: z.array(id).default([]),
	coverage: z.record(z.string(), z.array(z.string())).nullable().default(null)
});
export type McInstance = z.input<typeof instanceSchema>;

/** A bad instance; the message names the field (`demand[3].weight: must not be negative`). */
export class InstanceError extends Error {}

const pathOf = (path: readonly PropertyKey[]) => path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${String(k)}` : String(k)), '');

/** Great-circle distance in km (haversine). */
export function greatCircleKm(latA: number, lonA: number, latB: number, lonB: number): number {
	const rad = Math.PI / 180;
	const dLat = (latB - latA) * rad;
	const dLon = (lonB - lonA) * rad;
	const h = Math.sin(dLat / 2) ** 2 + Math.cos(latA * rad) * Math.cos(latB * rad) * Math.sin(dLon / 2) ** 2;
	return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Each candidate's covered demand by radius, through a grid of cells as large as the largest
 * radius (in degrees of latitude; longitude cells widened by the cosine of the most poleward
 * latitude): a candidate looks only at the cells its disc can reach, not at every demand point.
 */
export function coversByRadius(demand: readonly { lat: number; lon: number }[], candidates: readonly { lat: number; lon: number; radiusKm: number }[]): Int32Array[] {
	const maxRadius = Math.max(0, ...candidates.map((c) => c.radiusKm));
	if (demand.length === 0 || maxRadius === 0) return candidates.map(() => new Int32Array(0));
	const kmPerDegLat = (Math.PI * EARTH_RADIUS_KM) / 180;
	const maxAbsLat = Math.min(89, Math.max(...demand.map((d) => Math.abs(d.lat)), ...candidates.map((c) => Math.abs(c.lat))));
	const cellLat = Math.max(maxRadius / kmPerDegLat, 1e-4);
	const cellLon = Math.min(360, cellLat / Math.cos((maxAbsLat * Math.PI) / 180));
	const grid = new Map<string, number[]>();
	demand.forEach((d, i) => {
		const key = `${Math.floor(d.lat / cellLat)}:${Math.floor(d.lon / cellLon)}`;
		(grid.get(key) ?? grid.set(key, []).get(key)!).push(i);
	});
	return candidates.map((c) => {
		const out: number[] = [];
		if (c.radiusKm <= 0) return new Int32Array(0);
		// The disc's reach in cells (a radius below the cell size reaches one cell each way).
		const reachLat = Math.ceil(c.radiusKm / kmPerDegLat / cellLat);
		const reachLon = Math.ceil(c.radiusKm / (kmPerDegLat * Math.cos((Math.min(89, Math.abs(c.lat) + (c.radiusKm / kmPerDegLat)) * Math.PI) / 180)) / cellLon);
		const row = Math.floor(c.lat / cellLat);
		const col = Math.floor(c.lon / cellLon);
		for (let r = row - reachLat; r <= row + reachLat; r++)
			for (let q = col - reachLon; q <= col + reachLon; q++)
				for (const i of grid.get(`${r}:${q}`) ?? []) if (greatCircleKm(c.lat, c.lon, demand[i].lat, demand[i].lon) <= c.radiusKm) out.push(i);
		return Int32Array.from(out.sort((a, b) => a - b));
	});
}

/** Validates an instance and builds the indexed problem; throws {@link InstanceError} naming the field. */
export function problemFromInstance(input: unknown): { problem: CoverProblem; demandIds: string[]; candidateIds: string[] } {
	const parsed = instanceSchema.safeParse(input);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		throw new InstanceError(`${pathOf(issue.path) || 'instance'}: ${issue.message}`);
	}
	const inst = parsed.data;
	if (inst.p === null && inst.budget === null) throw new InstanceError('p and budget: at least one must be given (both are null)');
	const candidateIndex = new Map<string, number>();
	inst.candidates.forEach((c, i) => {
		if (candidateIndex.has(c.id)) throw new InstanceError(`candidates[${i}].id: duplicate id "${c.id}"`);
		candidateIndex.set(c.id, i);
	});
	const demandIndex = new Map<string, number>();
	inst.demand.forEach((d, i) => {
		if (demandIndex.has(d.id)) throw new InstanceError(`demand[${i}].id: duplicate id "${d.id}"`);
		demandIndex.set(d.id, i);
	});
	const existing = new Uint8Array(inst.candidates.length);
	inst.existing.forEach((e, i) => {
		const c = candidateIndex.get(e);
		if (c === undefined) throw new InstanceError(`existing[${i}]: "${e}" is not among the candidates`);
		existing[c] = 1;
	});
	let covers: Int32Array[];
	if (inst.coverage) {
		covers = inst.candidates.map(() => new Int32Array(0));
		for (const [cid, list] of Object.entries(inst.coverage)) {
			const c = candidateIndex.get(cid);
			if (c === undefined) throw new InstanceError(`coverage.${cid}: "${cid}" is not among the candidates`);
			const ds = list.map((did, k) => {
				const d = demandIndex.get(did);
				if (d === undefined) throw new InstanceError(`coverage.${cid}[${k}]: "${did}" is not among the demand`);
				return d;
			});
			covers[c] = Int32Array.from(new Set(ds)).sort();
		}
	} else covers = coversByRadius(inst.demand, inst.candidates);
	return {
		problem: {
			weights: Float64Array.from(inst.demand.map((d) => d.weight)),
			costs: Float64Array.from(inst.candidates.map((c) => c.cost)),
			covers,
			existing,
			maxSites: inst.p,
			budget: inst.budget
		},
		demandIds: inst.demand.map((d) => d.id),
		candidateIds: inst.candidates.map((c) => c.id)
	};
}
