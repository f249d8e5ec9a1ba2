import { describe, expect, it } from 'vitest';
import { parseReportBody } from './report-body';

const NOW = new Date('2026-12-06T10:00:00Z');
const valid = {
	id: '0b7f3c1e-8a55-4c1a-9f5e-2d7c1b9a4e10',
	deviceKey: 'install-7f3a9c2e',
	lat: 22.71,
	lon: 106.21,
	accuracyM: 25,
	positionSource: 'gps',
	observedAt: '2026-12-06T16:30:00+07:00',
	operator: 'viettel',
	technology: '4G',
	noService: false,
	signalBars: 1,
	rsrpDbm: -112,
	indoor: true,
	floor: 1,
	problem: 'weak_signal',
	note: null,
	contact: null,
	speedTest: { downloadMbps: 1.2, uploadMbps: 0.3, latencyMs: 180 }
};

const problemOf = (over: Record<string, unknown>) => {
	const r = parseReportBody({ ...valid, ...over }, NOW);
	return r.ok ? null : r.message;
};

describe('parseReportBody', () => {
	it('takes the documented body and normalises its time to UTC', () => {
		const r = parseReportBody(valid, NOW);
		expect(r.ok).toBe(true);
		if (r.ok) {
			expect(r.draft.observedAt).toBe('2026-12-06T09:30:00.000Z');
			expect(r.draft.speedTest).toEqual({ downloadMbps: 1.2, uploadMbps: 0.3, latencyMs: 180 });
		}
	});

	it('fills what other clients may leave out', () => {
		const { technology, signalBars, rsrpDbm, indoor, floor, note, contact, speedTest, noService, accuracyM, ...bare } = valid;
		void [technology, signalBars, rsrpDbm, indoor, floor, note, contact, speedTest, noService, accuracyM];
		const r = parseReportBody({ ...bare, positionSource: 'map' }, NOW);
		expect(r.ok && r.draft).toMatchObject({ technology: null, signalBars: null, noService: false, indoor: null, contact: null, accuracyM: null });
	});

	it.each([
		[{ id: 'not-a-uuid' }, /^id: /],
		[{ deviceKey: '0912345678x' }, null],
		[{ deviceKey: 'short' }, /^deviceKey: /],
		[{ lat: 91 }, /^lat: /],
		[{ lon: '106.2' }, /^lon: /],
		[{ accuracyM: -1 }, /^accuracyM: /],
		[{ accuracyM: null }, /^accuracyM: required when positionSource is "gps"/],
		[{ positionSource: 'wifi' }, /^positionSource: /],
		[{ observedAt: '2026-12-06 16:30' }, /^observedAt: must be an ISO 8601 time with its offset/],
		[{ observedAt: '2026-12-06T16:30:00' }, /^observedAt: /],
		[{ observedAt: '2026-12-07T16:30:00+07:00' }, /^observedAt: is in the future/],
		[{ observedAt: '2026-08-01T16:30:00+07:00' }, /^observedAt: is more than 90 days old/],
		[{ operator: 'vinaphone' }, /^operator: must be one of viettel, vnpt, mobifone/],
		[{ technology: '6G' }, /^technology: /],
		[{ noService: true }, /^technology: must be null when noService is true/],
		[{ noService: true, technology: null, rsrpDbm: null, signalBars: 2 }, /^signalBars: must be 0 or null/],
		[{ signalBars: 6 }, /^signalBars: /],
		[{ signalBars: 2.5 }, /^signalBars: /],
		[{ rsrpDbm: -30 }, /^rsrpDbm: /],
		[{ technology: '3G' }, /^rsrpDbm: only for 4G or 5G/],
		[{ indoor: false }, /^floor: only when indoor is true/],
		[{ problem: 'slow' }, /^problem: /],
		[{ note: 'x'.repeat(501) }, /^note: at most 500 characters/],
		[{ note: 'bad\u0000byte' }, /^note: must not contain control characters/],
		[{ contact: '0912 345 678' }, /^consent: must be true when a contact is given/],
		[{ speedTest: { downloadMbps: -1 } }, /^speedTest\.downloadMbps: /],
		[{ extra: 1 }, /extra/]
	])('%j is refused naming its field', (over, message) => {
		const got = problemOf(over);
		if (message === null) expect(got).toBeNull();
		else expect(got).toMatch(message);
	});

	it('keeps a note as typed (never HTML) and a contact only with consent', () => {
		const r = parseReportBody({ ...valid, note: '  <script>alert(1)</script> mất sóng  ', contact: 'a@b.vn', consent: true }, NOW);
		expect(r.ok && r.draft.note).toBe('<script>alert(1)</script> mất sóng');
		expect(r.ok && r.draft.contact).toBe('a@b.vn');
	});

	it('answers a body that is not an object', () => {
		expect(parseReportBody(null, NOW)).toMatchObject({ ok: false, field: '(body)' });
		expect(parseReportBody([1], NOW)).toMatchObject({ ok: false });
	});
});
