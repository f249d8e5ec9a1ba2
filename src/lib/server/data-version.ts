import { sql } from 'drizzle-orm';
import type { Database } from './db/index';

/**
 * Layers with a data version (drizzle/0011_data-versions.sql): a trigger on each layer's table
 * bumps its version in the same transaction as any write, so a cache or ETag keyed on it is never
 * older than the committed data. Versions come from one sequence and are never reused.
 */
export const DATA_LAYERS = [
	'communes',
	'admin_areas',
	'crosswalk',
	'towers',
	'reports',
	'fiber',
	'declared',
	'facilities',
	'fiber_routes',
	'exclusions',
	'population',
	'dem',
	'operators',
	'settings',
	'measured',
	'predicted',
	'villages'
] as const;

export type DataLayer = (typeof DATA_LAYERS)[number];

/** The versions of `layers`, joined as one token ("41.7"), in the order given. */
export async function readDataVersion(db: Database, layers: readonly DataLayer[]): Promise<string> {
	return (await readDataVersions(db, { token: layers })).token;
}

/** Several tokens as {@link readDataVersion} makes them, from one query. */
export async function readDataVersions<K extends string>(db: Database, groups: Record<K, readonly DataLayer[]>): Promise<Record<K, string>> {
	const byLayer = db.transaction ? await queryVersions(db) : await batchedVersions(db);
	const out = {} as Record<K, string>;
	for (const key of Object.keys(groups) as K[]) out[key] = groups[key].map((l) => byLayer.get(l) ?? '0').join('.');
	return out;
}

/** Every layer's version (a row per layer: reading them all costs what reading a few does). */
async function queryVersions(db: Database): Promise<Map<string, string>> {
	const rows = await db.rows<{ layer: string; version: string }>(sql`select layer, version::text as version from data_versions`);
	return new Map(rows.map((r) => [r.layer, r.version]));
}

const scheduled = new WeakMap<Database, Promise<Map<string, string>>>();

/**
 * The versions read by one query shared by every caller that asks before it is sent. Each request
 * of a public page reads the versions its cached answer rests on, so under load this is most of
 * the database's work; callers arriving in the same turn of the event loop now share a query.
 * A caller never joins a query already sent: it could have been answered before a commit the
 * caller must see, so every caller's versions come from a query that started after it asked.
 */
function batchedVersions(db: Database): Promise<Map<string, string>> {
	let next = scheduled.get(db);
	if (!next) {
		next = new Promise((resolve, reject) =>
			setImmediate(() => {
				scheduled.delete(db);
				queryVersions(db).then(resolve, reject);
			})
		);
		scheduled.set(db, next);
	}
	return next;
}

/**
 * Values computed from the database and kept while the data version they came from is current.
 * Concurrent requests for the same key share one computation; at most `maxEntries` keys are
 * kept (least recently used first out).
 */
export class VersionedCache<V> {
	private readonly entries = new Map<string, { version: string; value: Promise<V> }>();
	constructor(private readonly maxEntries = 64) {}

	get(key: string, version: string, compute: () => Promise<V>): Promise<V> {
		const hit = this.entries.get(key);
		if (hit && hit.version === version) {
			// Re-insert: Map keeps insertion order, so the oldest key is the least recently used.
			this.entries.delete(key);
			this.entries.set(key, hit);
			return hit.value;
		}
		const value = compute();
		this.entries.set(key, { version, value });
		// A failed computation is not kept.
		value.catch(() => this.entries.get(key)?.value === value && this.entries.delete(key));
		while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
		return value;
	}
}

/** One cache per database and purpose (tests open many databases in one process). */
export function cachePerDatabase<V>(maxEntries?: number): (db: Database) => VersionedCache<V> {
	const caches = new WeakMap<object, VersionedCache<V>>();
	return (db) => {
		const owner = db.orm as object;
		let cache = caches.get(owner);
		if (!cache) caches.set(owner, (cache = new VersionedCache<V>(maxEntries)));
		return cache;
	};
}
