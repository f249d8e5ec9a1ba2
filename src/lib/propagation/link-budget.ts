import type { Settings } from '../settings/definitions';
import type { Technology } from '../signal/classes';
import { cost231Loss } from './cost231';
import { hataLoss } from './hata';
import type { PathLoss } from './validity';

/**
 * Received level at a cell from a site: a link budget per technology (settings `propagation.*`,
 * with their sources in src/lib/settings/definitions.ts) and the path loss of the model that fits
 * the band and the cell's settlement pattern.
 *
 *   received (dBm) = tx power − cable loss + antenna gain − path loss − terrain obstruction
 *
 * Tx power is per resource element for LTE/NR, so the result is RSRP (3GPP TS 36.214 §5.1.1); the
 * pilot (CPICH) for 3G gives RSCP and the BCCH carrier for 2G gives RxLev, which our RSSI classes
 * read. Handset antenna gain and body loss are taken as 0 dB. Sectors count as omni (no pattern)
 * while the tower inventory has no azimuths.
 */

/** Settlement pattern of a cell, from its population density (settings `propagation.*_density`). */
export type Settlement = 'urban' | 'suburban' | 'rural';

export function settlementOf(peoplePerKm2: number | null, s: Settings): Settlement {
	if (peoplePerKm2 === null) return 'rural';
	if (peoplePerKm2 >= s['propagation.urban_density']) return 'urban';
	if (peoplePerKm2 >= s['propagation.suburban_density']) return 'suburban';
	return 'rural';
}

/** One technology's budget. */
export interface LinkBudget {
	freqMhz: number;
	txDbm: number;
	antennaGainDbi: number;
	cableLossDb: number;
	mobileHeightM: number;
}

/**
 * The band an operator runs a technology on: its own (`propagation.<tech>.freq_mhz.<operator>`)
 * when set, else the technology's (`propagation.<tech>.freq_mhz`). Operators without a setting of
 * their own use the technology's.
 */
export function bandOf(technology: Technology, operatorCode: string | null, s: Settings): number {
	const own = operatorCode === null ? undefined : (s as Record<string, number>)[`propagation.${technology}.freq_mhz.${operatorCode}`];
	return own ? own : s[`propagation.${technology}.freq_mhz`];
}

export function linkBudgetOf(technology: Technology, s: Settings, operatorCode: string | null = null): LinkBudget {
	return {
		freqMhz: bandOf(technology, operatorCode, s),
		txDbm: s[`propagation.${technology}.tx_dbm`],
		antennaGainDbi: s['propagation.antenna_gain_dbi'],
		cableLossDb: s['propagation.cable_loss_db'],
		mobileHeightM: s['propagation.mobile_height_m']
	};
}

/**
 * The path loss for a band and settlement: Okumura-Hata up to 1500 MHz (`urban-small`, `suburban`,
 * `open`), COST-231 Hata above (`medium`; it has no suburban or open form, so Hata's suburban and
 * open corrections at the same frequency are applied to it — our extension, stated). Above
 * 2000 MHz COST-231 extrapolates, and says so in its warnings.
 */
export function settlementLoss(freqMhz: number, settlement: Settlement, baseHeightM: number, mobileHeightM: number, distanceKm: number): PathLoss {
	const inputs = { freqMhz, baseHeightM, mobileHeightM, distanceKm };
	const hataEnv = settlement === 'urban' ? 'urban-small' : settlement === 'suburban' ? 'suburban' : 'open';
	if (freqMhz <= 1500) return hataLoss(inputs, hataEnv);
	const cost = cost231Loss(inputs, 'medium');
	if (settlement === 'urban') return cost;
	// The correction alone: Hata's environment minus Hata's small city, both at this frequency.
	const correction = hataLoss(inputs, hataEnv).lossDb - hataLoss(inputs, 'urban-small').lossDb;
	return { lossDb: cost.lossDb + correction, warnings: cost.warnings };
}

/** The received level in dBm of a budget over a path loss and a terrain obstruction loss (dB). */
export function receivedDbm(budget: LinkBudget, pathLossDb: number, obstructionDb = 0): number {
	return budget.txDbm - budget.cableLossDb + budget.antennaGainDbi - pathLossDb - obstructionDb;
}
