import { approxDistanceKm } from '../grid/distance';

/** A straight road segment between two settlements, `[lng, lat]` ends. */
export type RoadSegment = [[number, number], [number, number]];

/**
 * A plausible main-road network for synthetic data: the minimum spanning tree of the settlement
 * centres (Prim's algorithm), so every commune centre is reachable and roads are short.
 */
export function buildRoadNetwork(centres: readonly [number, number][]): RoadSegment[] {
	if (centres.length < 2) return [];
	const inTree = new Array<boolean>(centres.length).fill(false);
	const bestKm = new Array<number>(centres.length).fill(Infinity);
	const bestFrom = new Array<number>(centres.length).fill(-1);
	const segments: RoadSegment[] = [];
	bestKm[0] = 0;
	for (let step = 0; step < centres.length; step++) {
		let next = -1;
		for (let i = 0; i < centres.length; i++) if (!inTree[i] && (next < 0 || bestKm[i] < bestKm[next])) next = i;
		inTree[next] = true;
		if (bestFrom[next] >= 0) segments.push([centres[bestFrom[next]], centres[next]]);
		for (let i = 0; i < centres.length; i++) {
			if (inTree[i]) continue;
			const km = approxDistanceKm(centres[next], centres[i]);
			if (km < bestKm[i]) {
				bestKm[i] = km;
				bestFrom[i] = next;
			}
		}
	}
	return segments;
}
