import { describe, expect, it } from 'vitest';
import { THROTTLE, throttleDelaySeconds } from './throttle';

describe('throttleDelaySeconds', () => {
	it.each([
		['pair', 1, 0],
		['pair', 3, 0],
		['pair', 4, 2],
		['pair', 5, 4],
		['pair', 6, 8],
		['pair', 12, 512],
		['pair', 13, THROTTLE.pair.maxDelayS],
		['pair', 1000, THROTTLE.pair.maxDelayS],
		['address', 20, 0],
		['address', 21, 1],
		['address', 25, 16],
		['address', 40, THROTTLE.address.maxDelayS]
	] as const)('%s after %i failures waits %i s', (scope, failures, expected) => {
		expect(throttleDelaySeconds(scope, failures)).toBe(expected);
	});
});
