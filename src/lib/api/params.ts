import { z } from 'zod';
import type { Bbox } from '../grid/bbox';
import { VIETNAM_OPERATORS } from '../operators/operators';

/** `[west, south, east, north]` in degrees (EPSG:4326). */
export type { Bbox };

/** A parameter that failed validation, with a message that names it. */
export class ParamError extends Error {
	constructor(
		readonly param: string,
		reason: string
	) {
		super(`${param}: ${reason}`);
		this.name = 'ParamError';
	}
}

const bboxSchema = z
	.string()
	.transform((text, ctx) => {
		const parts = text.split(',').map((p) => p.trim());
		const numbers = parts.map(Number);
		if (parts.length !== 4 || parts.some((p) => p === '') || numbers.some((n) => !Number.isFinite(n))) {
			ctx.addIssue({ code: 'custom', message: `must be "west,south,east,north" in degrees, got "${text}"` });
			return z.NEVER;
		}
		const [w, s, e, n] = numbers;
		if (w < -180 || e > 180 || s < -90 || n > 90) {
			ctx.addIssue({ code: 'custom', message: 'longitudes must be within −180…180 and latitudes within −90…90' });
			return z.NEVER;
		}
		if (w >= e || s >= n) {
			ctx.addIssue({ code: 'custom', message: 'west must be less than east and south less than north' });
			return z.NEVER;
		}
		return numbers as Bbox;
	});

const intSchema = (min: number, max: number) =>
	z
		.string()
		.regex(/^-?\d+$/, 'must be a whole number')
		.transform(Number)
		.pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const schemas = {
	bbox: bboxSchema,
	zoom: intSchema(0, 22),
	limit: intSchema(1, 50_000),
	// The report form's speed test (issue 18): at most 1 MB per answer (src/lib/reports/speed-test.ts).
	bytes: intSchema(0, 1_000_000),
	set: z.enum(['2025', 'pre2025'], { message: 'must be "2025" or "pre2025"' }),
	// H3 resolution of report aggregates: never finer than 8, so cells stay coarser than a hamlet.
	res: z.enum(['6', '7', '8'], { message: 'must be 6, 7 or 8' }).transform((v) => Number(v) as 6 | 7 | 8),
	q: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
	// Measured coverage resolutions; 9 (~0.1 km²) only for planners and an operator's own liaison.
	coverageRes: z.enum(['6', '7', '8', '9'], { message: 'must be 6, 7, 8 or 9' }).transform((v) => Number(v) as 6 | 7 | 8 | 9),
	technology: z.enum(['2G', '3G', '4G', '5G'], { message: 'must be 2G, 3G, 4G or 5G' }),
	source: z.enum(['measured', 'predicted', 'best', 'declared', 'disputed'], { message: 'must be "measured", "predicted", "best", "declared" or "disputed"' }),
	// The measured layer's shorter time windows (src/lib/server/measured-window.ts): fixed buckets only.
	timeWindow: z.enum(['90', '180'], { message: 'must be 90 or 180 (days)' }).transform((v) => Number(v) as 90 | 180),
	// Context layers on the explorer (population density): the map's two cell sizes.
	mapRes: z.enum(['7', '8'], { message: 'must be 7 or 8' }).transform((v) => Number(v) as 7 | 8),
	// Dead zones and stale cells: res 8 for everyone, 9 for planners.
	zoneRes: z.enum(['8', '9'], { message: 'must be 8 or 9' }).transform((v) => Number(v) as 8 | 9),
	// Stale cells' answer: GeoJSON for the map, CSV or GeoJSON as a download.
	exportFormat: z.enum(['json', 'csv', 'geojson'], { message: 'must be "json", "csv" or "geojson"' }),
	// Tables (scorecards): JSON for the pages, CSV and Excel as downloads of the same rows.
	tableFormat: z.enum(['json', 'csv', 'xlsx'], { message: 'must be "json", "csv" or "xlsx"' }),
	order: z.enum(['asc', 'desc'], { message: 'must be "asc" or "desc"' }),
	// A 2025 province code (two digits).
	province: z.string().regex(/^\d{2}$/, 'must be a two-digit province code, e.g. 04'),
	// A commune code (five digits, either boundary set).
	commune: z.string().regex(/^\d{5}$/, 'must be a five-digit commune code'),
	// The evidence package's file format.
	format: z.enum(['geojson', 'csv', 'zip'], { message: 'must be "geojson", "csv" or "zip"' }),
	// Operator codes as in every API and CLI (`viettel`), in any case.
	operator: z
		.string()
		.transform((v) => v.trim().toLowerCase())
		.pipe(z.enum(VIETNAM_OPERATORS.map((o) => o.code) as [string, ...string[]], { message: `must be one of ${VIETNAM_OPERATORS.map((o) => o.code).join(', ')}` })),
	// An uploaded file's name, as the browser sends it: printable, no path.
	name: z
		.string()
		.min(1, 'the file name is required')
		.max(255, 'must be at most 255 characters')
		.refine((v) => !/[\u0000-\u001f\u007f/\\]/.test(v), 'must be a plain file name (no control characters or slashes)')
} as const;

type Schemas = typeof schemas;
type Name = keyof Schemas;
type Value<N extends Name> = z.output<Schemas[N]>;

/**
 * The first query parameter (name or value) holding a control character such as NUL, which no
 * parameter may carry (PostgreSQL refuses NUL in text, and newlines end headers), or null.
 */
export function findControlCharacterParam(params: URLSearchParams): string | null {
	for (const [key, value] of params) if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(key + value)) return key;
	return null;
}

/**
 * Reads one query parameter through its schema. Returns `fallback` when the parameter is
 * absent and a fallback is given; throws {@link ParamError} naming the parameter otherwise.
 */
export function readParam<N extends Name>(params: URLSearchParams, name: N, fallback?: Value<N>): Value<N> {
	return readParamAs(params, name, name, fallback);
}

/** Reads the query parameter `param` through the schema `schema` (one URL name, another rule set). */
export function readParamAs<N extends Name>(params: URLSearchParams, param: string, schema: N, fallback?: Value<N>): Value<N> {
	const raw = params.get(param);
	if (raw === null) {
		if (fallback !== undefined) return fallback;
		throw new ParamError(param, 'is required');
	}
	const result = schemas[schema].safeParse(raw);
	if (!result.success) throw new ParamError(param, result.error.issues[0]?.message ?? 'is invalid');
	return result.data as Value<N>;
}
