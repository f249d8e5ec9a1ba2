import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { EVERYONE, signInAs, type Who } from '../helpers/session';

/**
 * The authorization matrix: every route under src/routes, every method it answers, as every kind
 * of caller — status, and no forbidden field in the body. Routes are discovered from the files,
 * so a new route without an entry here fails the suite.
 */
const baseUrl = inject('baseUrl');
const BBOX = 'bbox=105.2,22.3,106.9,23.2';

type Method = 'GET' | 'POST';
interface Check {
	/** Path and query to call. */
	path: string;
	/** Form body for POST. */
	form?: Record<string, string>;
	status: Record<Who, number>;
	/** Extra assertions on a 200 body, per caller. */
	body?: (who: Who, text: string) => void;
}

const ALL = (status: number): Record<Who, number> => ({ public: status, operatorA: status, operatorB: status, commune: status, planner: status, admin: status });
const ADMIN_ONLY_PAGE: Record<Who, number> = { public: 303, operatorA: 403, operatorB: 403, commune: 403, planner: 403, admin: 200 };
const PLANNER_PAGE: Record<Who, number> = { public: 303, operatorA: 403, operatorB: 403, commune: 403, planner: 200, admin: 200 };
const PLANNER_API = (planner: number): Record<Who, number> => ({ public: 401, operatorA: 403, operatorB: 403, commune: 403, planner, admin: planner });

/** Report identities and exact points must never reach anyone but planners. */
const noResidentData = (text: string) => {
	expect(text).not.toMatch(/reporter_?key|demo-resident|demo-drive/i);
};

