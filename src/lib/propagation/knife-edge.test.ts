import { describe, expect, it } from 'vitest';
import { deygoutLoss, earthBulgeM, fresnelV, knifeEdgeLoss, terrainObstructionLoss, wavelengthM } from './knife-edge';

describe('single knife edge (ITU-R P.526)', () => {
	it.each([
		[-1, 0],
		[-0.78, 0],
		// 6.9 + 20 log(√1.01 − 0.1): an edge on the line costs ~6 dB
		[0, 6.03],
		[1, 13.93],
		[2.4, 20.54]
	])('J(%d) = %d dB', (v, loss) => expect(knifeEdgeLoss(v)).toBeCloseTo(loss, 2));

	it("Rappaport's worked example (Wireless Communications, ex. 4.7): λ = 1/3 m, d1 = d2 = 1 km, h = 25 m → v ≈ 2.74, ≈ 22 dB", () => {
		const v = fresnelV(25, 1000, 1000, 1 / 3);
		expect(v).toBeCloseTo(2.74, 2);
		// The book reads 22 dB off Lee's approximation graph; P.526 eq. 31 gives 21.7 dB.
		expect(knifeEdgeLoss(v)).toBeCloseTo(21.65, 1);
		expect(Math.abs(knifeEdgeLoss(v) - 22)).toBeLessThan(0.5);
	});
});

/** A profile every 100 m over `km`, ground from `ground(d)`. */
function profile(km: number, ground: (dM: number) => number) {
	const distanceM: number[] = [];
	const groundM: number[] = [];
	for (let d = 0; d <= km * 1000; d += 100) distanceM.push(d), groundM.push(ground(d));
	return { distanceM, groundM };
}

describe('Deygout over a terrain profile', () => {
	it('adds nothing over flat ground, short or long (the empirical model has the smooth ground)', () => {
		expect(terrainObstructionLoss(profile(3, () => 200), 30, 1.5, 900).lossDb).toBe(0);
		expect(terrainObstructionLoss(profile(40, () => 0), 10, 1.5, 900).lossDb).toBe(0);
		// A uniform slope is smooth ground too.
		expect(terrainObstructionLoss(profile(5, (d) => 300 - d / 50), 30, 1.5, 1800).lossDb).toBe(0);
		// Raw Deygout does see the handset's own grazing near zone on flat ground: that is what the excess removes.
		expect(deygoutLoss(profile(3, () => 200), 30, 1.5, 900).lossDb).toBeGreaterThan(0);
	});

	it('adds the excess of a ridge over smooth ground', () => {
		const ridge = profile(4, (d) => (d === 1000 ? 60 : 0));
		const flat = profile(4, () => 0);
		const added = terrainObstructionLoss(ridge, 30, 1.5, 900).lossDb;
		expect(added).toBeCloseTo(deygoutLoss(ridge, 30, 1.5, 900).lossDb - deygoutLoss(flat, 30, 1.5, 900).lossDb, 10);
		expect(added).toBeGreaterThan(10);
	});

	it('takes a ridge between tower and cell as the main knife edge, as computed by hand', () => {
		// 4 km path at 900 MHz, tower 30 m, handset 1.5 m, flat ground at 0 except a ridge of 60 m at 1 km.
		const p = profile(4, (d) => (d === 1000 ? 60 : 0));
		const { lossDb, edges } = deygoutLoss(p, 30, 1.5, 900);
		expect(edges.map((e) => e.index)).toContain(10);
		expect(edges.find((e) => e.index === 10)!.lossDb).toBe(Math.max(...edges.map((e) => e.lossDb)));
		const line = 30 + ((1.5 - 30) * 1000) / 4000;
		const v = fresnelV(60 + earthBulgeM(1000, 3000) - line, 1000, 3000, wavelengthM(900));
		expect(edges.find((e) => e.index === 10)!.lossDb).toBeCloseTo(knifeEdgeLoss(v), 10);
		expect(lossDb).toBeGreaterThan(15);
	});

	it('takes the main edge and one more on each side, at most three', () => {
		const ridges = new Map([
			[1000, 55],
			[2000, 70],
			[3000, 40],
			[3500, 30]
		]);
		const { lossDb, edges } = deygoutLoss(profile(4, (d) => ridges.get(d) ?? 0), 30, 1.5, 900);
		expect(edges).toHaveLength(3);
		expect(edges[1].index).toBe(20); // the 70 m ridge is the main edge
		expect(lossDb).toBeGreaterThan(knifeEdgeLoss(edges[1].v));
	});

	it('lets the Earth bulge block a long low path over flat ground', () => {
		// 40 km at 10 m and 1.5 m masts: the bulge at mid-path is 40²/(8·4/3·6371) km ≈ 23.5 m.
		expect(earthBulgeM(20_000, 20_000)).toBeCloseTo(23.54, 1);
		expect(deygoutLoss(profile(40, () => 0), 10, 1.5, 900).lossDb).toBeGreaterThan(20);
	});
});
