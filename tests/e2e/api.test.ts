import { describe, expect, inject, it } from 'vitest';
import { signInAs } from '../helpers/session';

const baseUrl = inject('baseUrl');
const get = (path: string) => fetch(`${baseUrl}${path}`);

describe('API on the built app (embedded database, demo province)', () => {
	it('reports health with the demo counts', async () => {
		const health = await (await get('/api/health')).json();
		expect(health).toMatchObject({ status: 'ok', database: 'pglite', counts: { communes: 56 } });
		expect(health.postgis).toMatch(/^3\./);
		expect(health.demo[0]).toMatchObject({ provinceCode: '04', provinceName: 'Cao Bằng', counts: { reports: 30_000 } });
		// Other test files send residents' reports to the same server: the demo's are a floor.
		expect(health.counts.reports).toBeGreaterThanOrEqual(30_000);
	});

	it.each([
		['/api/communes', 'bbox: is required'],
		['/api/communes?bbox=1,2,3', 'bbox: must be "west,south,east,north"'],
		['/api/communes?bbox=105,22,107,23&zoom=99', 'zoom: must be at most 22'],
		['/api/communes?bbox=105,22,107,23&set=2019', 'set: must be "2025" or "pre2025"'],
		['/api/towers?bbox=107,23,105,22', 'bbox: west must be less than east'],
		['/api/communes/search?q=x&limit=abc', 'limit: must be a whole number'],
		['/api/reports/cells?bbox=105,22,107', 'bbox: must be "west,south,east,north"'],
		['/api/communes/search', 'q: is required'],
		['/api/coverage/cells?bbox=105,22,107,23&res=9', 'res: 9 is for planners'],
		['/api/coverage/cells?bbox=105,22,107,23&res=5', 'res: must be 6, 7, 8 or 9'],
		['/api/coverage/cells?bbox=105,22,107,23&source=claimed', 'source: must be "measured", "predicted", "best", "declared" or "disputed"'],
		['/api/coverage/cells?bbox=105,22,107,23&technology=6G', 'technology: must be 2G, 3G, 4G or 5G'],
		['/api/coverage/cells?bbox=105,22,107,23&operator=ORANGE', 'operator: must be one of']
	])('%s is a 400 naming the parameter', async (path, message) => {
		const response = await get(path);
		expect(response.status).toBe(400);
		expect((await response.json()).message).toContain(message);
	});

	it('serves predicted cells to anyone at any resolution, columnar, with an ETag', async () => {
		const response = await get('/api/coverage/cells?bbox=105,22,107,23&res=9&source=predicted&operator=viettel&technology=4G');
		expect(response.status).toBe(200);
		expect(response.headers.get('etag')).toBeTruthy();
		const body = await response.json();
		expect(body).toMatchObject({ res: 9, source: 'predicted', operator: 'viettel', technology: '4G' });
		expect(body.class).toHaveLength(body.cells.length);
		expect(body.dbm).toHaveLength(body.cells.length);
	});

	it('serves communes as GeoJSON with fewer bytes at low zoom', async () => {
		const near = await get('/api/communes?bbox=105,22,107,23.5&zoom=12');
		expect(near.headers.get('content-type')).toContain('application/geo+json');
		const nearText = await near.text();
		const farText = await (await get('/api/communes?bbox=105,22,107,23.5&zoom=7')).text();
		expect(JSON.parse(nearText).features).toHaveLength(56);
		expect(JSON.parse(farText).features).toHaveLength(56);
		expect(farText.length).toBeLessThan(nearText.length * 0.7);
	});

	it('finds communes ignoring diacritics', async () => {
		const dam = await (await get('/api/communes/search?q=Dam%20Thuy')).json();
		expect(dam[0]).toMatchObject({ code: '01501', name: 'Đàm Thuỷ' });
		const phuc = await (await get('/api/communes/search?q=phuc%20hoa')).json();
		expect(phuc[0]).toMatchObject({ code: '01648', name: 'Phục Hòa' });
	});

	it('caps reports at limit and never includes reporter keys (planner)', async () => {
		const { cookie } = await signInAs(baseUrl, 'planner');
		const text = await (await fetch(`${baseUrl}/api/reports?bbox=105,22,107,23.5&limit=100`, { headers: { cookie } })).text();
		expect(JSON.parse(text).features).toHaveLength(100);
		expect(text).not.toMatch(/reporter|demo-resident/);
	});
});
