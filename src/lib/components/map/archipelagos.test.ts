import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { archipelagosInView } from './layers';
import { ARCHIPELAGOS } from './archipelagos';
import { archipelagoLayers } from './layers';

// The archipelagos' extents (public gazetteers): every island and label must fall inside its own.
const EXTENT = { hoangSa: { w: 111, e: 113, s: 15.6, n: 17.4 }, truongSa: { w: 111.5, e: 117.5, s: 6.5, n: 12 } };

describe('Hoàng Sa and Trường Sa', () => {
	it('places every island and label within its archipelago', () => {
		for (const a of ARCHIPELAGOS) {
			const box = EXTENT[a.key];
			for (const [lon, lat] of [a.label, ...a.islands.map((i) => i.position)]) {
				expect(lon).toBeGreaterThanOrEqual(box.w);
				expect(lon).toBeLessThanOrEqual(box.e);
				expect(lat).toBeGreaterThanOrEqual(box.s);
				expect(lat).toBeLessThanOrEqual(box.n);
			}
		}
	});

	it('names them as the 2025 special zones of Đà Nẵng and Khánh Hòa', () => {
		const csv = readFileSync('data/vn-admin-reform-2025-mapping/communes_post2025.csv', 'utf8');
		for (const a of ARCHIPELAGOS) {
			const row = csv.split('\n').find((line) => line.split(',')[2] === a.communeCode);
			expect(row, a.communeCode).toBeDefined();
			expect(row).toContain(a.province.vi);
			expect(row).toContain(`Đặc khu ${a.name.vi.replace('Quần đảo ', '')}`);
		}
	});

	it('draws their names in the chosen language', () => {
		const [, labels] = archipelagoLayers('en');
		const getText = (labels.props as unknown as { getText: (a: (typeof ARCHIPELAGOS)[number]) => string }).getText;
		expect(ARCHIPELAGOS.map(getText)).toEqual(['Hoàng Sa Archipelago\n(Đà Nẵng City)', 'Trường Sa Archipelago\n(Khánh Hòa Province)']);
	});
});

describe('archipelagos in view', () => {
	it('are drawn on national and South China Sea views, left out over a northern province', () => {
		expect(archipelagosInView([102, 8, 117, 23.5])).toBe(true);
		expect(archipelagosInView([108, 14, 112, 18])).toBe(true);
		expect(archipelagosInView([105.2, 22.3, 106.9, 23.2])).toBe(false);
		expect(archipelagosInView(null)).toBe(true);
	});
});
