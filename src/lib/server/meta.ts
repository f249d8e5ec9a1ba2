import { sql } from 'drizzle-orm';
import type { Database } from './db/index';

/** What the database says about its demo content, shown as a banner in the UI. */
export interface DemoInfo {
	provinceCode: string;
	provinceName: string;
	seed: number;
	boundarySource: string;
	seededAt: string;
	counts: { communes: number; towers: number; reports: number; fiber: number; villages?: number };
}

/** Reads a value from `app_meta`, or null. */
export async function readMeta<T>(db: Database, key: string): Promise<T | null> {
	const [row] = await db.rows<{ value: T }>(sql`select value from app_meta where key = ${key}`);
	return row?.value ?? null;
}

/** Writes a value to `app_meta`. */
export async function writeMeta(db: Database, key: string, value: unknown): Promise<void> {
	await db.orm.execute(sql`
		insert into app_meta (key, value) values (${key}, ${JSON.stringify(value)}::jsonb)
		on conflict (key) do update set value = excluded.value, updated_at = now()`);
}

/** The demo provinces seeded into this database, by province code. */
export async function readDemoProvinces(db: Database): Promise<Record<string, DemoInfo>> {
	return (await readMeta<Record<string, DemoInfo>>(db, 'demo')) ?? {};
}
