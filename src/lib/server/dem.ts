import { sql } from 'drizzle-orm';
import type { ElevationTile } from '../propagation/terrain';
import type { Database } from './db/index';

/** The no-data value stored DEM tiles use (SRTM's void). */
export const DEM_NODATA = -32768;

/** Stores elevation tiles of one import (int16 metres, footprint for the GiST index). */
export async function insertDemTiles(db: Database, importId: number, tiles: readonly ElevationTile[]): Promise<number> {
	for (const t of tiles) {
		const east = t.west + t.width * t.pixelWidth;
		const south = t.north - t.height * t.pixelHeight;
		await db.orm.execute(sql`
			insert into dem_tiles (import_id, width, height, west, north, pixel_width, pixel_height, nodata, elevations, geom)
			values (${importId}, ${t.width}, ${t.height}, ${t.west}, ${t.north}, ${t.pixelWidth}, ${t.pixelHeight}, ${t.nodata ?? DEM_NODATA},
				${Buffer.from(t.elevations.buffer, t.elevations.byteOffset, t.elevations.byteLength)},
				ST_Multi(ST_MakeEnvelope(${t.west}, ${south}, ${east}, ${t.north}, 4326)))`);
	}
	return tiles.length;
}
