import { COST231_ENVIRONMENTS, cost231Loss, type Cost231Environment } from './cost231';
import { freeSpaceLoss } from './free-space';
import { HATA_ENVIRONMENTS, hataLoss, type HataEnvironment } from './hata';
import type { PathInputs, PathLoss } from './validity';

/** The path-loss models by name, each with the environments it knows (none for free space). */
export const PATH_LOSS_MODELS = {
	fspl: [] as readonly string[],
	hata: HATA_ENVIRONMENTS,
	cost231: COST231_ENVIRONMENTS
} as const;
export type PathLossModel = keyof typeof PATH_LOSS_MODELS;

/** A model or environment that does not exist, naming the allowed values. */
export class UnknownModelError extends Error {}

/** Checks a model name and its environment; returns them typed, or throws naming what is allowed. */
export function parseModel(model: string, environment: string | null | undefined): { model: PathLossModel; environment: string | null } {
	if (!(model in PATH_LOSS_MODELS)) throw new UnknownModelError(`model "${model}" is unknown; use one of: ${Object.keys(PATH_LOSS_MODELS).join(', ')}`);
	const allowed: readonly string[] = PATH_LOSS_MODELS[model as PathLossModel];
	const env = environment ? environment : null;
	if (allowed.length === 0) {
		if (env !== null) throw new UnknownModelError(`model ${model} takes no environment (got "${env}")`);
		return { model: model as PathLossModel, environment: null };
	}
	if (env === null || !allowed.includes(env)) throw new UnknownModelError(`environment ${env === null ? '(none)' : `"${env}"`} is unknown for ${model}; use one of: ${allowed.join(', ')}`);
	return { model: model as PathLossModel, environment: env };
}

/** The path loss of `model` in `environment` (as parseModel checked). */
export function pathLoss(model: PathLossModel, environment: string | null, inputs: PathInputs): PathLoss {
	switch (model) {
		case 'fspl':
			return freeSpaceLoss(inputs);
		case 'hata':
			return hataLoss(inputs, environment as HataEnvironment);
		case 'cost231':
			return cost231Loss(inputs, environment as Cost231Environment);
	}
}
