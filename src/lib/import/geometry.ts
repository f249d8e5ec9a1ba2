import type { Position } from 'geojson';
import { VIETNAM_EXTENT } from './bounds';

export type GeometryType = 'Point' | 'MultiPoint' | 'LineString' | 'MultiLineString' | 'Polygon' | 'MultiPolygon';

/** Every ring or line of a geometry, with what it must satisfy. */
function partsOf(type: GeometryType, coordinates: unknown): { kind: 'point' | 'line' | 'ring'; positions: unknown; label: string }[] {
	const c = coordinates as unknown[];
	switch (type) {
		case 'Point':
			return [{ kind: 'point', positions: [c], label: 'the point' }];
		case 'MultiPoint':
			return [{ kind: 'point', positions: c, label: 'the points' }];
		case 'LineString':
			return [{ kind: 'line', positions: c, label: 'the line' }];
		case 'MultiLineString':
			return c.map((line, i) => ({ kind: 'line' as const, positions: line, label: `line ${i + 1}` }));
		case 'Polygon':
			return c.map((ring, r) => ({ kind: 'ring' as const, positions: ring, label: `ring ${r + 1} of polygon 1` }));
		case 'MultiPolygon':
			return c.flatMap((polygon, p) => (polygon as unknown[]).map((ring, r) => ({ kind: 'ring' as const, positions: ring, label: `ring ${r + 1} of polygon ${p + 1}` })));
	}
}

/**
 * What is wrong with a GeoJSON geometry for a layer that takes `allowed` types: its type, its
 * positions (numbers; lines ≥ 2, rings ≥ 4 and closed), and its place (inside Vietnam; swapped
 * latitude/longitude and projected coordinates are named as such). Null when it is fine.
 */
export function geometryProblem(geometry: unknown, allowed: readonly GeometryType[]): string | null {
	const g = geometry as { type?: string; coordinates?: unknown } | null;
	if (!g || !allowed.includes(g.type as GeometryType)) return `geometry must be a ${allowed.join(' or ')}, got ${g?.type ?? 'none'}`;
	if (!Array.isArray(g.coordinates)) return 'geometry has no coordinates';
	let west = Infinity, south = Infinity, east = -Infinity, north = -Infinity;
	for (const part of partsOf(g.type as GeometryType, g.coordinates)) {
		const positions = part.positions as Position[];
		if (!Array.isArray(positions)) return `${part.label} has no positions`;
		if (part.kind === 'ring' && positions.length < 4) return `${part.label} has fewer than 4 positions`;
		if (part.kind === 'line' && positions.length < 2) return `${part.label} has fewer than 2 positions`;
		for (const pos of positions) {
			if (!Array.isArray(pos) || typeof pos[0] !== 'number' || typeof pos[1] !== 'number' || !Number.isFinite(pos[0]) || !Number.isFinite(pos[1])) {
				return `${part.label} has a position that is not two numbers`;
			}
			west = Math.min(west, pos[0]);
			east = Math.max(east, pos[0]);
			south = Math.min(south, pos[1]);
			north = Math.max(north, pos[1]);
		}
		if (part.kind === 'ring') {
			const [first, last] = [positions[0], positions[positions.length - 1]];
			if (first[0] !== last[0] || first[1] !== last[1]) return `${part.label} is not closed (first and last positions differ)`;
		}
	}
	const e = VIETNAM_EXTENT;
	const inside = (w: number, s: number, ea: number, n: number) => w >= e.west && ea <= e.east && s >= e.south && n <= e.north;
	if (inside(west, south, east, north)) return null;
	if (inside(south, west, north, east)) return 'coordinates look swapped (latitude first); GeoJSON positions are [longitude, latitude]';
	return `lies outside Vietnam (bbox ${west.toFixed(3)}, ${south.toFixed(3)}, ${east.toFixed(3)}, ${north.toFixed(3)}); is it in another projection?`;
}

export const POLYGONAL: readonly GeometryType[] = ['Polygon', 'MultiPolygon'];
