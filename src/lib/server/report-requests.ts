import { createHash } from 'node:crypto';
import { json } from '@sveltejs/kit';
import { parseGeosubmit } from '../reports/geosubmit';
import { intakeReportOfDraft, type IntakeReport } from '../reports/intake-report';
import { parseReportBody } from '../reports/report-body';
import { getDatabase } from './db/index';
import { addressKeyOf, submitReports, type IntakeOutcome } from './intake';

/**
 * The HTTP side of the intake (README, "Residents' reports"): the native `POST /api/reports` and
 * the geosubmit v2 door `POST /v2/geosubmit`. Both are public and accept cross-origin posts
 * without credentials (CORS), so a community's app can send to them; nothing else does.
 */

/** A report is a few hundred bytes; a geosubmit upload of 1,000 items with Wi-Fi lists a few MB at most. */
const MAX_REPORT_BYTES = 16 * 1024;
const MAX_GEOSUBMIT_BYTES = 8 * 1024 * 1024;

/** What lets another site's script post here: any origin, no credentials, JSON bodies. */
export const INTAKE_CORS: Record<string, string> = {
	'access-control-allow-origin': '*',
	'access-control-allow-methods': 'POST, OPTIONS',
	'access-control-allow-headers': 'content-type, user-agent',
	'access-control-max-age': '86400'
};

/** The answer to a CORS preflight. */
export const corsPreflight = () => new Response(null, { status: 204, headers: INTAKE_CORS });

const answer = (body: unknown, status: number, headers: Record<string, string> = {}) =>
	json(body, { status, headers: { ...INTAKE_CORS, 'cache-control': 'no-store', ...headers } });

/** The body as JSON, or an answer saying why not (too large, not JSON). */
async function readJson(request: Request, maxBytes: number): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
	const declared = Number(request.headers.get('content-length') ?? '0');
	if (declared > maxBytes) return { ok: false, response: answer({ message: `body: at most ${maxBytes} bytes` }, 413) };
	let text: string;
	try {
		const bytes = new Uint8Array(await request.arrayBuffer());
		if (bytes.length > maxBytes) return { ok: false, response: answer({ message: `body: at most ${maxBytes} bytes` }, 413) };
		// Open clients may gzip their uploads (Ichnaea accepts Content-Encoding: gzip).
		text = new TextDecoder('utf-8', { fatal: true }).decode(
			request.headers.get('content-encoding') === 'gzip' ? await gunzipLimited(bytes, maxBytes) : bytes
		);
	} catch (err) {
		return { ok: false, response: answer({ message: `body: ${(err as Error).message || 'could not be read'}` }, 400) };
	}
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch {
		return { ok: false, response: answer({ message: 'body: is not valid JSON' }, 400) };
	}
}

async function gunzipLimited(bytes: Uint8Array, maxBytes: number): Promise<Uint8Array> {
	const { gunzipSync } = await import('node:zlib');
	return gunzipSync(bytes, { maxOutputLength: maxBytes });
}

const rateLimited = (o: Extract<IntakeOutcome, { kind: 'rate_limited' }>) =>
	answer(
		{ message: `Too many reports from this ${o.scope === 'device' ? 'device' : 'network address'}; retry in ${o.retryAfterS} s`, scope: o.scope, retryAfterS: o.retryAfterS },
		429,
		{ 'retry-after': String(o.retryAfterS) }
	);

/** `POST /api/reports`: 201 with the tracking code once committed, 200 for the same id again. */
export async function postReport(request: Request, clientAddress: string): Promise<Response> {
	const body = await readJson(request, MAX_REPORT_BYTES);
	if (!body.ok) return body.response;
	const checked = parseReportBody(body.value, new Date());
	if (!checked.ok) return answer({ message: checked.message, field: checked.field, problems: checked.problems }, 400);
	const db = await getDatabase();
	const [outcome] = await submitReports(db, [intakeReportOfDraft(checked.draft)], await addressKeyOf(db, clientAddress));
	if (outcome.kind === 'rate_limited') return rateLimited(outcome);
	const status = outcome.kind === 'created' ? 201 : 200;
	return answer({ id: outcome.id, trackingCode: outcome.trackingCode, status: outcome.status }, status, status === 201 ? { location: `/report/${outcome.trackingCode}` } : {});
}

/** A UUID (version 8, RFC 9562 "custom") from a SHA-256: the same content, the same id. */
export function contentUuid(text: string): string {
	const h = createHash('sha256').update(text).digest();
	h[6] = (h[6] & 0x0f) | 0x80;
	h[8] = (h[8] & 0x3f) | 0x80;
	const x = h.subarray(0, 16).toString('hex');
	return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/**
 * `POST /v2/geosubmit` (Ichnaea geosubmit v2). Answers `200 {}` as Ichnaea does, with what was kept
 * and skipped beside it; 400 with Ichnaea's error shape and a message naming the field.
 */
export async function postGeosubmit(request: Request, clientAddress: string): Promise<Response> {
	const body = await readJson(request, MAX_GEOSUBMIT_BYTES);
	if (!body.ok) return body.response;
	const db = await getDatabase();
	const addressKey = await addressKeyOf(db, clientAddress);
	// The format names no device: one app on one network is one reporter.
	const deviceKey = `geo-${createHash('sha256').update(`${addressKey}|${request.headers.get('user-agent') ?? ''}`).digest('hex').slice(0, 20)}`;
	const checked = parseGeosubmit(body.value, deviceKey, new Date());
	if (!checked.ok) {
		return answer({ message: checked.message, field: checked.field, error: { code: 400, message: checked.message, errors: [{ domain: 'global', reason: 'parseError', message: checked.message }] } }, 400);
	}
	const { reports: parsed, contents, skipped } = checked.parse;
	const reports: IntakeReport[] = parsed.map((r, i) => ({ ...r, id: contentUuid(contents[i]) }));
	const outcomes = await submitReports(db, reports, addressKey);
	const limited = outcomes.find((o) => o.kind === 'rate_limited');
	if (limited && limited.kind === 'rate_limited') return rateLimited(limited);
	const created = outcomes.filter((o) => o.kind === 'created').length;
	return answer({ stored: created, alreadyStored: outcomes.length - created, skipped }, 200);
}