const MATRIX: Record<string, Partial<Record<Method, Check>>> = {
	'/': { GET: { path: '/', status: ALL(200) } },
	'/login': {
		GET: { path: '/login', status: { public: 200, operatorA: 303, operatorB: 303, commune: 303, planner: 303, admin: 303 } },
		// Signed-in callers are sent on (303) rather than shown the form again.
		POST: { path: '/login', form: { email: 'matrix-nobody@example.vn', password: 'wrong password' }, status: { public: 400, operatorA: 303, operatorB: 303, commune: 303, planner: 303, admin: 303 } }
	},
	'/logout': {
		GET: { path: '/logout', status: { public: 303, operatorA: 200, operatorB: 200, commune: 200, planner: 200, admin: 200 } },
		// Signed-in callers post with a session of their own (see below), so the matrix keeps its sessions.
		POST: { path: '/logout', form: {}, status: ALL(303) }
	},
	'/set-password': {
		GET: { path: '/set-password?token=not-a-token', status: ALL(200) },
		POST: { path: '/set-password?token=not-a-token', form: { password: 'whatever-long-enough' }, status: ALL(400) }
	},
	'/admin/users': {
		GET: { path: '/admin/users', status: ADMIN_ONLY_PAGE, body: (_who, text) => expect(text).not.toMatch(/argon2/) },
		POST: { path: '/admin/users?/invite', form: { email: 'bad', displayName: '', role: 'planner', operatorCode: '' }, status: { ...ADMIN_ONLY_PAGE, admin: 400 } }
	},
	'/admin/audit': { GET: { path: '/admin/audit', status: ADMIN_ONLY_PAGE, body: (_who, text) => expect(text).not.toMatch(/argon2/) } },
	'/admin/settings': {
		GET: { path: '/admin/settings', status: ADMIN_ONLY_PAGE },
		// An out-of-range value: the admin gets a 400 naming the key, nobody else reaches the action.
		POST: { path: '/admin/settings', form: { key: 'signal.rsrp.fair_dbm', value: '-999' }, status: { ...ADMIN_ONLY_PAGE, admin: 400 } }
	},
	'/api/health': { GET: { path: '/api/health', status: ALL(200) } },
	'/api/communes': { GET: { path: `/api/communes?${BBOX}`, status: ALL(200) } },
	'/api/coverage/cells': {
		// Resolution 9 of any operator: planners only; the public and liaisons get a 400 naming res.
		GET: { path: `/api/coverage/cells?${BBOX}&res=9`, status: { public: 400, operatorA: 400, operatorB: 400, commune: 400, planner: 200, admin: 200 }, body: (_who, text) => noResidentData(text) }
	},
	'/api/communes/search': { GET: { path: '/api/communes/search?q=dam', status: ALL(200) } },
	'/api/towers': { GET: { path: `/api/towers?${BBOX}`, status: ALL(200) } },
	'/api/reports': {
		GET: {
			path: `/api/reports?${BBOX}&limit=50`,
			status: { public: 401, operatorA: 403, operatorB: 403, commune: 403, planner: 200, admin: 200 },
			body: (_who, text) => {
				expect(JSON.parse(text).features).toHaveLength(50);
				noResidentData(text);
			}
		},
		// Anyone may report (a form body is not JSON: 400 naming the body, for everyone alike).
		POST: { path: '/api/reports', form: { a: '1' }, status: ALL(400), body: () => {} }
	},
	'/moderation': {
		GET: { path: '/moderation', status: { public: 303, operatorA: 403, operatorB: 403, commune: 200, planner: 200, admin: 200 }, body: (_who, text) => expect(text).toMatch(/data-testid="tab-held"/) },
		POST: { path: '/moderation', form: { action: 'approve', id: 'not-an-id' }, status: { public: 303, operatorA: 403, operatorB: 403, commune: 400, planner: 400, admin: 400 } }
	},
	'/report/[code]': {
		GET: { path: '/report/ABCD-EFGH', status: ALL(200), body: (_who, text) => expect(text).toMatch(/data-testid="track-not-found"/) },
		POST: { path: '/report/ABCD-EFGH?/deleteContact', form: {}, status: ALL(404) }
	},
	// The residents' form and what goes with it (issue 18): public, nothing personal in any of them.
	'/report': { GET: { path: '/report', status: ALL(200), body: (_who, text) => expect(text).toMatch(/data-testid="report-form"/) } },
	'/report/poster': { GET: { path: '/report/poster', status: ALL(200), body: (_who, text) => expect(text).toMatch(/data-testid="poster-qr"[\s\S]*<svg/) } },
	'/report/qr.svg': { GET: { path: '/report/qr.svg', status: ALL(200), body: (_who, text) => expect(text).toMatch(/^<svg/) } },
	'/report/[code]/qr.svg': { GET: { path: '/report/ABCD-EFGH/qr.svg', status: ALL(200), body: (_who, text) => expect(text).toMatch(/^<svg/) } },
	'/api/speedtest': {
		GET: { path: '/api/speedtest?bytes=1000', status: ALL(200), body: (_who, text) => expect(text.length).toBeGreaterThan(0) },
		POST: { path: '/api/speedtest', form: { a: '1' }, status: ALL(200), body: (_who, text) => expect(JSON.parse(text)).toEqual({ bytes: 3 }) }
	},
	// Context layers: aggregates for everyone, no reporter in them.
	'/api/population/cells': { GET: { path: `/api/population/cells?${BBOX}&res=7`, status: ALL(200), body: (_who, text) => expect(JSON.parse(text).cells.length).toBeGreaterThan(0) } },
	'/api/communes/fiber': { GET: { path: '/api/communes/fiber', status: ALL(200), body: (_who, text) => expect(JSON.parse(text).codes.length).toBeGreaterThan(0) } },
	// The suite's server has no local basemap: style and archive are 404; glyphs are bundled.
	'/basemap/style.json': { GET: { path: '/basemap/style.json', status: ALL(404), body: () => {} } },
	'/basemap/tiles.pmtiles': { GET: { path: '/basemap/tiles.pmtiles', status: ALL(404), body: () => {} } },
	'/basemap/fonts/[fontstack]/[range].pbf': { GET: { path: '/basemap/fonts/DejaVu%20Sans%20Book/0-255.pbf', status: ALL(200), body: (_who, text) => expect(text).toContain('DejaVu Sans Book') } },
	'/v2/geosubmit': { POST: { path: '/v2/geosubmit', form: { a: '1' }, status: ALL(400), body: () => {} } },
	'/api/reports/track/[code]': {
		GET: { path: '/api/reports/track/ABCD-EFGH', status: ALL(404), body: () => {} },
		POST: { path: '/api/reports/track/ABCD-EFGH', form: {}, status: ALL(400), body: () => {} }
	},
	'/api/reports/cells': {
		GET: {
			path: `/api/reports/cells?${BBOX}`,
			status: ALL(200),
			body: (_who, text) => {
				noResidentData(text);
				expect(text).not.toMatch(/coordinates|"lat|"lng/);
				const body = JSON.parse(text);
				expect(body.cells.length).toBeGreaterThan(0);
				expect(body.cells.every((c: { reporters: number }) => c.reporters >= body.minReporters)).toBe(true);
			}
		}
	},
	'/api/operator/cells': {
		GET: {
			// Operators ask for another operator's data; the server pins them to their own.
			path: `/api/operator/cells?${BBOX}&operator=mobifone`,
			status: { public: 401, operatorA: 200, operatorB: 200, commune: 403, planner: 200, admin: 200 },
			body: (who, text) => {
				noResidentData(text);
				const expected = { operatorA: 'viettel', operatorB: 'vnpt', planner: 'mobifone', admin: 'mobifone', public: '', commune: '' }[who];
				expect(JSON.parse(text).operator).toBe(expected);
			}
		}
	},
	'/api/disputes/package': {
		// A liaison gets its own operator's package only (operatorA is Viettel's); the public none.
		GET: {
			path: '/api/disputes/package?operator=viettel&format=csv',
			status: { public: 401, operatorA: 200, operatorB: 403, commune: 403, planner: 200, admin: 200 },
			body: (_who, text) => {
				noResidentData(text);
				expect(text.split('\r\n')[0]).toMatch(/^cell,centre_lat,centre_lng,operator,technology,flags,/);
			}
		}
	},
	'/api/dead-zones': {
		// Res 9 (every measurement): planners only; the public's res-8 zones answer everyone.
		GET: {
			path: `/api/dead-zones?${BBOX}&res=9`,
			status: { public: 400, operatorA: 400, operatorB: 400, commune: 400, planner: 200, admin: 200 },
			body: (_who, text) => {
				noResidentData(text);
				expect(JSON.parse(text).features.length).toBeGreaterThan(0);
			}
		}
	},
	'/api/villages': {
		GET: {
			path: `/api/villages?${BBOX}`,
			status: ALL(200),
			body: (_who, text) => {
				noResidentData(text);
				expect(JSON.parse(text).features.length).toBeGreaterThan(0);
			}
		}
	},
	'/api/coverage/stale': {
		// The download of the whole province at res 9: planners only.
		GET: { path: '/api/coverage/stale?res=9&format=csv', status: { public: 400, operatorA: 400, operatorB: 400, commune: 400, planner: 200, admin: 200 }, body: (_who, text) => expect(text).toMatch(/^h3,lng,lat,households,last_observed,communes\n/) }
	},
	'/api/communes/scorecards': {
		GET: {
			path: '/api/communes/scorecards?province=04&format=csv',
			status: ALL(200),
			body: (_who, text) => {
				noResidentData(text);
				expect(text.split('\r\n')[0]).toMatch(/^\uFEFF?commune_code,name,set,province_code,/);
				expect(text.split('\r\n').length).toBeGreaterThan(10);
			}
		}
	},
	'/communes': { GET: { path: '/communes', status: ALL(200), body: (_who, text) => expect(text).toMatch(/data-testid="scorecard-table"/) } },
	'/api/communes/[code]/scorecard': {
		GET: { path: '/api/communes/not-a-code/scorecard', status: ALL(400), body: () => {} }
	},
	'/communes/[code]': { GET: { path: '/communes/01501', status: ALL(200), body: (_who, text) => expect(text).toMatch(/data-testid="commune-figures"/) } },
	'/province/[code]': { GET: { path: '/province/04', status: ALL(200), body: (_who, text) => expect(text).toMatch(/data-testid="kpi-population_4g"/) } },
	'/open-data': { GET: { path: '/open-data', status: ALL(200), body: (_who, text) => expect(text).toMatch(/data-testid="datasets"/) } },
	'/api/openapi.json': { GET: { path: '/api/openapi.json', status: ALL(200), body: (_who, text) => expect(JSON.parse(text).openapi).toBe('3.1.0') } },
	'/api/open-data/[file]': {
		GET: {
			path: '/api/open-data/villages.csv',
			status: ALL(200),
			body: (_who, text) => {
				noResidentData(text);
				expect(text).toMatch(/^\uFEFF?village_id,name,commune_code,/);
			}
		}
	},
	'/import': {
		GET: { path: '/import', status: PLANNER_PAGE, body: (_who, text) => expect(text).toMatch(/data-testid="import-page"/) },
		POST: { path: '/import?/undo', form: { id: 'not-a-number' }, status: { ...PLANNER_PAGE, planner: 400, admin: 400 } }
	},
	// Planners get past the policy and are then told what is wrong with the request.
	'/api/imports/uploads': { POST: { path: '/api/imports/uploads', form: {}, status: PLANNER_API(400) } },
	'/api/imports/uploads/[id]': { GET: { path: '/api/imports/uploads/not-an-upload', status: PLANNER_API(404) } },
	'/api/imports/jobs': { POST: { path: '/api/imports/jobs', form: {}, status: PLANNER_API(400) } },
	'/api/imports/jobs/[id]': { GET: { path: '/api/imports/jobs/not-a-job', status: PLANNER_API(404) } },
	'/plan': { GET: { path: '/plan', status: PLANNER_PAGE, body: (_who, text) => expect(text).toMatch(/data-testid="scenario-form"/) } },
	'/plan/[id]': { GET: { path: '/plan/999999', status: { ...PLANNER_PAGE, planner: 404, admin: 404 } } },
	'/plan/compare': { GET: { path: '/plan/compare?ids=1', status: { ...PLANNER_PAGE, planner: 400, admin: 400 } } },
	'/api/plans': {
		GET: { path: '/api/plans', status: PLANNER_API(200), body: (_who, text) => expect(JSON.parse(text).scenarios).toEqual(expect.any(Array)) },
		// A form body is not the JSON options: planners are told so.
		POST: { path: '/api/plans', form: {}, status: PLANNER_API(400) }
	},
	'/api/plans/[id]': { GET: { path: '/api/plans/999999', status: PLANNER_API(404) } },
	'/api/plans/[id]/export': { GET: { path: '/api/plans/999999/export?format=csv', status: PLANNER_API(404) } },
	// Proposals: every signed-in role, each seeing only its own (scoped inside; tests/e2e/plans.test.ts).
	'/proposals': { GET: { path: '/proposals', status: { ...ALL(200), public: 303 }, body: (_who, text) => noResidentData(text) } },
	'/proposals/[id]': { GET: { path: '/proposals/999999', status: { ...ALL(404), public: 303 } } },
	'/api/proposals': {
		GET: { path: '/api/proposals', status: { ...ALL(200), public: 401 }, body: (_who, text) => expect(JSON.parse(text).proposals).toEqual(expect.any(Array)) },
		POST: { path: '/api/proposals', form: {}, status: PLANNER_API(400) }
	},
	'/api/proposals/[id]': {
		GET: { path: '/api/proposals/999999', status: { ...ALL(404), public: 401 } },
		POST: { path: '/api/proposals/999999', form: {}, status: { ...ALL(400), public: 401 } }
	},
	'/api/imports/[id]/issues.csv': {
		GET: { path: '/api/imports/999999/issues.csv', status: PLANNER_API(200), body: (_who, text) => expect(text).toMatch(/^\uFEFF?row,line,column,value,reason\r\n$/) }
	}
};

