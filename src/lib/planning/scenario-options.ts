import { z } from 'zod';
import { TECHNOLOGIES } from '../signal/classes';
import { SITE_TYPES } from './candidates';

/**
 * What a planner asks of a scenario (the /plan form, the API and `npm run cli -- plan`), checked at
 * the boundary: every problem names its field.
 */

const position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
const ring = z.array(position).min(4);

export const scenarioOptionsSchema = z
	.object({
		name: z.string().trim().min(1).max(120).optional(),
		operator: z.string().trim().min(1).max(40),
		/** Whose gaps count: the chosen operator's, or cells no operator serves well. */
		demandFor: z.enum(['operator', 'all']).default('operator'),
		/** Commune codes of the 2025 set; none (and no polygon) plans the whole province. */
		communes: z.array(z.string().trim().min(1).max(20)).max(500).default([]),
		polygon: z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1).max(50) }).nullable().default(null),
		siteTypes: z.array(z.enum(SITE_TYPES)).min(1).default(['small-cell', 'macro']),
		technology: z.enum(TECHNOLOGIES).default('4G'),
		p: z.number().int().min(1).max(1000).nullable().default(null),
		budget: z.number().positive().max(1e9).nullable().default(null),
		/** Grid candidates: one per square of this side (km). */
		spacingKm: z.number().min(0.2).max(20).default(1.5),
		plannerPoints: z.array(z.object({ position, type: z.enum(SITE_TYPES).optional() })).max(200).default([]),
		/** One site serves every operator that lacks signal (a shared site): demand counts each. */
		shared: z.boolean().default(false),
		timeLimitS: z.number().min(1).max(120).default(10)
	})
	.strict()
	.refine((o) => o.p !== null || o.budget !== null, { message: 'give p (a number of sites), a budget, or both', path: ['p'] });

export type ScenarioOptions = z.output<typeof scenarioOptionsSchema>;
export type ScenarioRequest = z.input<typeof scenarioOptionsSchema>;

/** The options, or the problems as "field: message" lines. */
export function parseScenarioOptions(input: unknown): { ok: true; options: ScenarioOptions } | { ok: false; problems: string[] } {
	const r = scenarioOptionsSchema.safeParse(input);
	if (r.success) return { ok: true, options: r.data };
	return { ok: false, problems: r.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`) };
}
