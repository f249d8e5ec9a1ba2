/**
 * Writes small ESRI shapefiles (.shp, .shx, .dbf) for tests: polygons or points with text and
 * number attributes, in whatever coordinates they are given (the caller projects them).
 * Follows the ESRI Shapefile Technical Description (1998) and dBASE III.
 */
import { zipSync } from 'fflate';

type Ring = number[][];
export type ShapeGeometry = { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] } | { type: 'Point'; coordinates: number[] };
export interface ShapeFeature {
	geometry: ShapeGeometry;
	properties: Record<string, string | number>;
}

const SHAPE_TYPE = { Point: 1, Polygon: 5, MultiPolygon: 5 } as const;

function bboxOf(points: number[][]): [number, number, number, number] {
	const xs = points.map((p) => p[0]);
	const ys = points.map((p) => p[1]);
	return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

function pointsOf(g: ShapeGeometry): number[][] {
	if (g.type === 'Point') return [g.coordinates];
	return g.type === 'Polygon' ? g.coordinates.flat() : g.coordinates.flat(2);
}

/** One record's content (shape type onwards), little-endian as the format says. */
function recordContent(g: ShapeGeometry): Buffer {
	if (g.type === 'Point') {
		const b = Buffer.alloc(20);
		b.writeInt32LE(1, 0);
		b.writeDoubleLE(g.coordinates[0], 4);
		b.writeDoubleLE(g.coordinates[1], 12);
		return b;
	}
	const rings = g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
	const points = rings.flat();
	const b = Buffer.alloc(44 + 4 * rings.length + 16 * points.length);
	b.writeInt32LE(5, 0);
	bboxOf(points).forEach((v, i) => b.writeDoubleLE(v, 4 + 8 * i));
	b.writeInt32LE(rings.length, 36);
	b.writeInt32LE(points.length, 40);
	let start = 0;
	rings.forEach((ring, i) => {
		b.writeInt32LE(start, 44 + 4 * i);
		start += ring.length;
	});
	const base = 44 + 4 * rings.length;
	points.forEach((p, i) => {
		b.writeDoubleLE(p[0], base + 16 * i);
		b.writeDoubleLE(p[1], base + 16 * i + 8);
	});
	return b;
}

function fileHeader(shapeType: number, lengthBytes: number, bbox: number[]): Buffer {
	const h = Buffer.alloc(100);
	h.writeInt32BE(9994, 0);
	h.writeInt32BE(lengthBytes / 2, 24);
	h.writeInt32LE(1000, 28);
	h.writeInt32LE(shapeType, 32);
	bbox.forEach((v, i) => h.writeDoubleLE(v, 36 + 8 * i));
	return h;
}

function dbf(features: ShapeFeature[]): Buffer {
	const names = Object.keys(features[0]?.properties ?? {});
	const fields = names.map((name) => {
		const numeric = features.every((f) => typeof f.properties[name] === 'number');
		const length = numeric ? 18 : Math.max(1, ...features.map((f) => Buffer.byteLength(String(f.properties[name] ?? ''))));
		return { name, numeric, length: Math.min(254, length) };
	});
	const recordLength = 1 + fields.reduce((s, f) => s + f.length, 0);
	const headerLength = 32 + 32 * fields.length + 1;
	const b = Buffer.alloc(headerLength + recordLength * features.length + 1, 0);
	b.writeUInt8(3, 0);
	b.writeUInt8(125, 1);
	b.writeUInt8(1, 2);
	b.writeUInt8(1, 3);
	b.writeUInt32LE(features.length, 4);
	b.writeUInt16LE(headerLength, 8);
	b.writeUInt16LE(recordLength, 10);
	fields.forEach((f, i) => {
		const at = 32 + 32 * i;
		b.write(f.name.slice(0, 10), at, 'latin1');
		b.write(f.numeric ? 'N' : 'C', at + 11, 'latin1');
		b.writeUInt8(f.length, at + 16);
		b.writeUInt8(f.numeric ? 6 : 0, at + 17);
	});
	b.writeUInt8(0x0d, headerLength - 1);
	features.forEach((feature, r) => {
		let at = headerLength + r * recordLength;
		b.write(' ', at++, 'latin1');
		for (const f of fields) {
			const value = feature.properties[f.name];
			const text = f.numeric ? Number(value).toFixed(6).padStart(f.length) : String(value ?? '').padEnd(f.length);
			Buffer.from(text, 'utf8').copy(b, at, 0, f.length);
			at += f.length;
		}
	});
	b.writeUInt8(0x1a, b.length - 1);
	return b;
}

/** The .shp, .shx and .dbf of features (all of one shape type). */
export function writeShapefile(features: ShapeFeature[]): { shp: Buffer; shx: Buffer; dbf: Buffer } {
	const shapeType = SHAPE_TYPE[features[0].geometry.type];
	const contents = features.map((f) => recordContent(f.geometry));
	const bbox = [...bboxOf(features.flatMap((f) => pointsOf(f.geometry))), 0, 0, 0, 0];
	const shpLength = 100 + contents.reduce((s, c) => s + 8 + c.length, 0);
	const shp = [fileHeader(shapeType, shpLength, bbox)];
	const shx = [fileHeader(shapeType, 100 + 8 * contents.length, bbox)];
	let offset = 100;
	contents.forEach((content, i) => {
		const header = Buffer.alloc(8);
		header.writeInt32BE(i + 1, 0);
		header.writeInt32BE(content.length / 2, 4);
		shp.push(header, content);
		const index = Buffer.alloc(8);
		index.writeInt32BE(offset / 2, 0);
		index.writeInt32BE(content.length / 2, 4);
		shx.push(index);
		offset += 8 + content.length;
	});
	return { shp: Buffer.concat(shp), shx: Buffer.concat(shx), dbf: dbf(features) };
}

/** A zip of a shapefile named `name`, with the extra files given (e.g. `{ prj: '…', cpg: 'UTF-8' }`). */
export function zipShapefile(name: string, features: ShapeFeature[], extra: Record<string, string> = {}, omit: ('dbf' | 'shx')[] = []): Buffer {
	const files = writeShapefile(features);
	const entries: Record<string, Uint8Array> = { [`${name}.shp`]: files.shp };
	if (!omit.includes('shx')) entries[`${name}.shx`] = files.shx;
	if (!omit.includes('dbf')) entries[`${name}.dbf`] = files.dbf;
	for (const [ext, text] of Object.entries(extra)) entries[`${name}.${ext}`] = Buffer.from(text, 'utf8');
	return Buffer.from(zipSync(entries));
}

/** ESRI WKT of VN-2000 / TM-3 with the given central meridian, as ArcGIS writes it (no datum shift). */
export const vn2000Tm3Prj = (centralMeridian: number) =>
	`PROJCS["VN_2000_TM3_${centralMeridian}",GEOGCS["GCS_VN_2000",DATUM["D_Vietnam_2000",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",${centralMeridian}],PARAMETER["Scale_Factor",0.9999],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`;

/** ESRI WKT of VN-2000 / UTM zone 48N (EPSG:3405), no datum shift. */
export const VN2000_UTM48_PRJ =
	'PROJCS["VN_2000_UTM_Zone_48N",GEOGCS["GCS_VN_2000",DATUM["D_Vietnam_2000",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",105.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
