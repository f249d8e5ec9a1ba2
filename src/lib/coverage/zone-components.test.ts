import { cellsToMultiPolygon, cellToBoundary, gridDisk, gridDistance, gridRing, latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../random/prng';
import { assignStableIds, connectedComponents, updateComponents, type Component } from './zone-components';

// A res-9 cell in Cao Bằng and the hand-built shapes around it.
const centre = latLngToCell(22.66, 106.25, 9);
const ring1 = gridRing(centre, 1);
const ring3 = gridRing(centre, 3);

const sameComponents = (a: Component[], b: Component[]) => expect(a.map((c) => c.join())).toEqual(b.map((c) => c.join()));

describe('connectedComponents', () => {
	it('keeps a single cell as its own component', () => {
		expect(connectedComponents([centre])).toEqual([[centre]]);
	});

	it('joins cells sharing an edge and keeps cells one cell apart separate', () => {
		const [a] = ring1;
		expect(connectedComponents([centre, a])).toHaveLength(1);
		const far = ring3[0];
		expect(gridDistance(centre, far)).toBe(3);
		const two = ring3.find((c) => gridDistance(ring1[0], c) === 2)!;
		expect(connectedComponents([ring1[0], two])).toHaveLength(2);
	});

	it('needs no vertex rule: cells that share a vertex also share an edge', () => {
		const key = ([lat, lng]: number[]) => `${lat.toFixed(9)},${lng.toFixed(9)}`;
		const cells = gridDisk(centre, 2);
		for (const a of cells) {
			const va = new Set(cellToBoundary(a).map(key));
			for (const b of cells) {
				if (a === b) continue;
				const shared = cellToBoundary(b).filter((v) => va.has(key(v))).length;
				// A shared vertex comes with its edge (two shared vertices) and means grid neighbours.
				expect([0, 2]).toContain(shared);
				expect(shared === 2).toBe(gridDistance(a, b) === 1);
			}
		}
	});

	it('keeps a ring with a hole as one component whose outline has the hole', () => {
		const components = connectedComponents(ring1);
		expect(components).toHaveLength(1);
		const [polygon] = cellsToMultiPolygon(components[0], true);
		expect(polygon).toHaveLength(2);
	});

	it('splits two rings apart and returns sorted cells in a stable order', () => {
		const components = connectedComponents([...ring3, centre, ...ring1].reverse());
		expect(components).toHaveLength(2);
		for (const c of components) expect(c).toEqual([...c].sort());
		expect(components[0][0] < components[1][0]).toBe(true);
		expect(new Set(components.map((c) => c.length))).toEqual(new Set([7, 18]));
	});
});

describe('updateComponents', () => {
	it('equals a full computation after random changes, and keeps untouched components as they were', () => {
		const random = createRandom(13);
		const universe = gridDisk(centre, 12);
		let current = new Set(universe.filter(() => random.chance(0.45)));
		let components = connectedComponents(current);
		for (let step = 0; step < 40; step++) {
			const changed = new Set<string>();
			const count = random.int(1, 12);
			for (let i = 0; i < count; i++) changed.add(universe[random.int(0, universe.length - 1)]);
			const next = new Set(current);
			for (const c of changed) if (next.has(c)) next.delete(c);
			else next.add(c);
			const updated = updateComponents(components, next, changed);
			sameComponents(updated.components, connectedComponents(next));
			const before = new Set(components);
			expect(updated.components.filter((c) => before.has(c))).toHaveLength(updated.kept);
			[current, components] = [next, updated.components];
		}
	});

	it('merges two components through one new cell', () => {
		const left = ring1[0];
		const right = ring1[3];
		const before = connectedComponents([left, right]);
		expect(before).toHaveLength(2);
		const after = updateComponents(before, new Set([left, right, centre]), [centre]);
		expect(after.components).toHaveLength(1);
		expect(after.kept).toBe(0);
	});
});

describe('assignStableIds', () => {
	const ids = () => {
		let next = 100;
		return () => next++;
	};
	const zoneA = gridDisk(centre, 2).sort();
	const farCentre = gridRing(centre, 8)[0];
	const zoneB = gridDisk(farCentre, 1).sort();

	it('keeps ids through a small change and numbers new zones in order', () => {
		const grown = [...zoneA, ...gridRing(centre, 3).slice(0, 3)].sort();
		const newZone = gridDisk(gridRing(centre, 20)[5], 1).sort();
		const components = connectedComponents([...grown, ...zoneB, ...newZone]);
		const assigned = assignStableIds([{ id: 7, cells: zoneA }, { id: 9, cells: zoneB }], components, ids());
		const idOf = (cells: string[]) => assigned[components.findIndex((c) => c.includes(cells[0]))];
		expect(idOf(grown)).toBe(7);
		expect(idOf(zoneB)).toBe(9);
		expect(idOf(newZone)).toBe(100);
	});

	it('gives a new id when the overlap falls below one half', () => {
		const shrunk = [centre, ...ring1.slice(0, 3)];
		expect(assignStableIds([{ id: 7, cells: zoneA }], connectedComponents(shrunk), ids())).toEqual([100]);
	});

	it('keeps the id on the largest part of a split', () => {
		// A line of 9 cells cut in three: 4 + 1 gap + 2 + 1 gap + ... each part below one half.
		const line: string[] = [centre];
		while (line.length < 9) line.push(gridRing(line[line.length - 1], 1).find((c) => gridDistance(centre, c) === line.length)!);
		const parts = [line.slice(0, 4), line.slice(5, 7), line.slice(8)];
		const components = connectedComponents(parts.flat());
		expect(components).toHaveLength(3);
		const assigned = assignStableIds([{ id: 7, cells: line }], components, ids());
		expect(assigned[components.findIndex((c) => c.includes(line[0]))]).toBe(7);
		expect(assigned.filter((id) => id === 7)).toHaveLength(1);
		expect(assigned.filter((id) => id >= 100)).toHaveLength(2);
	});

	it('gives a merged zone the id of the zone it overlaps most', () => {
		const merged = connectedComponents([...zoneA, ...gridRing(centre, 3)]);
		const small = gridRing(centre, 3).slice(0, 4);
		const assigned = assignStableIds([{ id: 9, cells: small }, { id: 7, cells: zoneA }], merged, ids());
		expect(assigned).toEqual([7]);
	});
});
