import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { sql } from 'drizzle-orm';
import type { GeoTIFFImage } from 'geotiff';
import type { Position } from 'geojson';
import { cellOfPosition, cellToDecimal } from '../../grid/h3';
import { ImportFileError } from '../../import/issues';
import { projectionFromSrid, type SourceProjection } from '../../import/projection';
import { DEM_NODATA, insertDemTiles } from '../dem';
import { addPopulationStrip, cutDemStrip, hgtGrid, overlapsVietnam, type RasterGrid } from '../../import/raster';
import { recordAudit, type Actor } from '../audit';
import { insertJsonChunks } from '../db/bulk';
import { inTransaction, type Database } from '../db/index';
import { auditDetails, finishImportRow, insertImportRow, recordRejection, startSummary, type ImportProgress, type ImportSummary } from './pipeline';

export type RasterKind = 'population' | 'dem';

/** Rows read per strip: one DEM tile high, and small enough to keep memory flat on big rasters. */
const STRIP_ROWS = 256;

/** A raster opened for reading strip by strip. */
interface RasterSource {
	format: string;
	grid: RasterGrid;
	projection: SourceProjection;
	nodata: number | null;
	/** Values of rows [firstRow, firstRow + rows), row-major, band 1. */
	readRows(firstRow: number, rows: number): Promise<ArrayLike<number>>;
	close(): Promise<void>;
}

/** GeoTIFF georeference: origin, pixel size and coordinate system, or a refusal that says what is missing. */
function geotiffGrid(image: GeoTIFFImage, srid: number | undefined): { grid: RasterGrid; projection: SourceProjection } {
	let origin: number[];
	let resolution: number[];
	try {
		origin = image.getOrigin();
		resolution = image.getResolution();
	} catch {
		throw new ImportFileError('the raster has no georeference (no ModelTiepoint/ModelPixelScale or ModelTransformation tags), so where its pixels lie is unknown');
	}
	const keys = (image.getGeoKeys() ?? {}) as Record<string, number | undefined>;
	const code = srid ?? keys.ProjectedCSTypeGeoKey ?? keys.GeographicTypeGeoKey;
	if (code === undefined) throw new ImportFileError('the raster names no coordinate system (no EPSG geokey); say it with --srid, e.g. 4326');
	const projection = projectionFromSrid(code);
	const [pixelWidth, pixelHeightSigned] = resolution;
	if (!(pixelWidth > 0) || !(pixelHeightSigned < 0)) throw new ImportFileError('the raster is not north-up (rotated or flipped); warp it to a north-up grid first');
	const pixelHeight = -pixelHeightSigned;
	// PixelIsPoint rasters give the centre of the first pixel, not its corner.
	const isPoint = keys.GTRasterTypeGeoKey === 2;
	return {
		grid: {
			width: image.getWidth(),
			height: image.getHeight(),
			originX: origin[0] - (isPoint ? pixelWidth / 2 : 0),
			originY: origin[1] + (isPoint ? pixelHeight / 2 : 0),
			pixelWidth,
			pixelHeight
		},
		projection
	};
}

async function openGeoTiff(filePath: string, srid: number | undefined): Promise<RasterSource> {
	// Loaded on first use: geotiff pulls in `web-worker`, which mistakes any worker thread that
	// imports it (SvelteKit's build analysis runs in one) for a worker of its own and crashes it.
	const { fromFile } = await import('geotiff');
	let tiff: Awaited<ReturnType<typeof fromFile>>;
	let image: GeoTIFFImage;
	try {
		tiff = await fromFile(filePath);
		image = await tiff.getImage();
	} catch (err) {
		throw new ImportFileError(`not a readable GeoTIFF: ${(err as Error).message}`);
	}
	const { grid, projection } = geotiffGrid(image, srid);
	return {
		format: 'GeoTIFF',
		grid,
		projection,
		nodata: image.getGDALNoData(),
		async readRows(firstRow, rows) {
			const data = await image.readRasters({ window: [0, firstRow, grid.width, firstRow + rows], samples: [0], interleave: true });
			return data as unknown as ArrayLike<number>;
		},
		close: async () => void (await (tiff as unknown as { close?: () => Promise<void> }).close?.())
	};
}

