/**
 * Vietnam's Hoàng Sa and Trường Sa archipelagos, drawn by the map itself at every scale rather than
 * left to a basemap: global basemaps have omitted or misnamed them, and a Vietnamese government
 * tool must show them as Vietnamese (../shared/DOMAIN.md). Since the 2025 reform they are the
 * special zones (đặc khu) Hoàng Sa of Đà Nẵng (code 20333) and Trường Sa of Khánh Hòa (22736)
 * (data/vn-admin-reform-2025-mapping/communes_post2025.csv).
 *
 * Positions are approximate (about ±2 km) main features from public gazetteers, for display at
 * national and regional scale only — not for navigation or measurement.
 */
export interface Archipelago {
	key: 'hoangSa' | 'truongSa';
	/** The special zone's 2025 commune-level code and its province. */
	communeCode: string;
	province: { vi: string; en: string };
	name: { vi: string; en: string };
	/** Where the archipelago's name is written [lon, lat]. */
	label: [number, number];
	/** A box around every island [west, south, east, north], where a basemap's own labels are hidden. */
	area: [number, number, number, number];
	islands: { name: string; position: [number, number] }[];
}

export const ARCHIPELAGOS: readonly Archipelago[] = [
	{
		key: 'hoangSa',
		communeCode: '20333',
		province: { vi: 'Thành phố Đà Nẵng', en: 'Đà Nẵng City' },
		name: { vi: 'Quần đảo Hoàng Sa', en: 'Hoàng Sa Archipelago' },
		label: [112.0, 17.25],
		area: [110.8, 15.4, 113.2, 17.6],
		islands: [
			{ name: 'Đảo Phú Lâm', position: [112.336, 16.834] },
			{ name: 'Đảo Cây', position: [112.264, 16.982] },
			{ name: 'Đảo Linh Côn', position: [112.733, 16.667] },
			{ name: 'Đảo Hoàng Sa', position: [111.608, 16.533] },
			{ name: 'Đảo Quang Ảnh', position: [111.595, 16.45] },
			{ name: 'Đảo Hữu Nhật', position: [111.74, 16.49] },
			{ name: 'Đảo Duy Mộng', position: [111.707, 16.45] },
			{ name: 'Đảo Tri Tôn', position: [111.2, 15.783] }
		]
	},
	{
		key: 'truongSa',
		communeCode: '22736',
		province: { vi: 'Tỉnh Khánh Hòa', en: 'Khánh Hòa Province' },
		name: { vi: 'Quần đảo Trường Sa', en: 'Trường Sa Archipelago' },
		label: [113.9, 11.9],
		area: [111.4, 6.8, 117.0, 12.2],
		islands: [
			{ name: 'Đảo Song Tử Tây', position: [114.333, 11.429] },
			{ name: 'Đảo Song Tử Đông', position: [114.356, 11.453] },
			{ name: 'Đảo Thị Tứ', position: [114.284, 11.054] },
			{ name: 'Đảo Loại Ta', position: [114.419, 10.68] },
			{ name: 'Đảo Sơn Ca', position: [114.478, 10.376] },
			{ name: 'Đảo Ba Bình', position: [114.365, 10.377] },
			{ name: 'Đảo Nam Yết', position: [114.362, 10.181] },
			{ name: 'Đảo Sinh Tồn', position: [114.33, 9.885] },
			{ name: 'Đảo Sinh Tồn Đông', position: [114.58, 9.91] },
			{ name: 'Đảo Phan Vinh', position: [113.67, 8.97] },
			{ name: 'Đảo Trường Sa', position: [111.918, 8.645] },
			{ name: 'Đảo An Bang', position: [112.92, 7.87] }
		]
	}
];
