import { describe, expect, it } from 'vitest';
import { buildRoadNetwork } from './road-network';

describe('buildRoadNetwork', () => {
	it('connects n centres with n−1 segments, choosing the short ones', () => {
		const centres: [number, number][] = [
			[106.0, 22.0],
			[106.01, 22.0],
			[106.02, 22.0],
			[106.5, 22.5]
		];
		const roads = buildRoadNetwork(centres);
		expect(roads).toHaveLength(3);
		// The far settlement joins through its nearest neighbour, not the first one.
		expect(roads).toContainEqual([[106.02, 22.0], [106.5, 22.5]]);
		expect(roads).not.toContainEqual([[106.0, 22.0], [106.5, 22.5]]);
	});

	it('has no roads for fewer than two centres', () => {
		expect(buildRoadNetwork([[106, 22]])).toEqual([]);
	});
});
