import { VIETNAM_OPERATORS } from '../operators/operators';

/**
 * The OpenAPI 3.1 description of Phủ Sóng's public API (served at /api/openapi.json and shown on
 * /open-data). Public means aggregates only: cells from ≥ k distinct reporters, never finer than
 * H3 res 8, no reporter, contact or exact position. A test holds this list equal to the public
 * routes of the access policy (src/lib/server/auth/policy.ts).
 */

const param = (name: string, description: string, schema: Record<string, unknown>, required = false) => ({ name, in: 'query', required, description, schema });
const bbox = param('bbox', 'west,south,east,north in degrees (WGS 84). Cells are chosen by their centre, so moving an edge never changes a cell’s figures.', { type: 'string', example: '105.2,22.3,106.9,23.2' }, true);
const operator = param('operator', 'Operator code, any case; omitted = any operator', { type: 'string', enum: VIETNAM_OPERATORS.map((o) => o.code) });
const technology = param('technology', 'Technology; omitted = any', { type: 'string', enum: ['2G', '3G', '4G', '5G'] });
const set = param('set', 'Boundary set: the 2025 units (default) or the pre-2025 ones (through the crosswalk)', { type: 'string', enum: ['2025', 'pre2025'], default: '2025' });
const json = (description: string, schema: Record<string, unknown> = { type: 'object' }) => ({ description, content: { 'application/json': { schema } } });
const geojson = (description: string) => ({ description, content: { 'application/geo+json': { schema: { $ref: '#/components/schemas/FeatureCollection' } } } });
const errors = {
	'304': { description: 'Not modified: the ETag you sent (If-None-Match) still names the current data version' },
	'400': json('A bad parameter; the message names it', { $ref: '#/components/schemas/Error' })
};
const get = (summary: string, parameters: unknown[], ok: unknown, tags: string[], extra: Record<string, unknown> = {}) => ({ get: { summary, tags, parameters, responses: { '200': ok, ...errors, ...extra } } });

