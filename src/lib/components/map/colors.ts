import type { VillageStatus } from '../../coverage/villages';

/** Colours shared by the deck.gl layers (layers.ts) and the light MapLibre-only maps; no deck.gl here. */
type Rgb = [number, number, number];

/** Dead zones: translucent near-black under a solid outline — apart from every signal class's colour, and the coverage under them stays readable. */
export const DEAD_ZONE_RGB: Rgb = [25, 25, 35];

/** Village statuses: trắng sóng dark red (no signal at the centre), lõm sóng orange, có sóng green. */
export const VILLAGE_STATUS_RGB: Record<VillageStatus, Rgb> = { trang_song: [150, 0, 20], lom_song: [235, 130, 0], co_song: [20, 140, 70] };

/** Parses "#rrggbb" into [r, g, b]. */
export function hexToRgb(hex: string): Rgb {
	const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
	if (!m) throw new RangeError(`colour must be "#rrggbb", got "${hex}"`);
	return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)];
}

/** "rgb(r, g, b)" for CSS and MapLibre paint properties. */
export const cssRgb = ([r, g, b]: Rgb) => `rgb(${r}, ${g}, ${b})`;

/** Proposed sites by type: small cells teal, macro towers violet (apart from the signal classes' colours). */
export const SITE_TYPE_RGB: Record<'small-cell' | 'macro', Rgb> = { 'small-cell': [0, 128, 128], macro: [110, 60, 170] };

/** Two scenarios side by side: blue and orange (distinguishable with the common colour-vision deficiencies). */
export const SCENARIO_RGB: readonly Rgb[] = [
	[0, 90, 200],
	[230, 120, 0]
];

/**
 * A proposal's stage on the explorer: under way (proposed … building) outlined white, on air or
 * verified outlined dark green, rejected or closed faded — the site type stays its fill.
 */
export type ProposalStage = 'underway' | 'onAir' | 'ended';
export const proposalStage = (state: string): ProposalStage => (state === 'on_air' || state === 'verified' ? 'onAir' : state === 'rejected' || state === 'closed' ? 'ended' : 'underway');
export const PROPOSAL_STAGE_LINE_RGB: Record<ProposalStage, Rgb> = { underway: [255, 255, 255], onAir: [0, 90, 40], ended: [150, 150, 150] };
