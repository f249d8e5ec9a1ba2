/** Small rasters for tests, written with geotiff.js's own writer (uncompressed strips). */
import { writeArrayBuffer } from 'geotiff';

export interface TiffOptions {
	width: number;
	height: number;
	/** West edge and north edge of pixel (0, 0); omit to write a raster without georeference. */
	origin?: [number, number];
	pixelSize?: [number, number];
	epsg?: number;
	nodata?: number;
}

/** A single-band GeoTIFF of `values` (row-major, north row first). */
export function geotiff(values: Float32Array | Int16Array, o: TiffOptions): Buffer {
	const metadata: Record<string, unknown> = { width: o.width, height: o.height };
	if (o.origin) {
		metadata.ModelPixelScale = [o.pixelSize![0], o.pixelSize![1], 0];
		metadata.ModelTiepoint = [0, 0, 0, o.origin[0], o.origin[1], 0];
	}
	const epsg = o.epsg ?? 4326;
	if (epsg === 4326) Object.assign(metadata, { GeographicTypeGeoKey: 4326, GTModelTypeGeoKey: 2 });
	else Object.assign(metadata, { ProjectedCSTypeGeoKey: epsg, GTModelTypeGeoKey: 1 });
	if (!o.origin) metadata.ModelPixelScale = [1, 1, 0];
	if (o.nodata !== undefined) metadata.GDAL_NODATA = `${o.nodata}\0`;
	return Buffer.from(writeArrayBuffer(values, metadata));
}

/** An SRTM-style .hgt tile (1201 × 1201, big-endian int16) whose elevation is `f(column, row)`. */
export function hgt(f: (column: number, row: number) => number): Buffer {
	const side = 1201;
	const b = Buffer.alloc(side * side * 2);
	for (let r = 0; r < side; r++) for (let c = 0; c < side; c++) b.writeInt16BE(f(c, r), (r * side + c) * 2);
	return b;
}
