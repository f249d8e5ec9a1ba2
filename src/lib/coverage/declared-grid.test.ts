import { booleanPointInPolygon } from '@turf/turf';
import { cellToChildren, cellToLatLng, cellToParent, latLngToCell, polygonToCells } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { declaredCoveredAt, declaredShares, packShares, RES11_PER_RES9, unpackShares } from './declared-grid';

// A hand-made polygon near Cao Bằng town: a 3 × 2 km rectangle with a 1 km² hole.
const rectangle = [
	[
		[106.2, 22.65],
		[106.23, 22.65],
		[106.23, 22.668],
		[106.2, 22.668],
		[106.2, 22.65]
	],
	[
		[106.21, 22.655],
		[106.22, 22.655],
		[106.22, 22.664],
		[106.21, 22.664],
		[106.21, 22.655]
	]
];
const polygon = { type: 'Polygon', coordinates: rectangle };

/** The rule by brute force: every res-11 centre of every res-9 cell near the polygon. */
function bruteForce(): Map<string, number> {
	const near = new Set(polygonToCells([[[106.19, 22.64], [106.24, 22.64], [106.24, 22.678], [106.19, 22.678], [106.19, 22.64]]], 9, true));
	const shares = new Map<string, number>();
	for (const cell of near) {
		const inside = cellToChildren(cell, 11).filter((c) => {
			const [lat, lng] = cellToLatLng(c);
			return booleanPointInPolygon([lng, lat], { type: 'Polygon', coordinates: rectangle });
		}).length;
		if (inside > 0) shares.set(cell, inside / RES11_PER_RES9);
	}
	return shares;
}

describe('declared coverage on the grid', () => {
	it('gives each res-9 cell the share of its res-11 centres inside the polygon, holes excepted', () => {
		const shares = declaredShares([polygon]);
		expect(shares).toEqual(bruteForce());
		expect(shares.get(latLngToCell(22.66, 106.205, 9))).toBe(1); // well inside
		expect(shares.has(latLngToCell(22.6595, 106.215, 9))).toBe(false); // the middle of the hole
		const edge = [...shares.values()].filter((s) => s < 1);
		expect(edge.length).toBeGreaterThan(10);
	});

	it('counts a cell covered when most of its descendants are, at res 9 and above', () => {
		const shares = new Map([
			['89415ca0003ffff', 25 / 49],
			['89415ca0007ffff', 24 / 49],
			['89415ca000bffff', 1]
		]);
		expect([...declaredCoveredAt(shares, 9, 0.5)].sort()).toEqual(['89415ca0003ffff', '89415ca000bffff']);
		// A res-8 parent with 4 of 7 children covered is covered; with 3 it is not.
		const parent = cellToParent('89415ca0003ffff', 8);
		const children = cellToChildren(parent, 9);
		const four = new Map(children.slice(0, 4).map((c) => [c, 1]));
		expect([...declaredCoveredAt(four, 8, 0.5)]).toEqual([parent]);
		expect(declaredCoveredAt(new Map(children.slice(0, 3).map((c) => [c, 1])), 8, 0.5).size).toBe(0);
	});

	it('takes the union of overlapping polygons, each centre once', () => {
		const a = { type: 'Polygon', coordinates: [[[106.2, 22.65], [106.22, 22.65], [106.22, 22.668], [106.2, 22.668], [106.2, 22.65]]] };
		const b = { type: 'MultiPolygon', coordinates: [[[[106.21, 22.65], [106.23, 22.65], [106.23, 22.668], [106.21, 22.668], [106.21, 22.65]]]] };
		const whole = { type: 'Polygon', coordinates: [rectangle[0]] };
		expect(declaredShares([a, b])).toEqual(declaredShares([whole]));
	});

	it('packs shares as 49ths and back', () => {
		const shares = new Map([
			['892a1008003ffff', 1],
			['892a1008007ffff', 25 / 49],
			['892a100800bffff', 1 / 49]
		]);
		const packed = packShares(shares);
		expect([...packed.inside]).toEqual([49, 25, 1]);
		expect(unpackShares(packed)).toEqual(shares);
	});
});
