import { sql } from 'drizzle-orm';
import type { Database, DatabaseKind } from './db/index';
import { readDemoProvinces, type DemoInfo } from './meta';

/** What `/api/health` answers. */
export interface Health {
	status: 'ok';
	database: DatabaseKind;
	postgis: string;
	counts: { communes: number; towers: number; reports: number };
	demo: DemoInfo[];
}

/** Checks the database answers, and counts the main layers. */
export async function checkHealth(db: Database): Promise<Health> {
	const [row] = await db.rows<{ postgis: string; communes: number; towers: number; reports: number }>(sql`
		select postgis_lib_version() as postgis,
			(select count(*) from communes)::int as communes,
			(select count(*) from towers)::int as towers,
			(select count(*) from signal_reports)::int as reports`);
	return {
		status: 'ok',
		database: db.kind,
		postgis: row.postgis,
		counts: { communes: row.communes, towers: row.towers, reports: row.reports },
		demo: Object.values(await readDemoProvinces(db))
	};
}
