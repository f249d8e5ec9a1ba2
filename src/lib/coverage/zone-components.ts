import { gridDisk } from 'h3-js';

/**
 * Connected components of H3 cells of one resolution: two cells belong together when they are
 * grid neighbours (`gridDisk(c, 1)`, the six cells sharing an edge). On a hexagon grid cells that
 * meet at a vertex always share an edge too (three hexagons meet at each vertex, pairwise
 * adjacent), so edge adjacency is the only kind; two cells one cell apart stay apart. Pure.
 */

/** A component: its cells, sorted. */
export type Component = string[];

const byFirstCell = (a: Component, b: Component) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/** Grows the component of `seed` through `cells`, marking what it takes in `seen`. */
function grow(seed: string, cells: ReadonlySet<string>, seen: Set<string>): Component {
	const component: Component = [seed];
	seen.add(seed);
	for (let i = 0; i < component.length; i++) {
		for (const n of gridDisk(component[i], 1)) {
			if (!seen.has(n) && cells.has(n)) {
				seen.add(n);
				component.push(n);
			}
		}
	}
	return component.sort();
}

/** The connected components of `cells`, each sorted, ordered by their first cell. */
export function connectedComponents(cells: Iterable<string>): Component[] {
	const all = cells instanceof Set ? (cells as Set<string>) : new Set(cells);
	const seen = new Set<string>();
	const out: Component[] = [];
	for (const c of all) if (!seen.has(c)) out.push(grow(c, all, seen));
	return out.sort(byFirstCell);
}

/**
 * The components of `current` after some cells changed, from the components before: only the
 * components that hold a changed cell or border one are grown again; the others are the same
 * arrays as before. A component that changed can only have grown through a changed cell, so this
 * equals {@link connectedComponents} of `current` (a test holds it to that).
 *
 * `changed`: every cell that entered or left `current` since `previous` was computed.
 */
export function updateComponents(previous: readonly Component[], current: ReadonlySet<string>, changed: Iterable<string>): { components: Component[]; kept: number; grown: number } {
	const componentOf = new Map<string, number>();
	for (let i = 0; i < previous.length; i++) for (const c of previous[i]) componentOf.set(c, i);
	const touched = new Set<number>();
	const seeds: string[] = [];
	for (const c of changed) {
		if (current.has(c)) seeds.push(c);
		for (const n of gridDisk(c, 1)) {
			const i = componentOf.get(n);
			if (i !== undefined) touched.add(i);
		}
	}
	const out: Component[] = [];
	for (let i = 0; i < previous.length; i++) {
		if (!touched.has(i)) out.push(previous[i]);
		else for (const c of previous[i]) if (current.has(c)) seeds.push(c);
	}
	const kept = out.length;
	const seen = new Set<string>();
	for (const s of seeds) if (!seen.has(s)) out.push(grow(s, current, seen));
	return { components: out.sort(byFirstCell), kept, grown: out.length - kept };
}

/** A zone of the previous computation, by the id it was given. */
export interface PreviousZone {
	id: number;
	cells: readonly string[];
}

/** Jaccard overlap at or above which a new zone keeps an old zone's id. */
export const KEEP_ID_JACCARD = 0.5;

/**
 * Stable ids for new components. A component keeps the id of the previous zone it overlaps most
 * when their Jaccard overlap |A∩B| / |A∪B| is ≥ 0.5. When a zone split — two or more new
 * components take it as the zone they overlap most, and together hold at least half of it — the
 * part holding most of it keeps the id even below 0.5. An id goes to one component at most
 * (highest overlap first); the rest get `newId()`, called in component order so ids are
 * reproducible. Returns one id per component.
 */
export function assignStableIds(previous: readonly PreviousZone[], components: readonly Component[], newId: () => number): number[] {
	const zoneOf = new Map<string, number>();
	for (let p = 0; p < previous.length; p++) for (const c of previous[p].cells) zoneOf.set(c, p);
	// Each component's best previous zone and the overlap.
	const best: { zone: number; shared: number; jaccard: number }[] = [];
	for (const component of components) {
		const counts = new Map<number, number>();
		for (const c of component) {
			const p = zoneOf.get(c);
			if (p !== undefined) counts.set(p, (counts.get(p) ?? 0) + 1);
		}
		let zone = -1;
		let shared = 0;
		for (const [p, n] of counts) if (n > shared || (n === shared && previous[p].id < previous[zone].id)) [zone, shared] = [p, n];
		const jaccard = zone < 0 ? 0 : shared / (component.length + previous[zone].cells.length - shared);
		best.push({ zone, shared, jaccard });
	}
	// Splits: the largest part of a zone that two or more components took, holding half of it together.
	const parts = new Map<number, number[]>();
	best.forEach((b, i) => b.zone >= 0 && parts.set(b.zone, [...(parts.get(b.zone) ?? []), i]));
	const splitHeir = new Set<number>();
	for (const [zone, members] of parts) {
		if (members.length < 2) continue;
		const held = members.reduce((sum, i) => sum + best[i].shared, 0);
		if (held * 2 < previous[zone].cells.length) continue;
		const largest = members.reduce((a, b) => (best[b].shared > best[a].shared || (best[b].shared === best[a].shared && components[b].length > components[a].length) ? b : a));
		splitHeir.add(largest);
	}
	const claims = best
		.map((b, i) => ({ i, ...b }))
		.filter((b) => b.zone >= 0 && (b.jaccard >= KEEP_ID_JACCARD || splitHeir.has(b.i)))
		.sort((a, b) => b.jaccard - a.jaccard || b.shared - a.shared || a.i - b.i);
	const ids: (number | null)[] = components.map(() => null);
	const taken = new Set<number>();
	for (const claim of claims) {
		if (taken.has(claim.zone)) continue;
		taken.add(claim.zone);
		ids[claim.i] = previous[claim.zone].id;
	}
	return ids.map((id) => id ?? newId());
}
