import { customType } from 'drizzle-orm/pg-core';

/**
 * PostGIS geometry columns. Values are written and read through SQL
 * (`ST_GeomFromGeoJSON`, `ST_AsGeoJSON`), so the driver value stays the raw column.
 */
function geometryOf(kind: 'Point' | 'MultiPolygon' | 'MultiLineString') {
	return customType<{ data: string; driverData: string }>({
		dataType: () => `geometry(${kind},4326)`
	});
}

export const point = geometryOf('Point');
export const multiPolygon = geometryOf('MultiPolygon');
export const multiLineString = geometryOf('MultiLineString');