/** Route ids and methods, read from the files under src/routes. */
function discoverRoutes(): { id: string; methods: Method[] }[] {
	const root = path.resolve('src/routes');
	const found: { id: string; methods: Method[] }[] = [];
	const walk = (dir: string) => {
		// Layout groups such as (app) are not part of the URL (policy.ts routePath).
		const rel = path.relative(root, dir).split(path.sep).filter((part) => part && !/^\(.+\)$/.test(part));
		const id = `/${rel.join('/')}`;
		const methods = new Set<Method>();
		const server = path.join(dir, '+server.ts');
		if (existsSync(server)) {
			for (const m of readFileSync(server, 'utf8').matchAll(/export\s+(?:async\s+)?(?:function|const)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) methods.add(m[1] as Method);
		}
		if (existsSync(path.join(dir, '+page.svelte'))) {
			methods.add('GET');
			const pageServer = path.join(dir, '+page.server.ts');
			if (existsSync(pageServer) && /export\s+const\s+actions\b/.test(readFileSync(pageServer, 'utf8'))) methods.add('POST');
		}
		if (methods.size > 0) found.push({ id, methods: [...methods].sort() });
		for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) walk(path.join(dir, entry.name));
	};
	walk(root);
	return found;
}

const sessions = {} as Record<Exclude<Who, 'public'>, { cookie: string; token: string }>;

