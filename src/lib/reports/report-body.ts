import { z } from 'zod';
import { VIETNAM_OPERATORS } from '../operators/operators';
import { TECHNOLOGIES, type Technology } from '../signal/classes';
import { CONTACT_MAX, NOTE_MAX, POSITION_SOURCES, PROBLEMS } from './vocabulary';

export { CONTACT_MAX, NOTE_MAX, POSITION_SOURCES, PROBLEMS, type PositionSource, type Problem } from './vocabulary';

/**
 * A resident's report as `POST /api/reports` takes it (README, "Residents' reports"): checked at
 * the boundary, every problem naming its field. Pure: the caller gives the time it is now.
 */

const OPERATOR_CODES = VIETNAM_OPERATORS.map((o) => o.code) as [string, ...string[]];

/** A device clock may run a little ahead of the server's. */
const FUTURE_SLACK_MS = 10 * 60_000;
/** The form queues reports offline for days at most; older ones are not "current" evidence. */
export const OBSERVED_MAX_AGE_DAYS = 90;

// Text a person typed: any character but the control ones (PostgreSQL refuses NUL in text; the
// others have no business in a note). Tabs and line breaks are kept.
const typed = (max: number) =>
	z
		.string()
		.trim()
		.max(max, `at most ${max} characters`)
		.refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), 'must not contain control characters');

const speedTestSchema = z
	.object({
		downloadMbps: z.number().min(0).max(10_000).nullable().default(null),
		uploadMbps: z.number().min(0).max(10_000).nullable().default(null),
		latencyMs: z.number().min(0).max(60_000).nullable().default(null)
	})
	.strict();

export const reportBodySchema = z
	.object({
		id: z.uuid('must be a UUID made by the client (a retry sends the same one)'),
		// A random id made once per install: the pseudonymous reporter. Never a phone number.
		deviceKey: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8–64 letters, digits, "-" or "_" (a random id made once per install)'),
		lat: z.number().min(-90).max(90),
		lon: z.number().min(-180).max(180),
		accuracyM: z.number().min(0).max(100_000).nullable().default(null),
		positionSource: z.enum(POSITION_SOURCES),
		observedAt: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 time with its offset, e.g. 2026-12-06T09:30:00+07:00' }),
		operator: z.enum(OPERATOR_CODES, `must be one of ${OPERATOR_CODES.join(', ')}`),
		technology: z.enum(TECHNOLOGIES).nullable().default(null),
		noService: z.boolean().default(false),
		signalBars: z.number().int().min(0).max(5).nullable().default(null),
		// 3GPP TS 36.133 §9.1.4 reporting range, as the signal_reports check.
		rsrpDbm: z.number().min(-140).max(-44).nullable().default(null),
		indoor: z.boolean().nullable().default(null),
		floor: z.number().int().min(-5).max(200).nullable().default(null),
		problem: z.enum(PROBLEMS),
		note: typed(NOTE_MAX).nullable().default(null),
		contact: typed(CONTACT_MAX).nullable().default(null),
		// Nghị định 13/2023/NĐ-CP art. 11: consent to processing a contact must be given explicitly.
		consent: z.boolean().default(false),
		speedTest: speedTestSchema.nullable().default(null)
	})
	.strict()
	.superRefine((r, ctx) => {
		const say = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
		if (r.positionSource === 'gps' && r.accuracyM === null) say('accuracyM', 'required when positionSource is "gps"');
		if (r.noService && r.technology !== null) say('technology', 'must be null when noService is true');
		if (r.noService && r.signalBars !== null && r.signalBars > 0) say('signalBars', 'must be 0 or null when noService is true');
		if (r.rsrpDbm !== null && r.technology !== '4G' && r.technology !== '5G') say('rsrpDbm', 'only for 4G or 5G (RSRP is an LTE/NR measure)');
		if (r.floor !== null && r.indoor === false) say('floor', 'only when indoor is true');
		if (r.contact !== null && r.contact !== '' && !r.consent) say('consent', 'must be true when a contact is given (Nghị định 13/2023/NĐ-CP)');
	});

export type ReportBody = z.output<typeof reportBodySchema>;

/** A report ready to store: the body checked, with its instant normalised. */
export interface ReportDraft extends Omit<ReportBody, 'observedAt' | 'contact' | 'note' | 'technology'> {
	technology: Technology | null;
	/** ISO 8601 instant (UTC). */
	observedAt: string;
	note: string | null;
	contact: string | null;
}

export type BodyCheck = { ok: true; draft: ReportDraft } | { ok: false; field: string; message: string; problems: string[] };

/** The report, or its problems as "field: message" (the first also apart, for the answer). */
export function parseReportBody(input: unknown, now: Date): BodyCheck {
	const r = reportBodySchema.safeParse(input);
	if (!r.success) {
		const problems = r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
		return { ok: false, field: r.error.issues[0].path.join('.') || '(body)', message: problems[0], problems };
	}
	const observed = new Date(r.data.observedAt);
	const field = 'observedAt';
	if (observed.getTime() > now.getTime() + FUTURE_SLACK_MS) {
		const message = `${field}: is in the future (check the device clock)`;
		return { ok: false, field, message, problems: [message] };
	}
	if (observed.getTime() < now.getTime() - OBSERVED_MAX_AGE_DAYS * 86_400_000) {
		const message = `${field}: is more than ${OBSERVED_MAX_AGE_DAYS} days old`;
		return { ok: false, field, message, problems: [message] };
	}
	const blankToNull = (s: string | null) => (s === null || s === '' ? null : s);
	return {
		ok: true,
		draft: { ...r.data, observedAt: observed.toISOString(), note: blankToNull(r.data.note), contact: blankToNull(r.data.contact) }
	};
}
