import { circle } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import type { DemoCommuneInput, DemoTower } from './generate';

/**
 * SYNTHETIC declared coverage maps for the demo: what an operator might publish under QCVN 81 —
 * generous, and in places wrong. Pure and deterministic. Per operator, 4G only:
 *   - a disc of DECLARED_RADIUS_KM around each of its 4G sites (a generous rural 4G radius: the
 *     propagation model gives ~3–5 km on flat ground, less behind hills), and
 *   - the whole of some mountain/border communes where it has almost no sites (the overclaim the
 *     residents' reports contradict): operator i claims the gap communes whose index in the
 *     province's list ≡ i + 1 (mod 2) for Viettel, (mod 3) for the others — so Đàm Thuỷ, the first of
 *     Cao Bằng's, is not in Viettel's map (the dispute test imports one for it).
 */

/** Radius operators' demo maps draw around each 4G site. */
export const DECLARED_RADIUS_KM = 6;

export interface DemoDeclaredMap {
	operatorCode: string;
	technology: '4G';
	/** Which part of the claim this polygon is (shown nowhere; for tests and the seed's log). */
	kind: 'site-disc' | 'claimed-commune';
	communeCode: string | null;
	geometry: Polygon | MultiPolygon;
}

const OPERATORS = ['viettel', 'vnpt', 'mobifone'] as const;
const CLAIM_MODULUS: Record<(typeof OPERATORS)[number], number> = { viettel: 2, vnpt: 3, mobifone: 3 };

/** The gap communes `operator` claims in full (by the rule above). */
export function claimedGapCommunes(operator: (typeof OPERATORS)[number], gapCommuneCodes: readonly string[]): string[] {
	const i = OPERATORS.indexOf(operator);
	const m = CLAIM_MODULUS[operator];
	return gapCommuneCodes.filter((_, k) => k % m === (i + 1) % m);
}

export function demoDeclaredMaps(communes: readonly DemoCommuneInput[], towers: readonly DemoTower[], gapCommuneCodes: readonly string[]): DemoDeclaredMap[] {
	const out: DemoDeclaredMap[] = [];
	const byCode = new Map(communes.map((c) => [c.code, c]));
	for (const operatorCode of OPERATORS) {
		for (const t of towers) {
			if (t.operatorCode !== operatorCode || !t.technologies.includes('4G')) continue;
			out.push({ operatorCode, technology: '4G', kind: 'site-disc', communeCode: null, geometry: circle(t.position, DECLARED_RADIUS_KM, { steps: 24, units: 'kilometers' }).geometry });
		}
		for (const code of claimedGapCommunes(operatorCode, gapCommuneCodes)) {
			const c = byCode.get(code);
			if (c) out.push({ operatorCode, technology: '4G', kind: 'claimed-commune', communeCode: code, geometry: c.geometry });
		}
	}
	return out;
}
