import { checkRange, requirePositive, type PathInputs, type PathLoss } from './validity';

/**
 * Okumura-Hata (M. Hata, "Empirical formula for propagation loss in land mobile radio services",
 * IEEE Trans. Veh. Technol. VT-29(3), 1980), the textbook form (e.g. Rappaport, Wireless
 * Communications, 2nd ed., §4.10.3):
 *   urban   L = 69.55 + 26.16 log f − 13.82 log hb − a(hm) + (44.9 − 6.55 log hb) log d
 *   a(hm), small/medium city: (1.1 log f − 0.7) hm − (1.56 log f − 0.8)
 *   a(hm), large city:        8.29 (log 1.54 hm)² − 1.1   for f ≤ 200 MHz
 *                             3.2 (log 11.75 hm)² − 4.97  for f ≥ 400 MHz
 *   suburban L = L(small/medium city) − 2 (log (f / 28))² − 5.4
 *   open     L = L(small/medium city) − 4.78 (log f)² + 18.33 log f − 40.94
 * f in MHz, hb and hm in m, d in km, logs base 10. Valid for 150–1500 MHz, hb 30–200 m, hm 1–10 m,
 * d 1–20 km.
 *
 * Between 200 and 400 MHz Hata gives no large-city correction; we interpolate linearly in f between
 * the two formulas (continuous at both ends), so a sweep across the gap has no step.
 */

export const HATA_ENVIRONMENTS = ['urban-large', 'urban-small', 'suburban', 'open'] as const;
export type HataEnvironment = (typeof HATA_ENVIRONMENTS)[number];

const VALIDITY = { freqMhz: [150, 1500], baseHeightM: [30, 200], mobileHeightM: [1, 10], distanceKm: [1, 20] } as const;

/** The mobile-antenna height correction a(hm) for a small or medium city. */
export function mobileCorrectionSmallCity(freqMhz: number, mobileHeightM: number): number {
	const lf = Math.log10(freqMhz);
	return (1.1 * lf - 0.7) * mobileHeightM - (1.56 * lf - 0.8);
}

/** The mobile-antenna height correction a(hm) for a large city (interpolated between 200 and 400 MHz). */
export function mobileCorrectionLargeCity(freqMhz: number, mobileHeightM: number): number {
	const low = 8.29 * Math.log10(1.54 * mobileHeightM) ** 2 - 1.1;
	const high = 3.2 * Math.log10(11.75 * mobileHeightM) ** 2 - 4.97;
	if (freqMhz <= 200) return low;
	if (freqMhz >= 400) return high;
	const t = (freqMhz - 200) / 200;
	return low + t * (high - low);
}

/** The urban loss without a(hm): the part shared with COST-231 up to its constants. */
export function hataCore(a: number, b: number, { freqMhz, baseHeightM, distanceKm }: PathInputs): number {
	const lhb = Math.log10(baseHeightM);
	return a + b * Math.log10(freqMhz) - 13.82 * lhb + (44.9 - 6.55 * lhb) * Math.log10(distanceKm);
}

/** Okumura-Hata path loss in dB for `environment`. */
export function hataLoss(inputs: PathInputs, environment: HataEnvironment): PathLoss {
	requirePositive({ ...inputs });
	const { freqMhz, mobileHeightM } = inputs;
	const warnings = checkRange('hata', VALIDITY, inputs);
	const core = hataCore(69.55, 26.16, inputs);
	if (environment === 'urban-large') return { lossDb: core - mobileCorrectionLargeCity(freqMhz, mobileHeightM), warnings };
	const smallCity = core - mobileCorrectionSmallCity(freqMhz, mobileHeightM);
	const lf = Math.log10(freqMhz);
	switch (environment) {
		case 'urban-small':
			return { lossDb: smallCity, warnings };
		case 'suburban':
			return { lossDb: smallCity - 2 * Math.log10(freqMhz / 28) ** 2 - 5.4, warnings };
		case 'open':
			return { lossDb: smallCity - 4.78 * lf ** 2 + 18.33 * lf - 40.94, warnings };
	}
}
