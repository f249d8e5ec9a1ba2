import { readDataVersions } from './data-version';
import type { Database } from './db/index';
import { FUSED_LAYERS } from './fused';
import { HOUSEHOLD_LAYERS } from './households';

/**
 * The data versions the layers built on the fused one (dead zones, village statuses) rest on,
 * read in one query: a route reads them once for its ETag and passes them down.
 */
export interface AnalysisVersions {
	fused: string;
	households: string;
	villages: string;
}

export const ANALYSIS_LAYERS = { fused: FUSED_LAYERS, households: HOUSEHOLD_LAYERS, villages: ['villages'] } as const;

export const readAnalysisVersions = (db: Database): Promise<AnalysisVersions> => readDataVersions(db, ANALYSIS_LAYERS);