export const OPENAPI = {
	openapi: '3.1.0',
	info: {
		title: 'Phủ Sóng public API',
		version: '1',
		description:
			'Public, aggregate figures of mobile coverage in Vietnamese provinces: measured, predicted and fused coverage per H3 cell, dead zones, villages by signal status and commune scorecards. Answers carry an ETag of the data version; send If-None-Match to get 304 when nothing changed. Figures are CC BY 4.0; see /open-data.',
		license: { name: 'CC BY 4.0 (data); AGPL-3.0-or-later (code)', identifier: 'CC-BY-4.0' }
	},
	tags: [
		{ name: 'coverage', description: 'Coverage per H3 cell' },
		{ name: 'analysis', description: 'Dead zones and villages' },
		{ name: 'communes', description: 'Boundaries and scorecards' },
		{ name: 'open data', description: 'Whole datasets as files' },
		{ name: 'reports', description: 'Residents’ reports: tracking by code' },
		{ name: 'service', description: 'Health and this description' }
	],
	paths: {
		'/api/coverage/cells': get(
			'Coverage per H3 cell in a box, as columns (cells[], class[], confidence[]…)',
			[
				bbox,
				param('res', 'H3 resolution; 9 only for planners and an operator’s own liaison', { type: 'integer', enum: [6, 7, 8, 9], default: 8 }),
				operator,
				technology,
				param('source', 'measured (default), predicted, best (fused), declared; disputed needs an account', { type: 'string', enum: ['measured', 'predicted', 'best', 'declared', 'disputed'], default: 'measured' }),
				param('window', 'Measured only, res 7 or 8: the last 90 or 180 days instead of the layer’s own window — for planners and an operator’s own liaison (the public sees the default)', { type: 'integer', enum: [90, 180] })
			],
			json('The columnar payload', { $ref: '#/components/schemas/CellColumns' }),
			['coverage']
		),
		'/api/reports/cells': get('Report counts per H3 cell by signal class (cells with ≥ k reporters)', [bbox, param('res', 'H3 resolution', { type: 'integer', enum: [6, 7, 8], default: 8 })], json('{resolution, minReporters, cells: [{h3, reports, reporters, good, fair, poor, dead}]}'), ['coverage']),
		'/api/coverage/stale': get(
			'Populated cells whose evidence is old or missing',
			[{ ...bbox, required: false }, param('res', 'H3 resolution', { type: 'integer', enum: [8, 9], default: 8 }), param('format', 'json (default), csv or geojson', { type: 'string', enum: ['json', 'csv', 'geojson'] })],
			json('Stale and unmapped cells'),
			['coverage']
		),
		'/api/population/cells': get(
			'Households, people and households per km² per H3 cell in a box, as columns (population raster and commune household counts)',
			[bbox, param('res', 'H3 resolution', { type: 'integer', enum: [7, 8], default: 8 })],
			json('{res, cells[], households[], people[], householdsPerKm2[]}'),
			['communes']
		),
		'/api/communes/fiber': get(
			'Fiber households per 2025 commune: total, passed and connected, for one operator or any (per unit, the largest total and a lower bound of households passed)',
			[operator],
			json('{operator, asOf, codes[], householdsTotal[], householdsPassed[], householdsConnected[], synthetic}'),
			['communes']
		),
		'/api/towers': get('Tower sites in a box', [bbox], geojson('Points with operator and technologies'), ['coverage']),
		'/api/dead-zones': get('Dead zones in a box (public: from res-8 cells)', [bbox, operator, param('res', '8 (public) or 9 (planners)', { type: 'integer', enum: [8, 9], default: 8 })], geojson('Zones with households, area, communes and open reports'), ['analysis']),
		'/api/villages': get('Villages in a box with their signal status (trắng / lõm / có sóng)', [bbox, operator], geojson('Points with status and the province register’s'), ['analysis']),
		'/api/communes': get('Commune boundaries in a box', [bbox, param('zoom', 'Simplification for this map zoom', { type: 'integer', minimum: 0, maximum: 22, default: 10 }), set], geojson('Polygons with code, name, province, population'), ['communes']),
		'/api/communes/search': get('Communes by name, without diacritics', [param('q', 'Name or code', { type: 'string', maxLength: 100 }, true), set, param('limit', 'At most 50', { type: 'integer', minimum: 1, maximum: 50, default: 10 })], json('Matches with their bbox'), ['communes']),
		'/api/communes/scorecards': get(
			'Every commune’s scorecard, ranked by priority',
			[
				set,
				param('province', 'Two-digit 2025 province code', { type: 'string', pattern: '^\\d{2}$' }),
				operator,
				param('q', 'Search name or code, without diacritics', { type: 'string' }),
				param('sort', 'A column of the rows', { type: 'string', default: 'priority_rank' }),
				param('order', 'asc or desc', { type: 'string', enum: ['asc', 'desc'], default: 'asc' }),
				param('format', 'json (default), csv or xlsx: the same rows', { type: 'string', enum: ['json', 'csv', 'xlsx'] })
			],
			json('{scorecards: [...], provinces: [...], columns, vintage}'),
			['communes']
		),
		'/api/communes/{code}/scorecard': {
			get: {
				summary: 'One commune’s scorecard with its province’s; for any operator also coverage per operator and technology, outline and reports over time (buckets of ≥ k reporters)',
				tags: ['communes'],
				parameters: [{ name: 'code', in: 'path', required: true, description: 'Five-digit commune code', schema: { type: 'string', pattern: '^\\d{5}$' } }, set, operator],
				responses: { '200': json('The scorecard'), ...errors, '404': json('No such commune is loaded', { $ref: '#/components/schemas/Error' }) }
			}
		},
		'/api/open-data/{file}': {
			get: {
				summary: 'A whole public dataset as a file, or the data package that lists them',
				tags: ['open data'],
				parameters: [
					{
						name: 'file',
						in: 'path',
						required: true,
						description: '<dataset>.<csv|geojson|parquet> with dataset one of measured-cells, best-cells, dead-zones, villages, scorecards; or datapackage.json',
						schema: { type: 'string', example: 'scorecards.parquet' }
					}
				],
				responses: {
					'200': {
						description: 'The file (GeoParquet 1.1 with WKB geometry; GeoJSON with a `metadata` member; CSV with lng/lat of each row)',
						content: { 'text/csv': {}, 'application/geo+json': {}, 'application/vnd.apache.parquet': {}, 'application/json': {} }
					},
					...errors,
					'404': json('No such file', { $ref: '#/components/schemas/Error' })
				}
			}
		},
		'/api/reports/track/{code}': {
			get: {
				summary: 'A resident’s report by its tracking code: its status in plain words (received, counted, part of a dead zone, a site proposed nearby, covered) and nothing personal. Reports are sent with POST /api/reports or POST /v2/geosubmit (README, “Residents’ reports”)',
				tags: ['reports'],
				parameters: [{ name: 'code', in: 'path', required: true, description: 'The tracking code, e.g. 7KQ4-M2XD (any case; the dash optional)', schema: { type: 'string', pattern: '^[2-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{4}-?[2-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{4}$' } }],
				responses: { '200': json('{trackingCode, status, steps: [{key, done, at}], operator, technology, problem, observedDay, commune}'), ...errors, '404': json('No report has this code', { $ref: '#/components/schemas/Error' }) }
			}
		},
		'/api/speedtest': {
			get: {
				summary: 'The report form’s speed test: that many random bytes, never cached or compressed (0 bytes: a latency probe). POST the same path with up to 1 MB to time an upload; it answers {bytes}',
				tags: ['reports'],
				parameters: [{ name: 'bytes', in: 'query', required: false, description: 'How many bytes to send back, 0–1,000,000 (default 0)', schema: { type: 'integer', minimum: 0, maximum: 1_000_000 } }],
				responses: {
					'200': { description: 'Random bytes', content: { 'application/octet-stream': {} } },
					...errors,
					'429': json('This network address has moved its budget of bytes this minute (setting reports.speedtest_mb_per_minute, 30 MB by default); Retry-After says when to try again', { $ref: '#/components/schemas/Error' })
				}
			}
		},
		'/api/health': get('Database kind and counts', [], json('Health'), ['service']),
		'/api/openapi.json': get('This description', [], json('OpenAPI 3.1'), ['service'])
	},
	components: {
		schemas: {
			Error: { type: 'object', properties: { message: { type: 'string', example: 'res: must be 6, 7, 8 or 9' } }, required: ['message'] },
			FeatureCollection: { type: 'object', properties: { type: { const: 'FeatureCollection' }, features: { type: 'array', items: { type: 'object' } } }, required: ['type', 'features'] },
			CellColumns: {
				type: 'object',
				description: 'One array per figure, all as long as `cells`',
				properties: { res: { type: 'integer' }, source: { type: 'string' }, minReporters: { type: 'integer' }, cells: { type: 'array', items: { type: 'string', description: 'H3 index' } }, class: { type: 'array', items: { type: ['string', 'null'] } } },
				required: ['res', 'source', 'cells']
			}
		}
	}
} as const;

/** The public routes the description covers, as SvelteKit route ids (for the policy test). */
export const OPENAPI_ROUTE_IDS = Object.keys(OPENAPI.paths).map((p) => p.replace(/\{(\w+)\}/g, '[$1]'));
