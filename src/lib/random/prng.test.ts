import { describe, expect, it } from 'vitest';
import { createRandom } from './prng';

describe('createRandom', () => {
	it('repeats the same sequence for the same seed', () => {
		const a = createRandom(42);
		const b = createRandom(42);
		const seqA = Array.from({ length: 5 }, () => a.next());
		expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
		expect(Array.from({ length: 5 }, () => createRandom(43).next())[0]).not.toBe(seqA[0]);
	});

	it('stays in range and is roughly uniform', () => {
		const r = createRandom(7);
		const buckets = new Array(10).fill(0);
		for (let i = 0; i < 20000; i++) {
			const x = r.next();
			expect(x).toBeGreaterThanOrEqual(0);
			expect(x).toBeLessThan(1);
			buckets[Math.floor(x * 10)]++;
		}
		for (const n of buckets) expect(n).toBeGreaterThan(1700);
	});

	it('draws normals with the requested mean and spread', () => {
		const r = createRandom(1);
		const xs = Array.from({ length: 20000 }, () => r.normal(5, 2));
		const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
		const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
		expect(mean).toBeCloseTo(5, 1);
		expect(sd).toBeCloseTo(2, 1);
	});

	it('picks by weight and refuses mismatched weights', () => {
		const r = createRandom(3);
		const counts = { a: 0, b: 0 };
		for (let i = 0; i < 10000; i++) counts[r.weighted(['a', 'b'] as const, [1, 3])]++;
		expect(counts.b / counts.a).toBeGreaterThan(2.5);
		expect(() => r.weighted(['a'], [1, 2])).toThrow(/as many weights/);
	});
});
