import { hataCore, mobileCorrectionSmallCity } from './hata';
import { checkRange, requirePositive, type PathInputs, type PathLoss } from './validity';

/**
 * COST-231 Hata (COST Action 231, "Digital mobile radio towards future generation systems", final
 * report, EUR 18957, 1999, §4.4.1): Hata extended to 1500–2000 MHz,
 *   L = 46.3 + 33.9 log f − 13.82 log hb − a(hm) + (44.9 − 6.55 log hb) log d + C
 * with a(hm) the small/medium-city correction of Hata and C = 0 dB for medium cities and suburban
 * centres (`medium`), 3 dB for metropolitan centres (`metropolitan`). f in MHz, hb and hm in m,
 * d in km. Valid for 1500–2000 MHz, hb 30–200 m, hm 1–10 m, d 1–20 km.
 */

export const COST231_ENVIRONMENTS = ['medium', 'metropolitan'] as const;
export type Cost231Environment = (typeof COST231_ENVIRONMENTS)[number];

const VALIDITY = { freqMhz: [1500, 2000], baseHeightM: [30, 200], mobileHeightM: [1, 10], distanceKm: [1, 20] } as const;

/** COST-231 Hata path loss in dB for `environment`. */
export function cost231Loss(inputs: PathInputs, environment: Cost231Environment): PathLoss {
	requirePositive({ ...inputs });
	const c = environment === 'metropolitan' ? 3 : 0;
	return {
		lossDb: hataCore(46.3, 33.9, inputs) - mobileCorrectionSmallCity(inputs.freqMhz, inputs.mobileHeightM) + c,
		warnings: checkRange('cost231', VALIDITY, inputs)
	};
}
