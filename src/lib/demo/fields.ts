import type { ElevationTile } from '../propagation/terrain';
import { createRandom } from '../random/prng';

/**
 * Seeded random fields for the SYNTHETIC demo: a karst-like elevation model of the province and
 * spatially correlated shadowing (the slow fading a propagation model cannot know). Value noise:
 * normal deviates on a lattice, interpolated smoothly (smoothstep) between lattice points, so
 * neighbouring places share most of their value and places a few lattice steps apart do not.
 */

/** A lattice of standard normal deviates covering a bbox at `spacingDeg`, read by smooth interpolation. */
export class ValueNoise {
	private readonly values: Float64Array;
	private readonly columns: number;
	private readonly rows: number;

	constructor(
		seed: number,
		private readonly west: number,
		private readonly south: number,
		east: number,
		north: number,
		private readonly spacingDeg: number
	) {
		this.columns = Math.ceil((east - west) / spacingDeg) + 2;
		this.rows = Math.ceil((north - south) / spacingDeg) + 2;
		const random = createRandom(seed);
		this.values = Float64Array.from({ length: this.columns * this.rows }, () => random.normal());
	}

	/** The field at a point (standard normal marginals at lattice points; a little less between). */
	at(lng: number, lat: number): number {
		const x = Math.max(0, Math.min(this.columns - 1.000001, (lng - this.west) / this.spacingDeg));
		const y = Math.max(0, Math.min(this.rows - 1.000001, (lat - this.south) / this.spacingDeg));
		const x0 = Math.floor(x);
		const y0 = Math.floor(y);
		const sx = smoothstep(x - x0);
		const sy = smoothstep(y - y0);
		const values = this.values;
		const i = y0 * this.columns + x0;
		const top = values[i] * (1 - sx) + values[i + 1] * sx;
		const bottom = values[i + this.columns] * (1 - sx) + values[i + this.columns + 1] * sx;
		return top * (1 - sy) + bottom * sy;
	}
}

const smoothstep = (t: number) => t * t * (3 - 2 * t);

/** Metres per degree of latitude (a degree of longitude is this × cos latitude). */
const M_PER_DEG = 111_320;

/**
 * Correlated shadowing in dB: value noise with lattice spacing ≈ `correlationM`, scaled so its
 * standard deviation over the area is about `sigmaDb` (DOMAIN.md: ~8 dB non-line-of-sight).
 * Interpolation lowers the spread between lattice points; the factor 1.35 restores it (measured
 * on this noise: sd ≈ 0.74 of the lattice's).
 */
export function shadowingField(seed: number, bbox: readonly [number, number, number, number], sigmaDb: number, correlationM = 500): (lng: number, lat: number) => number {
	const noise = new ValueNoise(seed, bbox[0], bbox[1], bbox[2], bbox[3], correlationM / M_PER_DEG);
	return (lng, lat) => 1.35 * sigmaDb * noise.at(lng, lat);
}

/**
 * A SYNTHETIC karst-like DEM over `bbox`: a broad plateau (octaves of value noise, 8 km down to
 * 500 m) with steep-sided tower hills, between `minM` and `maxM`, as int16 tiles of at most
 * `tileSize` pixels like an imported DEM. Cao Bằng's real relief runs ~200–1900 m.
 */
export function syntheticDem(
	seed: number,
	bbox: readonly [number, number, number, number],
	{ pixelDeg = 0.001, tileSize = 256, minM = 200, maxM = 1600 }: { pixelDeg?: number; tileSize?: number; minM?: number; maxM?: number } = {}
): ElevationTile[] {
	const [west, south, east, north] = bbox;
	const octaves = [8000, 3000, 1200, 500].map((m, i) => ({ noise: new ValueNoise(seed + 101 * i, west, south, east, north, m / M_PER_DEG), weight: 0.5 ** i }));
	const hills = new ValueNoise(seed + 7, west, south, east, north, 700 / M_PER_DEG);
	const width = Math.ceil((east - west) / pixelDeg);
	const height = Math.ceil((north - south) / pixelDeg);
	const total = octaves.reduce((t, o) => t + o.weight, 0);
	const tiles: ElevationTile[] = [];
	for (let row = 0; row < height; row += tileSize) {
		for (let column = 0; column < width; column += tileSize) {
			const w = Math.min(tileSize, width - column);
			const h = Math.min(tileSize, height - row);
			const elevations = new Int16Array(w * h);
			const tileWest = west + column * pixelDeg;
			const tileNorth = north - row * pixelDeg;
			for (let r = 0; r < h; r++) {
				const lat = tileNorth - (r + 0.5) * pixelDeg;
				for (let c = 0; c < w; c++) {
					const lng = tileWest + (c + 0.5) * pixelDeg;
					let sum = 0;
					for (const o of octaves) sum += o.weight * o.noise.at(lng, lat);
					const base = sum / total; // about N(0, 0.5)
					// Tower karst: where the hill field is high, a steep cone rises out of the plateau.
					const hill = Math.max(0, hills.at(lng, lat) - 0.8) ** 2;
					const unit = Math.max(0, Math.min(1, 0.45 + 0.45 * base + 0.6 * hill));
					elevations[r * w + c] = Math.round(minM + (maxM - minM) * unit);
				}
			}
			tiles.push({ west: tileWest, north: tileNorth, pixelWidth: pixelDeg, pixelHeight: pixelDeg, width: w, height: h, elevations, nodata: null });
		}
	}
	return tiles;
}
