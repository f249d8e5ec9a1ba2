// shpjs ships no types; only the two parsers Phủ Sóng calls are declared.
declare module 'shpjs' {
	import type { Geometry } from 'geojson';
	/** Geometries of a .shp, in file order (null shapes as null); reprojected only when `prj` is given. */
	export function parseShp(shp: ArrayBufferView | ArrayBuffer, prj?: string): (Geometry | null)[];
	/** Records of a .dbf; `cpg` names the text encoding (UTF-8 when absent). */
	export function parseDbf(dbf: ArrayBufferView | ArrayBuffer, cpg?: string): Record<string, unknown>[];
}
