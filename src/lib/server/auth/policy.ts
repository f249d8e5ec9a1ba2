import type { Access } from '../../auth/roles';

/**
 * What every route needs, by SvelteKit route id and method — the one place access is declared.
 * A route missing here is refused (fail closed), and the authorization matrix test fails when
 * a route under src/routes has no entry in its own table.
 */
export const ROUTE_ACCESS: Record<string, Partial<Record<'GET' | 'POST' | 'OPTIONS', Access>>> = {
	'/': { GET: 'public' },
	'/login': { GET: 'public', POST: 'public' },
	'/logout': { GET: 'public', POST: 'public' },
	'/set-password': { GET: 'public', POST: 'public' },
	'/admin/users': { GET: 'admin', POST: 'admin' },
	'/admin/audit': { GET: 'admin' },
	'/admin/settings': { GET: 'admin', POST: 'admin' },
	'/api/health': { GET: 'public' },
	'/api/communes': { GET: 'public' },
	'/api/communes/search': { GET: 'public' },
	// The explorer's context layers (issue 19): published aggregates.
	'/api/communes/fiber': { GET: 'public' },
	'/api/population/cells': { GET: 'public' },
	'/api/towers': { GET: 'public' },
	// Residents report without an account; other sites' apps may post too (CORS, see CROSS_ORIGIN_WRITES).
	'/api/reports': { GET: 'planner', POST: 'public', OPTIONS: 'public' },
	'/v2/geosubmit': { POST: 'public', OPTIONS: 'public' },
	// The tracking code is the resident's only key: status in plain words, and deleting their contact.
	'/api/reports/track/[code]': { GET: 'public', POST: 'public' },
	'/report/[code]': { GET: 'public', POST: 'public' },
	// The residents' form, its poster and QR codes, and the form's speed test (issue 18).
	'/report': { GET: 'public' },
	'/report/poster': { GET: 'public' },
	'/report/qr.svg': { GET: 'public' },
	'/report/[code]/qr.svg': { GET: 'public' },
	'/api/speedtest': { GET: 'public', POST: 'public' },
	// The local PMTiles basemap, its style and glyphs (issue 19): public map furniture.
	'/basemap/style.json': { GET: 'public' },
	'/basemap/tiles.pmtiles': { GET: 'public' },
	'/basemap/fonts/[fontstack]/[range].pbf': { GET: 'public' },
	// Planners all reports; commune officers their commune's (scoped inside, src/lib/server/moderation.ts).
	'/moderation': { GET: 'signed-in', POST: 'signed-in' },
	'/api/reports/cells': { GET: 'public' },
	'/api/operator/cells': { GET: 'operator' },
	'/api/coverage/cells': { GET: 'public' },
	'/api/disputes/package': { GET: 'operator' },
	'/api/dead-zones': { GET: 'public' },
	'/api/villages': { GET: 'public' },
	'/api/coverage/stale': { GET: 'public' },
	'/communes': { GET: 'public' },
	'/api/communes/scorecards': { GET: 'public' },
	'/api/communes/[code]/scorecard': { GET: 'public' },
	'/communes/[code]': { GET: 'public' },
	'/province/[code]': { GET: 'public' },
	'/open-data': { GET: 'public' },
	'/api/openapi.json': { GET: 'public' },
	'/api/open-data/[file]': { GET: 'public' },
	'/import': { GET: 'planner', POST: 'planner' },
	'/api/imports/uploads': { POST: 'planner' },
	'/api/imports/uploads/[id]': { GET: 'planner' },
	'/api/imports/jobs': { POST: 'planner' },
	'/api/imports/jobs/[id]': { GET: 'planner' },
	'/api/imports/[id]/issues.csv': { GET: 'planner' },
	'/plan': { GET: 'planner' },
	'/plan/[id]': { GET: 'planner' },
	'/plan/compare': { GET: 'planner' },
	'/api/plans': { GET: 'planner', POST: 'planner' },
	'/api/plans/[id]': { GET: 'planner' },
	'/api/plans/[id]/export': { GET: 'planner' },
	// Proposals are scoped by the caller inside (src/lib/server/proposals.ts): planners all, a
	// liaison its operator's, a commune officer its commune's.
	'/proposals': { GET: 'signed-in' },
	'/proposals/[id]': { GET: 'signed-in' },
	'/api/proposals': { GET: 'signed-in', POST: 'planner' },
	'/api/proposals/[id]': { GET: 'signed-in', POST: 'signed-in' }
};

/**
 * The routes that take writes from any site (CORS without credentials): the public intake, so
 * other clients can send reports. The cross-site write refusal stays for everything else.
 */
/**
 * Public GET routes that only read, whose anonymous requests may go to a read replica (issue 20;
 * db/read.ts): the map layers. Each reads through
 * `databaseForReading(locals)`; a write there would fail on a replica (its connections are
 * read-only), which the deployment test (scripts/test-deployment.ts) checks route by route.
 */
export const REPLICA_READ_ROUTES: ReadonlySet<string> = new Set([
	'/api/communes',
	'/api/communes/search',
	'/api/communes/fiber',
	'/api/population/cells',
	'/api/towers',
	'/api/reports/cells',
	'/api/coverage/cells',
	'/api/villages',
	'/api/coverage/stale'
	// Not /api/dead-zones, nor the scorecards and open data built on the zones: a read brings the
	// stored zones up to date (their ids stay stable across changes, dead-zones.ts), a write that
	// only the primary takes. (Keeping the zones current on write instead would let them move here.)
]);

export const CROSS_ORIGIN_WRITES: ReadonlySet<string> = new Set(['/api/reports', '/v2/geosubmit']);

/**
 * A route id as its URL reads: layout groups (`/(app)/moderation`) only choose a layout, so the
 * tables above name routes without them.
 */
export const routePath = (routeId: string) => routeId.replace(/\/\([^)]+\)/g, '') || '/';

/** Whether a request may be a cross-site write: a POST (or its preflight) to one of CROSS_ORIGIN_WRITES. */
export const acceptsCrossOriginWrite = (routeId: string | null, method: string) =>
	routeId !== null && CROSS_ORIGIN_WRITES.has(routePath(routeId)) && (method === 'POST' || method === 'OPTIONS');

/** The access a request needs, or null when the route declares none for that method. */
export function accessFor(routeId: string, method: string): Access | null {
	const byMethod = ROUTE_ACCESS[routePath(routeId)];
	if (!byMethod) return null;
	if (method === 'OPTIONS' && byMethod.OPTIONS) return byMethod.OPTIONS;
	const m = method === 'HEAD' || method === 'OPTIONS' ? 'GET' : method;
	return byMethod[m as 'GET' | 'POST'] ?? null;
}
