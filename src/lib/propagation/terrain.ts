import type { Profile } from './knife-edge';

/**
 * Terrain heights for path profiles: bilinear interpolation in DEM tiles (as `dem_tiles` stores
 * them: int16 metres, pixel centres at west + (c + ½)·pixelWidth, north − (r + ½)·pixelHeight), and
 * a radial sweep per tower — one profile per azimuth, sampled once, which every cell in that
 * direction reads up to its own distance — instead of one independent profile per cell.
 */

/** One elevation tile. */
export interface ElevationTile {
	west: number;
	north: number;
	pixelWidth: number;
	pixelHeight: number;
	width: number;
	height: number;
	elevations: Int16Array;
	/** The value that means "no data", or null. */
	nodata: number | null;
}

/**
 * Heights from a set of tiles. A point takes the tile that contains it (pixel footprints,
 * half-open); at the tile's outer half pixel the nearest edge pixels are used (tiles are cut from one raster, so the seam is at most
 * half a pixel of extrapolation). Null where no tile has data.
 */
export class Terrain {
	/** The tile the last point fell in: a radial's next sample is nearly always in it too. */
	private last = 0;
	constructor(private readonly tiles: readonly ElevationTile[]) {}

	get isEmpty(): boolean {
		return this.tiles.length === 0;
	}

	/** Whether any tile meets a bbox (a site whose whole range has no DEM runs flat, and fast). */
	meets(west: number, south: number, east: number, north: number): boolean {
		return this.tiles.some((t) => t.west <= east && t.west + t.width * t.pixelWidth >= west && t.north >= south && t.north - t.height * t.pixelHeight <= north);
	}

	heightAt(lng: number, lat: number): number | null {
		const n = this.tiles.length;
		for (let k = 0; k < n; k++) {
			// The last tile first, then the others in order (the first that contains the point wins, as before).
			const i = k === 0 ? this.last : k <= this.last ? k - 1 : k;
			const t = this.tiles[i];
			const x = (lng - t.west) / t.pixelWidth - 0.5;
			const y = (t.north - lat) / t.pixelHeight - 0.5;
			// Half-open: tiles cut from one raster then never both hold a point, so which is tried first cannot matter.
			if (x < -0.5 || y < -0.5 || x >= t.width - 0.5 || y >= t.height - 0.5) continue;
			this.last = i;
			return bilinear(t, x, y);
		}
		return null;
	}
}

/** Bilinear interpolation at fractional pixel (x, y) of a tile, edges clamped; null if a neighbour has no data. */
export function bilinear(t: ElevationTile, x: number, y: number): number | null {
	const cx = Math.max(0, Math.min(t.width - 1, x));
	const cy = Math.max(0, Math.min(t.height - 1, y));
	const x0 = Math.min(t.width - 2 < 0 ? 0 : t.width - 2, Math.floor(cx));
	const y0 = Math.min(t.height - 2 < 0 ? 0 : t.height - 2, Math.floor(cy));
	const x1 = Math.min(t.width - 1, x0 + 1);
	const y1 = Math.min(t.height - 1, y0 + 1);
	const fx = cx - x0;
	const fy = cy - y0;
	const e = t.elevations;
	const v00 = e[y0 * t.width + x0];
	const v10 = e[y0 * t.width + x1];
	const v01 = e[y1 * t.width + x0];
	const v11 = e[y1 * t.width + x1];
	if (t.nodata !== null && (v00 === t.nodata || v10 === t.nodata || v01 === t.nodata || v11 === t.nodata)) return null;
	return v00 * (1 - fx) * (1 - fy) + v10 * fx * (1 - fy) + v01 * (1 - fx) * fy + v11 * fx * fy;
}

/** Mean Earth radius, m (for offsets over a few tens of km a local flat frame is exact to < 0.1 %). */
const R = 6_371_000;

/** The point `distanceM` from `origin` ([lng, lat]) towards `azimuthDeg` (clockwise from north). */
export function offset([lng, lat]: readonly [number, number], azimuthDeg: number, distanceM: number): [number, number] {
	const a = (azimuthDeg * Math.PI) / 180;
	const dLat = (distanceM * Math.cos(a)) / R;
	const dLng = (distanceM * Math.sin(a)) / (R * Math.cos((lat * Math.PI) / 180));
	return [lng + (dLng * 180) / Math.PI, lat + (dLat * 180) / Math.PI];
}

/** Azimuth (degrees clockwise from north, 0–360) and distance (m) from `origin` to `point`, local flat frame. */
export function bearing([lng0, lat0]: readonly [number, number], [lng, lat]: readonly [number, number]): { azimuthDeg: number; distanceM: number } {
	const north = ((lat - lat0) * Math.PI * R) / 180;
	const east = ((lng - lng0) * Math.PI * R * Math.cos((lat0 * Math.PI) / 180)) / 180;
	return { azimuthDeg: ((Math.atan2(east, north) * 180) / Math.PI + 360) % 360, distanceM: Math.hypot(north, east) };
}

/** Ground samples along every azimuth from one site. */
export interface RadialSweep {
	origin: [number, number];
	stepM: number;
	/** ground[a][k]: height at k·stepM along azimuth a·(360/azimuths)°; NaN where the DEM has none. */
	ground: Float64Array[];
}

/**
 * Samples the terrain along `azimuths` equally spaced directions out to `radiusM` every `stepM`.
 * Choose azimuths ≈ 2π·radius/step so neighbouring radials are a step apart at the rim.
 */
export function radialSweep(terrain: Terrain, origin: [number, number], radiusM: number, stepM: number, azimuths: number): RadialSweep {
	const samples = Math.ceil(radiusM / stepM) + 1;
	const ground: Float64Array[] = [];
	const [lng0, lat0] = origin;
	const cosLat = Math.cos((lat0 * Math.PI) / 180);
	for (let a = 0; a < azimuths; a++) {
		// offset() along one azimuth: degrees per metre are constant on it.
		const az = (((a * 360) / azimuths) * Math.PI) / 180;
		const latPerM = (Math.cos(az) / R) * (180 / Math.PI);
		const lngPerM = (Math.sin(az) / (R * cosLat)) * (180 / Math.PI);
		const row = new Float64Array(samples);
		for (let k = 0; k < samples; k++) row[k] = terrain.heightAt(lng0 + k * stepM * lngPerM, lat0 + k * stepM * latPerM) ?? NaN;
		ground.push(row);
	}
	return { origin, stepM, ground };
}

/**
 * The profile from the site to a point `distanceM` away at `azimuthDeg`, read from the nearest
 * radial: its samples up to the point, and the point itself interpolated between two samples.
 * Gaps in the DEM are filled from the neighbouring samples (flat across them).
 */
export function profileAlong(sweep: RadialSweep, azimuthDeg: number, distanceM: number): Profile {
	const n = sweep.ground.length;
	const row = sweep.ground[Math.round((((azimuthDeg % 360) + 360) % 360) / (360 / n)) % n];
	const last = Math.min(row.length - 1, distanceM / sweep.stepM);
	const whole = Math.floor(last);
	const distance: number[] = [];
	const ground: number[] = [];
	let previous = Number.isNaN(row[0]) ? 0 : row[0];
	for (let k = 0; k <= whole; k++) {
		const g = Number.isNaN(row[k]) ? previous : row[k];
		distance.push(k * sweep.stepM);
		ground.push(g);
		previous = g;
	}
	if (last > whole) {
		const next = Number.isNaN(row[whole + 1]) ? previous : row[whole + 1];
		distance.push(distanceM);
		ground.push(previous + (next - previous) * (last - whole));
	}
	return { distanceM: distance, groundM: ground };
}
