import { describe, expect, it } from 'vitest';
import { VersionedCache } from './data-version';

describe('VersionedCache', () => {
	it('computes once per key and version, shares a computation in flight, and recomputes on a new version', async () => {
		const cache = new VersionedCache<number>(2);
		let calls = 0;
		const compute = (v: number) => async () => (calls++, v);
		const [a, b] = await Promise.all([cache.get('k', '1', compute(10)), cache.get('k', '1', compute(99))]);
		expect([a, b, calls]).toEqual([10, 10, 1]);
		expect(await cache.get('k', '2', compute(20))).toBe(20);
		expect(calls).toBe(2);
	});

	it('keeps at most maxEntries keys, dropping the least recently used', async () => {
		const cache = new VersionedCache<string>(2);
		let calls = 0;
		const compute = (v: string) => async () => (calls++, v);
		await cache.get('a', '1', compute('a'));
		await cache.get('b', '1', compute('b'));
		await cache.get('a', '1', compute('a')); // a is now the most recent
		await cache.get('c', '1', compute('c')); // b goes
		expect(calls).toBe(3);
		await cache.get('a', '1', compute('a'));
		expect(calls).toBe(3);
		await cache.get('b', '1', compute('b'));
		expect(calls).toBe(4);
	});

	it('does not keep a failed computation', async () => {
		const cache = new VersionedCache<number>();
		await expect(cache.get('k', '1', async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
		expect(await cache.get('k', '1', async () => 5)).toBe(5);
	});
});
