import { describe, expect, it } from 'vitest';
import { projectionFromPrj, projectionFromSrid, ProjectionError, reprojectGeometry } from './projection';

const WGS84 = 'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
const tm3 = (cm: number) =>
	`PROJCS["VN_2000_Cao_Bang",GEOGCS["GCS_VN_2000",DATUM["D_Vietnam_2000",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",${cm}],PARAMETER["Scale_Factor",0.9999],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`;

describe('projection', () => {
	it('treats WGS 84 geographic files as already in place', () => {
		expect(projectionFromPrj(WGS84)).toEqual({ label: 'WGS 84', toWgs84: null });
		expect(projectionFromSrid(4326).toWgs84).toBeNull();
	});

	it('reads a provincial VN-2000 TM-3 .prj (Cao Bằng, 105°45′) and lands near its central meridian', () => {
		const p = projectionFromPrj(tm3(105.75));
		expect(p.label).toBe('VN-2000 / TM-3 105.75° (VN_2000_Cao_Bang)');
		const [lon, lat] = p.toWgs84!([500000, 2500000]);
		// On the central meridian the easting is the false easting; the datum shift moves it a little.
		expect(lon).toBeCloseTo(105.75, 2);
		expect(lat).toBeGreaterThan(22.5);
		expect(lat).toBeLessThan(22.7);
	});

	it('refuses what it cannot read, by name', () => {
		expect(() => projectionFromPrj('  ')).toThrow(ProjectionError);
		expect(() => projectionFromPrj(tm3(105).replace('Transverse_Mercator', 'Lambert_Conformal_Conic'))).toThrow(/VN-2000 with a projection other than Transverse Mercator/);
		expect(() => projectionFromPrj('PROJCS["nonsense"')).toThrow(/cannot read the \.prj \("nonsense"\)/);
		expect(() => projectionFromSrid(27700)).toThrow(/EPSG:27700 is not one of the supported systems/);
	});

	it('reprojects every position of a multipolygon and drops heights', () => {
		const shift = ([x, y]: number[]) => [x + 1, y + 2];
		const g = reprojectGeometry({ type: 'MultiPolygon', coordinates: [[[[0, 0, 5], [1, 0, 5], [1, 1, 5], [0, 0, 5]]]] }, shift);
		expect(g).toEqual({ type: 'MultiPolygon', coordinates: [[[[1, 2], [2, 2], [2, 3], [1, 2]]]] });
	});
});
