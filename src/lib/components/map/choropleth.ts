/**
 * Sequential classes for the explorer's context layers, with ColorBrewer palettes that are
 * colour-blind safe (Brewer & Harrower, colorbrewer2.org: sequential single-hue schemes) and
 * apart from the signal palette (RdYlBu): fiber in Purples, population in Greens.
 */
type Rgb = [number, number, number];

/**
 * Households per km² — log-spaced breaks chosen to separate scattered mountain hamlets (a few
 * households per km²) from valley villages and towns (hundreds); not a statistical standard.
 */
export const DENSITY_BREAKS = [5, 25, 100, 400] as const;
/** ColorBrewer Greens, 5 classes. */
export const DENSITY_RGB: readonly Rgb[] = [
	[237, 248, 233],
	[186, 228, 179],
	[116, 196, 118],
	[49, 163, 84],
	[0, 109, 44]
];

/** Share of households passed by fiber, in fifths. */
export const FIBER_BREAKS = [0.2, 0.4, 0.6, 0.8] as const;
/** ColorBrewer Purples, 5 classes. */
export const FIBER_RGB: readonly Rgb[] = [
	[242, 240, 247],
	[203, 201, 226],
	[158, 154, 200],
	[117, 107, 177],
	[84, 39, 143]
];

/** A commune with no fiber figures: drawn pale grey, not as "0 %". */
export const NO_FIBER_DATA_RGB: Rgb = [200, 200, 200];

/** The class (0 … breaks.length) of a value: class i holds breaks[i − 1] ≤ value < breaks[i]. */
export function classOf(value: number, breaks: readonly number[]): number {
	let i = 0;
	while (i < breaks.length && value >= breaks[i]) i++;
	return i;
}

/** The legend's label of class i, e.g. "25–100", "< 5", "≥ 400"; `format` writes a break. */
export function classLabel(i: number, breaks: readonly number[], format: (n: number) => string): string {
	if (i === 0) return `< ${format(breaks[0])}`;
	if (i === breaks.length) return `≥ ${format(breaks[breaks.length - 1])}`;
	return `${format(breaks[i - 1])}–${format(breaks[i])}`;
}

/** Fiber households of a commune as the map draws it. */
export interface FiberFigures {
	total: number;
	passed: number;
	connected: number;
}

/** Share of households passed (null without households to share). */
export const fiberShare = (f: FiberFigures | undefined): number | null => (f && f.total > 0 ? f.passed / f.total : null);

/** A commune's choropleth fill. */
export function fiberFill(f: FiberFigures | undefined): [number, number, number, number] {
	const share = fiberShare(f);
	return share === null ? [...NO_FIBER_DATA_RGB, 110] : [...FIBER_RGB[classOf(share, FIBER_BREAKS)], 200];
}

/** A population cell's fill. */
export const densityFill = (householdsPerKm2: number): [number, number, number, number] => [...DENSITY_RGB[classOf(householdsPerKm2, DENSITY_BREAKS)], 190];

/** A fiber class as the legend writes it: "20–40 %", "< 20 %", "≥ 80 %". */
export const fiberClassLabel = (i: number) => `${classLabel(i, FIBER_BREAKS, (n) => String(Math.round(n * 100)))} %`;
