import { cellToLatLng, gridDisk, latLngToCell } from 'h3-js';

/**
 * A fixed set of H3 resolution-9 cells with their centres, bucketed on a lat/lng grid so that "every
 * cell within r of a point" costs the cells near the point, not the set. The predictor works on cell
 * numbers (their place in the sorted set) and typed arrays: a province's ~10⁵ cells × ~300 sites
 * stay in numbers, not strings and maps. Pure.
 */

/** Bucket edge, degrees (~2 km): small enough that a 20 km disk reads little outside it. */
const BUCKET_DEG = 0.02;
/** Mean Earth radius, m (the same local flat frame as src/lib/propagation/terrain.ts). */
const R = 6_371_000;
const RAD = Math.PI / 180;

/** H3 res-9 centre spacing is ~300 m (edge 174 m × √3): rings needed to reach a range. */
const RES9_SPACING_M = 174.4 * Math.sqrt(3);

export class CellGrid {
	/** The cells, sorted (a cell's number is its place here). */
	readonly cells: string[];
	readonly lat: Float64Array;
	readonly lng: Float64Array;
	private readonly west: number;
	private readonly south: number;
	private readonly columns: number;
	private readonly rows: number;
	/** Cell numbers by bucket (CSR: bucket b holds order[start[b] … start[b + 1])). */
	private readonly start: Int32Array;
	private readonly order: Int32Array;

	constructor(cells: Iterable<string>) {
		this.cells = [...new Set(cells)].sort();
		const n = this.cells.length;
		this.lat = new Float64Array(n);
		this.lng = new Float64Array(n);
		let west = Infinity;
		let south = Infinity;
		let east = -Infinity;
		let north = -Infinity;
		for (let i = 0; i < n; i++) {
			const [lat, lng] = cellToLatLng(this.cells[i]);
			this.lat[i] = lat;
			this.lng[i] = lng;
			west = Math.min(west, lng);
			east = Math.max(east, lng);
			south = Math.min(south, lat);
			north = Math.max(north, lat);
		}
		this.west = n ? west : 0;
		this.south = n ? south : 0;
		this.columns = n ? Math.floor((east - west) / BUCKET_DEG) + 1 : 0;
		this.rows = n ? Math.floor((north - south) / BUCKET_DEG) + 1 : 0;
		const bucketOf = new Int32Array(n);
		this.start = new Int32Array(this.columns * this.rows + 1);
		for (let i = 0; i < n; i++) {
			bucketOf[i] = Math.floor((this.lat[i] - this.south) / BUCKET_DEG) * this.columns + Math.floor((this.lng[i] - this.west) / BUCKET_DEG);
			this.start[bucketOf[i] + 1]++;
		}
		for (let b = 0; b < this.columns * this.rows; b++) this.start[b + 1] += this.start[b];
		const fill = this.start.slice(0, -1);
		this.order = new Int32Array(n);
		for (let i = 0; i < n; i++) this.order[fill[bucketOf[i]]++] = i;
	}

	/** The res-9 cells whose centre lies within `rangeM` of a position (a site alone, or a test). */
	static around([lng, lat]: readonly [number, number], rangeM: number): CellGrid {
		return new CellGrid(gridDisk(latLngToCell(lat, lng, 9), Math.ceil(rangeM / RES9_SPACING_M) + 1));
	}

	get size(): number {
		return this.cells.length;
	}

	/**
	 * Calls `visit(cell number, distance m, azimuth ° clockwise from north)` for every cell whose
	 * centre lies within `rangeM` of `[lng, lat]`, in the local flat frame of terrain.ts's `bearing`.
	 */
	within([lng, lat]: readonly [number, number], rangeM: number, visit: (cell: number, distanceM: number, azimuthDeg: number) => void): void {
		if (this.cells.length === 0) return;
		const mPerDegLat = R * RAD;
		const mPerDegLng = R * RAD * Math.cos(lat * RAD);
		const dLat = rangeM / mPerDegLat;
		const dLng = rangeM / mPerDegLng;
		const r0 = Math.max(0, Math.floor((lat - dLat - this.south) / BUCKET_DEG));
		const r1 = Math.min(this.rows - 1, Math.floor((lat + dLat - this.south) / BUCKET_DEG));
		const c0 = Math.max(0, Math.floor((lng - dLng - this.west) / BUCKET_DEG));
		const c1 = Math.min(this.columns - 1, Math.floor((lng + dLng - this.west) / BUCKET_DEG));
		const range2 = rangeM * rangeM;
		for (let r = r0; r <= r1; r++) {
			for (let b = r * this.columns + c0, end = r * this.columns + c1; b <= end; b++) {
				for (let k = this.start[b]; k < this.start[b + 1]; k++) {
					const i = this.order[k];
					const north = (this.lat[i] - lat) * mPerDegLat;
					const east = (this.lng[i] - lng) * mPerDegLng;
					const d2 = north * north + east * east;
					if (d2 > range2) continue;
					visit(i, Math.sqrt(d2), ((Math.atan2(east, north) / RAD) + 360) % 360);
				}
			}
		}
	}

	/** The number of a cell, or -1 when it is not in the set. */
	indexOf(cell: string): number {
		let lo = 0;
		let hi = this.cells.length - 1;
		while (lo <= hi) {
			const mid = (lo + hi) >> 1;
			const c = this.cells[mid];
			if (c === cell) return mid;
			if (c < cell) lo = mid + 1;
			else hi = mid - 1;
		}
		return -1;
	}
}
