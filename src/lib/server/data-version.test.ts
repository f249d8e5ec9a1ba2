import { describe, expect, it } from 'vitest';
import { readDataVersion, readDataVersions, VersionedCache } from './data-version';
import type { Database } from './db/index';

/** A database whose data_versions answer from `versions`; each query is counted, and held until released. */
function fakeDatabase(versions: Record<string, number>, { transaction = false } = {}) {
	const queries: (() => void)[] = [];
	const db = {
		transaction,
		rows: () =>
			new Promise((resolve) => {
				const snapshot = Object.entries(versions).map(([layer, v]) => ({ layer, version: String(v) }));
				queries.push(() => resolve(snapshot));
			})
	} as unknown as Database;
	const releaseAll = () => queries.splice(0).forEach((release) => release());
	return { db, queries, releaseAll };
}
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

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

describe('readDataVersions', () => {
	it('callers in the same turn share one query; each gets its own groups', async () => {
		const { db, queries, releaseAll } = fakeDatabase({ communes: 4, towers: 7, reports: 9 });
		const reads = [...Array(20)].map((_, i) => (i % 2 ? readDataVersion(db, ['communes', 'towers']) : readDataVersions(db, { a: ['reports'], b: ['towers', 'fiber'] })));
		await nextTurn();
		expect(queries).toHaveLength(1);
		releaseAll();
		const answers = await Promise.all(reads);
		expect(answers[1]).toBe('4.7');
		expect(answers[0]).toEqual({ a: '9', b: '7.0' });
	});

	it('never joins a query already sent: a caller after it gets a query of its own, and sees a commit made in between', async () => {
		const versions = { settings: 1 };
		const { db, queries, releaseAll } = fakeDatabase(versions);
		const first = readDataVersion(db, ['settings']);
		await nextTurn();
		expect(queries).toHaveLength(1);
		versions.settings = 2; // committed after the first query was sent
		const second = readDataVersion(db, ['settings']);
		await nextTurn();
		expect(queries).toHaveLength(2);
		queries[0]();
		queries[1]();
		expect([await first, await second]).toEqual(['1', '2']);
		releaseAll();
	});

	it('inside a transaction reads at once, on the transaction (its own writes are visible)', async () => {
		const { db, queries, releaseAll } = fakeDatabase({ measured: 3 }, { transaction: true });
		const read = readDataVersion(db, ['measured']);
		expect(queries).toHaveLength(1);
		releaseAll();
		expect(await read).toBe('3');
	});
});