/** SRTM .hgt: big-endian int16 samples, north row first, georeferenced by the file name. */
async function openHgt(filePath: string, fileName: string): Promise<RasterSource> {
	const grid = hgtGrid(fileName, (await stat(filePath)).size);
	const handle = await open(filePath, 'r');
	return {
		format: 'SRTM .hgt',
		grid,
		projection: projectionFromSrid(4326),
		nodata: DEM_NODATA,
		async readRows(firstRow, rows) {
			const bytes = Buffer.alloc(rows * grid.width * 2);
			await handle.read(bytes, 0, bytes.length, firstRow * grid.width * 2);
			const values = new Int16Array(rows * grid.width);
			for (let i = 0; i < values.length; i++) values[i] = bytes.readInt16BE(i * 2);
			return values;
		},
		close: () => handle.close()
	};
}

const isHgtName = (fileName: string) => /\.hgt$/i.test(fileName);

/** Opens a raster by what it is: an SRTM tile by its name, anything else as a GeoTIFF. */
const openRaster = (filePath: string, fileName: string, srid: number | undefined) => (isHgtName(fileName) ? openHgt(filePath, fileName) : openGeoTiff(filePath, srid));

async function fileHash(filePath: string): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of createReadStream(filePath)) hash.update(chunk as Buffer);
	return hash.digest('hex');
}

/** WGS 84 extent of a raster, from its corners and edge midpoints (enough for the projections we take). */
function extentOf(source: RasterSource): [number, number, number, number] {
	const { grid, projection } = source;
	const xs = [grid.originX, grid.originX + (grid.width * grid.pixelWidth) / 2, grid.originX + grid.width * grid.pixelWidth];
	const ys = [grid.originY, grid.originY - (grid.height * grid.pixelHeight) / 2, grid.originY - grid.height * grid.pixelHeight];
	const points = xs.flatMap((x) => ys.map((y): Position => (projection.toWgs84 ? projection.toWgs84([x, y]) : [x, y])));
	return [Math.min(...points.map((p) => p[0])), Math.min(...points.map((p) => p[1])), Math.max(...points.map((p) => p[0])), Math.max(...points.map((p) => p[1]))];
}

/**
 * Imports a raster in one transaction: `population` (GeoTIFF, e.g. WorldPop) summed into H3
 * resolution-9 cells; `dem` (GeoTIFF or SRTM .hgt, WGS 84) stored as tiles for line-of-sight.
 * The file is read in strips, so memory stays flat however large it is. Re-importing a file
 * already imported (same SHA-256) adds nothing.
 */
