/**
 * Validity ranges of the empirical models: outside them a model still computes (planners sometimes
 * need a rough figure at 25 km) but says so — never a silent clamp.
 */

/** One input outside the range its model was fitted on. */
export interface ValidityWarning {
	parameter: 'freqMhz' | 'baseHeightM' | 'mobileHeightM' | 'distanceKm';
	value: number;
	min: number;
	max: number;
	message: string;
}

/** A path loss in dB, with the warnings of its inputs. */
export interface PathLoss {
	lossDb: number;
	warnings: ValidityWarning[];
}

/** The inputs every model takes. */
export interface PathInputs {
	freqMhz: number;
	/** Base-station antenna height above ground, m. */
	baseHeightM: number;
	/** Mobile antenna height above ground, m. */
	mobileHeightM: number;
	distanceKm: number;
}

/** Warns for each input outside [min, max]. */
export function checkRange(model: string, ranges: Partial<Record<ValidityWarning['parameter'], readonly [number, number]>>, inputs: PathInputs): ValidityWarning[] {
	const values: Record<ValidityWarning['parameter'], number> = {
		freqMhz: inputs.freqMhz,
		baseHeightM: inputs.baseHeightM,
		mobileHeightM: inputs.mobileHeightM,
		distanceKm: inputs.distanceKm
	};
	const warnings: ValidityWarning[] = [];
	for (const [parameter, [min, max]] of Object.entries(ranges) as [ValidityWarning['parameter'], readonly [number, number]][]) {
		const value = values[parameter];
		if (value < min || value > max) warnings.push({ parameter, value, min, max, message: `${model}: ${parameter} ${value} is outside ${min}–${max}; the result is an extrapolation` });
	}
	return warnings;
}

/** Refuses inputs no model can compute with (a logarithm of zero or less), naming the parameter. */
export function requirePositive(inputs: Partial<PathInputs>): void {
	for (const [parameter, value] of Object.entries(inputs)) {
		if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) throw new RangeError(`${parameter} must be a positive number, got ${value}`);
	}
}
