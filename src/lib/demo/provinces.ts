import type { DemoOptions } from './generate';

/** A province the demo generator can build, around real commune boundaries shipped in `data/`. */
export interface DemoProvinceConfig extends DemoOptions {
	provinceCode: string;
	provinceName: string;
	/** Path under `data/` of the 2025 commune polygons. */
	communesFile: string;
	/** Attribution of the boundaries, shown in the UI. */
	boundarySource: string;
	/** The SYNTHETIC DEM's relief, m (src/lib/demo/fields.ts syntheticDem); null: none (lowland, predicted on flat ground). */
	relief: { minM: number; maxM: number } | null;
}

const BOUNDARY_SOURCE = 'Commune boundaries: lamngockhuong/vietnam-3d-map (MIT), from gis.vn and sapnhap.bando.com.vn';

/** Demo provinces by their 2025 code. */
export const DEMO_PROVINCES: Record<string, DemoProvinceConfig> = {
	'04': {
		provinceCode: '04',
		provinceName: 'Cao Bằng',
		communesFile: 'vn-communes-post2025-polygons/cao_bang_04_communes_2025.geojson',
		boundarySource: BOUNDARY_SOURCE,
		// Karst mountains: valleys ~200 m, peaks to ~1,900 m (the plateau's typical range, synthetic shape).
		relief: { minM: 200, maxM: 1600 },
		seed: 4_2025,
		reportCount: 30_000,
		towerScale: 1,
		// Border communes on the Chinese frontier and karst-mountain communes (synthetic choice).
		gapCommuneCodes: ['01501', '01537', '01552', '01561', '01324', '01297', '01795', '01789', '01339', '01708'],
		// Replaced by the day of seeding (demo-seed.ts); kept for the generator's own tests.
		observedUntil: '2026-10-31T17:00:00Z'
	},
	'75': {
		provinceCode: '75',
		provinceName: 'Đồng Nai',
		communesFile: 'vn-communes-post2025-polygons/dong_nai_75_communes_2025.geojson',
		boundarySource: BOUNDARY_SOURCE,
		// Lowland and low plateau: no DEM in the demo (flat ground is close enough, and the seed stays quick).
		relief: null,
		seed: 75_2025,
		reportCount: 60_000,
		towerScale: 0.2,
		// Forest and Cambodian-border communes (synthetic choice): Đak Lua, Bù Gia Mập, Phú Lý, Hưng Phước, Đăk Ơ, Lộc Thành, Lộc Thạnh.
		gapCommuneCodes: ['26119', '25222', '26173', '25309', '25225', '25294', '25280'],
		// Replaced by the day of seeding (demo-seed.ts); kept for the generator's own tests.
		observedUntil: '2026-10-31T17:00:00Z'
	}
};
