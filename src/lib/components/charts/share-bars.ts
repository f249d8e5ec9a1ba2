import type { ChannelValue, Markish } from '@observablehq/plot';

type Plot = typeof import('@observablehq/plot');

/**
 * Horizontal bars of shares (0–1, drawn as 0–100 %) with the value written at each bar's end —
 * the report pages' "households covered" charts. `y` (and `fy`, for facets) name the rows; the
 * share is `share(row)`; `text` formats it.
 */
export function shareBars<T>(plot: Plot, rows: readonly T[], o: { share: (row: T) => number | null; y: ChannelValue; fy?: ChannelValue; fill: ChannelValue; text: (row: T) => string }): Markish[] {
	const x = (row: T) => (o.share(row) ?? 0) * 100;
	return [
		plot.barX(rows, { x, y: o.y, fy: o.fy, fill: o.fill, insetTop: 1, insetBottom: 1 }),
		plot.text(rows, { x, y: o.y, fy: o.fy, text: o.text, dx: 4, textAnchor: 'start' }),
		plot.ruleX([0])
	];
}

/** The x axis of a share chart: 0–100 % with a grid, and room on the left for operator names. */
export const shareAxes = (width: number, label: string) => ({ marginLeft: Math.min(150, width * 0.36), x: { domain: [0, 100], label, grid: true } });
