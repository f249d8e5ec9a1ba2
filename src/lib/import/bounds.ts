/**
 * Vietnam's mainland and near-shore islands (Phú Quốc, Côn Đảo, Bạch Long Vĩ), in degrees, padded
 * by about 10 km. Hoàng Sa and Trường Sa are outside: no terrestrial mobile coverage planning there.
 */
export const VIETNAM_EXTENT = { west: 102.0, south: 8.3, east: 110.0, north: 23.5 } as const;

const inside = (lng: number, lat: number) =>
	lng >= VIETNAM_EXTENT.west && lng <= VIETNAM_EXTENT.east && lat >= VIETNAM_EXTENT.south && lat <= VIETNAM_EXTENT.north;

/** Whether a position is in Vietnam, and if not, whether swapping latitude and longitude would fix it. */
export function checkPosition(lng: number, lat: number): 'ok' | 'swapped' | 'outside' {
	if (inside(lng, lat)) return 'ok';
	if (inside(lat, lng)) return 'swapped';
	return 'outside';
}