export async function runRasterImport(
	db: Database,
	{
		kind,
		filePath,
		fileName = basename(filePath),
		srid,
		actor,
		onProgress
	}: { kind: RasterKind; filePath: string; fileName?: string; srid?: number; actor: Actor; onProgress?: (p: ImportProgress) => void }
): Promise<ImportSummary> {
	const started = Date.now();
	const startedAt = new Date(started).toISOString();
	const summary = startSummary(kind, fileName);
	summary.encoding = '—';
	summary.delimiter = '—';
	const details: Record<string, unknown> = { srid };
	let source: RasterSource | undefined;
	try {
		const { size } = await stat(filePath);
		summary.contentHash = await fileHash(filePath);
		if (isHgtName(fileName) && kind === 'population') throw new ImportFileError('an SRTM .hgt file holds elevations, not population; import it as dem');
		source = await openRaster(filePath, fileName, srid);
		const { grid, projection } = source;
		if (kind === 'dem' && projection.toWgs84) throw new ImportFileError(`elevation rasters are stored in WGS 84 longitude/latitude; this one is in ${projection.label} (warp it to EPSG:4326 first)`);
		const extent = extentOf(source);
		if (!overlapsVietnam(extent)) throw new ImportFileError(`the raster lies outside Vietnam (bbox ${extent.map((v) => v.toFixed(3)).join(', ')}); is its coordinate system right?`);
		summary.preset = `${source.format}, ${grid.width} × ${grid.height} px, ${projection.label}`;
		Object.assign(details, { width: grid.width, height: grid.height, extent, crs: projection.label, nodata: source.nodata });

		const [previous] = await db.rows<{ id: number; rows_inserted: number }>(sql`
			select id, rows_inserted from imports where kind = ${kind} and content_hash = ${summary.contentHash} and status = 'committed' order by id limit 1`);
		const raster = source;
		/** Reads the raster strip by strip, counting pixels and reporting progress after each. */
		const eachStrip = async (handle: (strip: ArrayLike<number>, firstRow: number) => Promise<void> | void) => {
			for (let row = 0; row < grid.height; row += STRIP_ROWS) {
				const rows = Math.min(STRIP_ROWS, grid.height - row);
				await handle(await raster.readRows(row, rows), row);
				summary.rowsRead += rows * grid.width;
				onProgress?.({ rowsRead: summary.rowsRead, bytesRead: Math.round(((row + rows) / grid.height) * size), sizeBytes: size });
			}
		};
		await inTransaction(db, async (tx) => {
			summary.importId = await insertImportRow(tx, summary, actor, startedAt, details);
			if (previous) {
				// The same bytes again: nothing new, and the summary says which import holds them.
				summary.rowsRead = grid.width * grid.height;
				summary.duplicate = Number(previous.rows_inserted);
				summary.preset += `, same file as import #${previous.id}`;
			} else if (kind === 'population') {
				const cells = new Map<string, number>();
				let people = 0;
				await eachStrip((strip, firstRow) => {
					const added = addPopulationStrip(cells, strip, grid, firstRow, { nodata: raster.nodata, toWgs84: projection.toWgs84, cellOf: (p) => cellOfPosition(p as [number, number]) });
					people += added.people;
					summary.skipped += added.empty;
				});
				if (summary.skipped > 0) summary.skippedReasons['nodata, zero or negative pixels'] = summary.skipped;
				const records = [...cells].map(([cell, population]) => ({ h3: cellToDecimal(cell), population }));
				summary.inserted = await insertJsonChunks(
					tx,
					records,
					(json) => sql`insert into population_cells (import_id, h3_res9, population)
						select ${summary.importId}, r."h3"::bigint, r."population" from json_to_recordset(${json}) as r("h3" text, "population" float8)`
				);
				details.population = Math.round(people);
			} else {
				await eachStrip(async (strip, firstRow) => {
					for (const tile of cutDemStrip(strip, grid, firstRow, STRIP_ROWS, raster.nodata, DEM_NODATA)) {
						const west = grid.originX + tile.column * grid.pixelWidth;
						const north = grid.originY - tile.row * grid.pixelHeight;
						summary.inserted += await insertDemTiles(tx, summary.importId, [
							{ west, north, pixelWidth: grid.pixelWidth, pixelHeight: grid.pixelHeight, width: tile.width, height: tile.height, elevations: tile.elevations, nodata: DEM_NODATA }
						]);
					}
				});
			}
			summary.durationMs = Date.now() - started;
			await finishImportRow(tx, summary);
			await tx.orm.execute(sql`update imports set details = details || ${JSON.stringify(details)}::jsonb where id = ${summary.importId}`);
			await recordAudit(tx, actor, `import.${kind}`, fileName, auditDetails(summary));
		});
	} catch (err) {
		if (!(err instanceof ImportFileError)) throw err;
		await recordRejection(db, summary, err, { actor, startedAt, started, details });
	} finally {
		await source?.close();
	}
	return summary;
}

/** What a raster is, for the upload page's preview: format, size, system and extent (or an ImportFileError). */
export async function describeRaster(filePath: string, fileName: string, srid?: number) {
	const source = await openRaster(filePath, fileName, srid);
	try {
		return { format: source.format, width: source.grid.width, height: source.grid.height, crs: source.projection.label, extent: extentOf(source) };
	} finally {
		await source.close();
	}
}
