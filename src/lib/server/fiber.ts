import { sql } from 'drizzle-orm';
import { insertJsonChunks } from './db/bulk';
import type { Database } from './db/index';
import type { FiberRecord } from '../import/units';

/** Fiber household counts for one unit and operator. */
export interface FiberInput extends FiberRecord {
	asOf: string | null;
	synthetic: boolean;
}

/** Inserts fiber counts; a row for the same unit and operator is replaced by the newer one. */
export async function insertFiber(db: Database, rows: readonly FiberInput[]): Promise<number> {
	return insertJsonChunks(
		db,
		rows,
		(json) => sql`
		insert into fiber_coverage (unit_kind, unit_code, commune_code, operator_code, households_total,
			households_passed, households_connected, as_of, synthetic)
		select r."unitKind", r."unitCode", r."communeCode", r."operatorCode", r."householdsTotal",
			r."householdsPassed", r."householdsConnected", r."asOf", r."synthetic"
		from json_to_recordset(${json}) as r("unitKind" text, "unitCode" text, "communeCode" text, "operatorCode" text,
			"householdsTotal" integer, "householdsPassed" integer, "householdsConnected" integer, "asOf" date, "synthetic" boolean)
		on conflict (unit_kind, unit_code, operator_code) do update set
			households_total = excluded.households_total, households_passed = excluded.households_passed,
			households_connected = excluded.households_connected, as_of = excluded.as_of, synthetic = excluded.synthetic`
	);
}