beforeAll(async () => {
	for (const who of EVERYONE) if (who !== 'public') sessions[who] = await signInAs(baseUrl, who);
});

async function call(who: Who, method: Method, check: Check, cookie?: string) {
	// Pages are asked for as a browser would (form actions answer JSON to other clients).
	const headers: Record<string, string> = { origin: baseUrl, accept: 'text/html' };
	const session = cookie ?? (who === 'public' ? undefined : sessions[who].cookie);
	if (session) headers.cookie = session;
	if (method === 'POST') headers['content-type'] = 'application/x-www-form-urlencoded';
	const response = await fetch(`${baseUrl}${check.path}`, {
		method,
		headers,
		redirect: 'manual',
		body: method === 'POST' ? new URLSearchParams(check.form ?? {}) : undefined
	});
	return { status: response.status, text: await response.text() };
}

describe('authorization matrix', () => {
	const routes = discoverRoutes();

	it('has an entry for every route and method under src/routes', () => {
		const missing = routes.flatMap((r) => r.methods.filter((m) => !MATRIX[r.id]?.[m]).map((m) => `${m} ${r.id}`));
		expect(missing, 'add these to MATRIX in tests/e2e/authz-matrix.test.ts').toEqual([]);
		expect(routes.length).toBeGreaterThanOrEqual(12);
	});

	for (const { id, methods } of routes) {
		for (const method of methods) {
			it.each(EVERYONE)(`${method} ${id} as %s`, async (who) => {
				const check = MATRIX[id]?.[method];
				if (!check) throw new Error(`no matrix entry for ${method} ${id}`);
				// Logging out must not end the session the rest of the matrix uses.
				const cookie = id === '/logout' && method === 'POST' && who !== 'public' ? (await signInAs(baseUrl, who)).cookie : undefined;
				const { status, text } = await call(who, method, check, cookie);
				expect(status, `${method} ${check.path} as ${who}`).toBe(check.status[who]);
				for (const s of Object.values(sessions)) expect(text).not.toContain(s.token);
				expect(text).not.toMatch(/\$argon2id\$/);
				if (status === 200) check.body?.(who, text);
			});
		}
	}
});
