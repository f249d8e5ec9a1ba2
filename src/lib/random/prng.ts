/**
 * A small seeded pseudo-random generator (mulberry32): the demo data must be the same on every
 * machine and every run, and Math.random cannot be seeded.
 */
export interface Random {
	/** Uniform in [0, 1). */
	next(): number;
	/** Uniform in [min, max). */
	uniform(min: number, max: number): number;
	/** Integer in [min, max] inclusive. */
	int(min: number, max: number): number;
	/** Standard normal variate times `sd`, plus `mean` (Box–Muller). */
	normal(mean?: number, sd?: number): number;
	/** True with probability `p`. */
	chance(p: number): boolean;
	/** One element, chosen by weight. */
	weighted<T>(items: readonly T[], weights: readonly number[]): T;
}

/** Creates a generator from an integer seed. */
export function createRandom(seed: number): Random {
	let state = seed >>> 0;
	const next = () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return {
		next,
		uniform: (min, max) => min + (max - min) * next(),
		int: (min, max) => min + Math.floor(next() * (max - min + 1)),
		normal(mean = 0, sd = 1) {
			const u = 1 - next();
			const v = next();
			return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
		},
		chance: (p) => next() < p,
		weighted<T>(items: readonly T[], weights: readonly number[]): T {
			if (items.length === 0 || items.length !== weights.length) {
				throw new RangeError(`weighted needs as many weights as items, got ${items.length} items and ${weights.length} weights`);
			}
			const total = weights.reduce((a, b) => a + b, 0);
			let pick = next() * total;
			for (let i = 0; i < items.length; i++) {
				pick -= weights[i];
				if (pick < 0) return items[i];
			}
			return items[items.length - 1];
		}
	};
}
