import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { MultiPolygon, Polygon } from 'geojson';
import { declaredShares, packShares, unpackShares } from '../coverage/declared-grid';
import { packCells, unpackCells } from '../coverage/predicted-layer';
import type { AreaGeometry } from '../grid/h3';
import { cachePerDatabase, readDataVersion } from './data-version';
import { insertJsonChunks } from './db/bulk';
import type { Database } from './db/index';

/**
 * Operators' declared maps on the grid (drizzle/0017_declared-grid.sql). A pair's cells are the
 * union of all its polygons, so any import or undo of one of them recomputes the pair; each row
 * records the polygons it was computed from, and {@link updateDeclaredGrid} recomputes exactly the
 * pairs whose polygons differ from that — after an import, an undo, at start, or all on a rebuild.
 */

export interface DeclaredPair {
	operator: string;
	technology: string;
}

/**
 * Brings `declared_grid` in step with `declared_coverage`, in the caller's transaction: pairs whose
 * polygons changed are recomputed, pairs with none left are removed (`all`: every pair is
 * recomputed). Returns the pairs it changed.
 */
export async function updateDeclaredGrid(tx: Database, { all = false } = {}): Promise<DeclaredPair[]> {
	const current = await tx.rows<{ operator_code: string; technology: string; built_from: string }>(sql`
		select operator_code, technology, md5(string_agg(content_key, ',' order by content_key)) as built_from
		from declared_coverage group by operator_code, technology`);
	const stored = await tx.rows<{ operator_code: string; technology: string; built_from: string }>(sql`select operator_code, technology, built_from from declared_grid`);
	const storedFrom = new Map(stored.map((r) => [`${r.operator_code}|${r.technology}`, r.built_from]));
	const changed: DeclaredPair[] = [];
	for (const r of current) {
		const key = `${r.operator_code}|${r.technology}`;
		const was = storedFrom.get(key);
		storedFrom.delete(key);
		if (!all && was === r.built_from) continue;
		const polygons = await tx.rows<{ g: string }>(sql`
			select ST_AsGeoJSON(geom, 7) as g from declared_coverage where operator_code = ${r.operator_code} and technology = ${r.technology} order by content_key`);
		const packed = packShares(declaredShares(polygons.map((p) => JSON.parse(p.g) as AreaGeometry)));
		await tx.orm.execute(sql`
			insert into declared_grid (operator_code, technology, built_from, cell_count, cells, inside)
			values (${r.operator_code}, ${r.technology}, ${r.built_from}, ${packed.cells.length},
				decode(${Buffer.from(packCells(packed.cells)).toString('base64')}, 'base64'), decode(${Buffer.from(packed.inside).toString('base64')}, 'base64'))
			on conflict (operator_code, technology) do update set built_from = excluded.built_from, cell_count = excluded.cell_count, cells = excluded.cells, inside = excluded.inside`);
		changed.push({ operator: r.operator_code, technology: r.technology });
	}
	for (const key of storedFrom.keys()) {
		const [operator, technology] = key.split('|');
		await tx.orm.execute(sql`delete from declared_grid where operator_code = ${operator} and technology = ${technology}`);
		changed.push({ operator, technology });
	}
	return changed;
}

/** Every published pair's res-9 shares ("op|tech" → cell → share), as of the declared data version. */
export type DeclaredGrids = Map<string, Map<string, number>>;

const cache = cachePerDatabase<DeclaredGrids>(4);

export const declaredVersion = (db: Database) => readDataVersion(db, ['declared']);

export async function readDeclaredGrids(db: Database, version?: string): Promise<DeclaredGrids> {
	return cache(db).get('grids', version ?? (await declaredVersion(db)), async () => {
		const rows = await db.rows<{ operator_code: string; technology: string; cells: Uint8Array; inside: Uint8Array }>(sql`
			select operator_code, technology, cells, inside from declared_grid order by operator_code, technology`);
		return new Map(rows.map((r) => [`${r.operator_code}|${r.technology}`, unpackShares({ cells: unpackCells(r.cells), inside: r.inside })]));
	});
}

/** Inserts declared polygons (already valid, e.g. the demo's) for one import, then puts them on the grid. */
export async function insertDeclaredMaps(
	tx: Database,
	importId: number,
	source: string,
	maps: readonly { operatorCode: string; technology: string; geometry: Polygon | MultiPolygon }[]
): Promise<number> {
	const rows = maps.map((m) => {
		const geometry = JSON.stringify(m.geometry);
		return { op: m.operatorCode, tech: m.technology, key: createHash('sha1').update(`${m.operatorCode}|${m.technology}|${geometry}`).digest('base64url'), geometry };
	});
	const inserted = await insertJsonChunks(
		tx,
		rows,
		(json) => sql`
			insert into declared_coverage (operator_code, technology, source, content_key, import_id, geom)
			select r.op, r.tech, ${source}, r.key, ${importId}, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(r.geometry), 4326))
			from json_to_recordset(${json}) as r(op text, tech text, key text, geometry text)
			on conflict (content_key) do nothing`,
		500
	);
	await updateDeclaredGrid(tx);
	return inserted;
}
