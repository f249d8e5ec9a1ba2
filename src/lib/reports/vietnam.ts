import boxes from '../../../data/vn-province-bboxes/provinces_bbox_pre2025.json';

/**
 * Whether a point lies in Vietnam, coarsely: inside the bounding box of one of its 63 (pre-2025)
 * provinces (data/vn-province-bboxes, dvhcvn, GPL-3.0). Near a land border a box reaches across
 * it; that is acceptable for its use, holding reports sent from elsewhere for a moderator.
 */
const BOXES: readonly (readonly [number, number, number, number])[] = Object.values(boxes as Record<string, number[]>).map(
	(b) => [b[0], b[1], b[2], b[3]] as const
);

export function insideVietnam(lon: number, lat: number): boolean {
	return BOXES.some(([w, s, e, n]) => lon >= w && lon <= e && lat >= s && lat <= n);
}
