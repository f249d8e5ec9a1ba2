import { ProtobufWriter, zigzag } from './protobuf';

/**
 * A small Mapbox Vector Tile encoder (spec 2.1, https://github.com/mapbox/vector-tile-spec):
 * points, lines and polygons in tile coordinates, string and number properties. It makes test
 * and sample basemaps; real basemaps come from Protomaps' builds.
 */
export type TileGeometry =
	| { type: 'Point'; coordinates: [number, number] }
	| { type: 'LineString'; coordinates: [number, number][] }
	/** Outer ring clockwise in tile coordinates (y down), holes anticlockwise; rings not closed. */
	| { type: 'Polygon'; coordinates: [number, number][][] };

export interface TileFeature {
	geometry: TileGeometry;
	properties: Record<string, string | number>;
}

export interface TileLayer {
	name: string;
	features: readonly TileFeature[];
	extent?: number;
}

const GEOM_TYPE = { Point: 1, LineString: 2, Polygon: 3 } as const;
const command = (id: 1 | 2 | 7, count: number) => (id & 7) | (count << 3);

function geometryCommands(g: TileGeometry): number[] {
	const out: number[] = [];
	let [cx, cy] = [0, 0];
	const moveTo = (x: number, y: number, cmd: 1 | 2) => {
		out.push(zigzag(x - cx), zigzag(y - cy));
		[cx, cy] = [x, y];
		return cmd;
	};
	const line = (points: [number, number][], close: boolean) => {
		out.push(command(1, 1));
		moveTo(points[0][0], points[0][1], 1);
		out.push(command(2, points.length - 1));
		for (const [x, y] of points.slice(1)) moveTo(x, y, 2);
		if (close) out.push(command(7, 1));
	};
	if (g.type === 'Point') {
		out.push(command(1, 1));
		moveTo(g.coordinates[0], g.coordinates[1], 1);
	} else if (g.type === 'LineString') line(g.coordinates, false);
	else for (const ring of g.coordinates) line(ring, true);
	return out;
}

/** The tile's bytes (uncompressed). */
export function encodeTile(layers: readonly TileLayer[]): Uint8Array {
	const w = new ProtobufWriter();
	for (const layer of layers)
		w.message(3, (l) => {
			const keys: string[] = [];
			const values: (string | number)[] = [];
			const indexOf = <T>(list: T[], v: T) => {
				const i = list.indexOf(v);
				return i >= 0 ? i : list.push(v) - 1;
			};
			l.uint(15, 2).string(1, layer.name);
			layer.features.forEach((f, id) => {
				const tags = Object.entries(f.properties).flatMap(([k, v]) => [indexOf(keys, k), indexOf(values, v)]);
				l.message(2, (fw) => fw.uint(1, id + 1).packed(2, tags).uint(3, GEOM_TYPE[f.geometry.type]).packed(4, geometryCommands(f.geometry)));
			});
			for (const k of keys) l.string(3, k);
			for (const v of values)
				l.message(4, (vw) => {
					if (typeof v === 'string') vw.string(1, v);
					else if (Number.isInteger(v) && v >= 0) vw.uint(5, v);
					else vw.double(3, v);
				});
			l.uint(5, layer.extent ?? 4096);
		});
	return w.finish();
}
