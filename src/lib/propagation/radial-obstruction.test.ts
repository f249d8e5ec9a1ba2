import { describe, expect, it } from 'vitest';
import { createRandom } from '../random/prng';
import { terrainObstructionLoss } from './knife-edge';
import { edgeScratch, EDGES_PER_PATH, filledRows, obstructionFromEdges, pathEdges } from './radial-obstruction';
import { profileAlong, type RadialSweep } from './terrain';

describe('obstruction from a sweep', () => {
	it('equals knife-edge.ts on random rough profiles, for every band, with gaps in the DEM', () => {
		const random = createRandom(7);
		const stepM = 100;
		// 16 radials of 120 samples: hills up to 400 m, some gaps (NaN) as an SRTM void would leave.
		const ground = Array.from({ length: 16 }, () => {
			let h = 300;
			return Float64Array.from({ length: 120 }, () => (random.chance(0.03) ? NaN : (h = Math.max(0, h + random.normal(0, 25)))));
		});
		const sweep: RadialSweep = { origin: [106, 22], stepM, ground };
		const rows = filledRows(sweep);
		const scratch = edgeScratch(120);
		const edges = new Float64Array(EDGES_PER_PATH);
		let lossy = 0;
		for (let trial = 0; trial < 400; trial++) {
			const azimuth = random.next() * 360;
			const distance = 250 + random.next() * 12_500;
			const [tx, rx] = [10 + random.next() * 50, 1.5];
			pathEdges(rows, stepM, azimuth, distance, tx, rx, scratch, edges, 0);
			for (const freq of [900, 1800, 2100, 3500]) {
				const reference = terrainObstructionLoss(profileAlong(sweep, azimuth, distance), tx, rx, freq).lossDb;
				expect(obstructionFromEdges(edges, 0, freq)).toBeCloseTo(reference, 9);
				if (reference > 0) lossy++;
			}
		}
		expect(lossy).toBeGreaterThan(200); // the profiles do obstruct
	});
});
