import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coversByRadius, greatCircleKm, problemFromInstance } from './instance';

const base = {
	demand: [
		{ id: 'a', lat: 22.66, lon: 106.25, weight: 10 },
		{ id: 'b', lat: 22.67, lon: 106.26, weight: 5 },
		{ id: 'c', lat: 22.9, lon: 106.6, weight: 7 }
	],
	candidates: [
		{ id: 's1', lat: 22.665, lon: 106.255, cost: 1, radiusKm: 2 },
		{ id: 's2', lat: 22.9, lon: 106.6, cost: 2, radiusKm: 0.5 }
	],
	p: 1,
	budget: null,
	existing: [],
	coverage: null
};

describe('problemFromInstance', () => {
	it('covers by great-circle radius', () => {
		const { problem, candidateIds } = problemFromInstance(base);
		expect(candidateIds).toEqual(['s1', 's2']);
		expect(problem.covers.map((c) => [...c])).toEqual([[0, 1], [2]]);
		expect(problem.maxSites).toBe(1);
		expect(problem.budget).toBeNull();
	});

	it('takes coverage lists instead of radii; an unlisted candidate covers nothing', () => {
		const { problem } = problemFromInstance({ ...base, coverage: { s2: ['a', 'c', 'a'] } });
		expect(problem.covers.map((c) => [...c])).toEqual([[], [0, 2]]);
	});

	it.each([
		[{ ...base, p: null, budget: null }, /^p and budget: at least one/],
		[{ ...base, existing: ['nope'] }, /^existing\[0\]: "nope" is not among the candidates/],
		[{ ...base, demand: [...base.demand, { id: 'a', lat: 0, lon: 0, weight: 1 }] }, /^demand\[3\]\.id: duplicate id "a"/],
		[{ ...base, candidates: [base.candidates[0], base.candidates[0]] }, /^candidates\[1\]\.id: duplicate id "s1"/],
		[{ ...base, demand: [{ id: 'a', lat: 22, lon: 106, weight: -1 }] }, /^demand\[0\]\.weight: must not be negative/],
		[{ ...base, p: 1.5 }, /^p: must be a whole number/],
		[{ ...base, coverage: { s9: [] } }, /^coverage\.s9: "s9" is not among the candidates/],
		[{ ...base, coverage: { s1: ['zz'] } }, /^coverage\.s1\[0\]: "zz" is not among the demand/],
		[{ ...base, demand: 'x' }, /^demand: /]
	])('refuses a bad instance naming the field (%#)', (instance, message) => {
		expect(() => problemFromInstance(instance)).toThrow(message);
	});
});

describe('coversByRadius', () => {
	it('measures on the sphere: one degree of latitude is 111.195 km', () => {
		expect(greatCircleKm(22, 106, 23, 106)).toBeCloseTo(111.195, 2);
	});

	it('equals checking every pair (property)', () => {
		const point = fc.record({ lat: fc.double({ min: 8, max: 23.4, noNaN: true }), lon: fc.double({ min: 102, max: 109.5, noNaN: true }) });
		fc.assert(
			fc.property(fc.array(point, { maxLength: 60 }), fc.array(fc.record({ lat: point.map((p) => p.lat), lon: point.map((p) => p.lon), radiusKm: fc.double({ min: 0, max: 300, noNaN: true }) }), { maxLength: 8 }), (demand, candidates) => {
				const fast = coversByRadius(demand, candidates).map((c) => [...c]);
				const slow = candidates.map((c) => demand.flatMap((d, i) => (greatCircleKm(c.lat, c.lon, d.lat, d.lon) <= c.radiusKm ? [i] : [])));
				expect(fast).toEqual(slow);
			}),
			{ numRuns: 200, seed: 4 }
		);
	});
});
