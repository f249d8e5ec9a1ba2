import proj4 from 'proj4';
import type { Geometry, Position } from 'geojson';
import { ImportFileError } from './issues';

/**
 * VN-2000 → WGS 84, the 7-parameter shift of EPSG's "VN-2000 to WGS 84 (1)" as PostGIS's
 * spatial_ref_sys writes it for EPSG:4756/3405. ESRI-style .prj files name the VN-2000 datum but
 * carry no shift, and without it positions land ~200–400 m off.
 */
export const VN2000_TOWGS84 = '-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,0.252906278';

const vn2000Tm = (lon0: number, k: number) => `+proj=tmerc +lat_0=0 +lon_0=${lon0} +k=${k} +x_0=500000 +y_0=0 +ellps=WGS84 +towgs84=${VN2000_TOWGS84} +units=m +no_defs`;

/** Coordinate systems a file may name with --srid (those Vietnamese data come in). */
const KNOWN_SRIDS: Record<number, { label: string; proj: string }> = {
	4326: { label: 'WGS 84', proj: '+proj=longlat +datum=WGS84 +no_defs' },
	3857: { label: 'Web Mercator', proj: '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs' },
	32648: { label: 'WGS 84 / UTM 48N', proj: '+proj=utm +zone=48 +datum=WGS84 +units=m +no_defs' },
	32649: { label: 'WGS 84 / UTM 49N', proj: '+proj=utm +zone=49 +datum=WGS84 +units=m +no_defs' },
	4756: { label: 'VN-2000', proj: `+proj=longlat +ellps=WGS84 +towgs84=${VN2000_TOWGS84} +no_defs` },
	3405: { label: 'VN-2000 / UTM 48N', proj: `+proj=utm +zone=48 +ellps=WGS84 +towgs84=${VN2000_TOWGS84} +units=m +no_defs` },
	3406: { label: 'VN-2000 / UTM 49N', proj: `+proj=utm +zone=49 +ellps=WGS84 +towgs84=${VN2000_TOWGS84} +units=m +no_defs` },
	5896: { label: 'VN-2000 / TM-3 zone 481', proj: vn2000Tm(102, 0.9999) },
	5897: { label: 'VN-2000 / TM-3 zone 482', proj: vn2000Tm(105, 0.9999) },
	5898: { label: 'VN-2000 / TM-3 zone 491', proj: vn2000Tm(108, 0.9999) },
	5899: { label: 'VN-2000 / TM-3 Da Nang zone', proj: vn2000Tm(107.75, 0.9999) }
};

export const SUPPORTED_SRIDS = Object.keys(KNOWN_SRIDS).map(Number);

/** A source coordinate system and how to bring its positions to WGS 84 longitude/latitude. */
export interface SourceProjection {
	label: string;
	/** Null when the source is already WGS 84 longitude/latitude. */
	toWgs84: ((p: Position) => Position) | null;
}

/** A coordinate system that cannot be used: an import refuses the file with this message. */
export class ProjectionError extends ImportFileError {}

function converter(label: string, definition: string): SourceProjection {
	if (label === 'WGS 84') return { label, toWgs84: null };
	const c = proj4(definition, 'EPSG:4326');
	return { label, toWgs84: (p) => c.forward([p[0], p[1]]) };
}

export function projectionFromSrid(srid: number): SourceProjection {
	const known = KNOWN_SRIDS[srid];
	if (!known) throw new ProjectionError(`EPSG:${srid} is not one of the supported systems (${SUPPORTED_SRIDS.join(', ')})`);
	return converter(known.label, known.proj);
}

const VN2000_NAMES = /VN[-_ ]?2000|Vietnam[-_ ]?2000/i;
const param = (wkt: string, name: string): number | null => {
	const m = new RegExp(`PARAMETER\\[\\s*"${name}"\\s*,\\s*(-?[\\d.eE+-]+)`, 'i').exec(wkt);
	return m ? Number(m[1]) : null;
};

/**
 * The coordinate system of a shapefile's .prj (ESRI or OGC WKT). VN-2000 systems are built from
 * their parameters with the VN-2000 shift (which ESRI files omit); others go to proj4's WKT reader.
 */
export function projectionFromPrj(wkt: string): SourceProjection {
	const text = wkt.trim();
	if (!text) throw new ProjectionError('the .prj file is empty');
	const name = /^(?:PROJCS|GEOGCS|PROJCRS|GEOGCRS)\[\s*"([^"]*)"/i.exec(text)?.[1] ?? 'unnamed';
	if (VN2000_NAMES.test(text) && !/TOWGS84/i.test(text)) {
		if (/^GEOGCS/i.test(text)) return converter('VN-2000', KNOWN_SRIDS[4756].proj);
		if (!/Transverse_Mercator/i.test(text)) throw new ProjectionError(`the .prj names VN-2000 with a projection other than Transverse Mercator ("${name}")`);
		const lon0 = param(text, 'Central_Meridian');
		if (lon0 === null) throw new ProjectionError(`the .prj ("${name}") has no Central_Meridian`);
		const k = param(text, 'Scale_Factor') ?? 0.9999;
		const x0 = param(text, 'False_Easting') ?? 500000;
		const y0 = param(text, 'False_Northing') ?? 0;
		const lat0 = param(text, 'Latitude_Of_Origin') ?? 0;
		const definition = `+proj=tmerc +lat_0=${lat0} +lon_0=${lon0} +k=${k} +x_0=${x0} +y_0=${y0} +ellps=WGS84 +towgs84=${VN2000_TOWGS84} +units=m +no_defs`;
		const zone = k === 0.9996 ? 'UTM' : k === 0.9999 ? 'TM-3' : 'TM';
		return converter(`VN-2000 / ${zone} ${lon0}° (${name})`, definition);
	}
	if (/^GEOGCS/i.test(text) && /WGS[_ ]?(19)?84/i.test(text)) return { label: 'WGS 84', toWgs84: null };
	try {
		return converter(name, text);
	} catch (err) {
		throw new ProjectionError(`cannot read the .prj ("${name}"): ${(err as Error).message}`);
	}
}

/** The geometry with every position brought to WGS 84 (heights dropped). */
export function reprojectGeometry(geometry: Geometry, toWgs84: (p: Position) => Position): Geometry {
	const walk = (c: unknown): unknown => (typeof (c as unknown[])[0] === 'number' ? toWgs84(c as Position) : (c as unknown[]).map(walk));
	if (geometry.type === 'GeometryCollection') return { type: 'GeometryCollection', geometries: geometry.geometries.map((g) => reprojectGeometry(g, toWgs84)) };
	return { ...geometry, coordinates: walk(geometry.coordinates) } as Geometry;
}
