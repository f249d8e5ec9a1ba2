import { requirePositive, type PathLoss } from './validity';

/**
 * Free-space path loss (Friis, isotropic antennas): L = 32.45 + 20 log₁₀ f(MHz) + 20 log₁₀ d(km) dB.
 * 32.45 = 20 log₁₀(4π · 10⁹ / c) = 32.448 with c = 299 792 458 m/s, for MHz and km (ITU-R
 * P.525 rounds it to 32.4). Valid at any frequency and distance in the far field; no warnings.
 */
export function freeSpaceLoss({ freqMhz, distanceKm }: { freqMhz: number; distanceKm: number }): PathLoss {
	requirePositive({ freqMhz, distanceKm });
	return { lossDb: 32.45 + 20 * Math.log10(freqMhz) + 20 * Math.log10(distanceKm), warnings: [] };
}
