/**
 * Douglas–Peucker tolerance in degrees for drawing at a web-map zoom: half a 256-px tile pixel
 * at the equator, so the simplification never shows on screen but low zooms ship far fewer vertices.
 */
export function simplifyToleranceDeg(zoom: number): number {
	if (!(zoom >= 0 && zoom <= 24)) throw new RangeError(`zoom must be within 0…24, got ${zoom}`);
	return 360 / (256 * 2 ** zoom) / 2;
}
