import type { Technology } from '../signal/classes';
import type { SourceKind } from '../signal/observation';
import type { PositionSource, Problem, ReportDraft } from './report-body';

/**
 * One report as the intake stores it, whichever door it came in by: the native body
 * (report-body.ts) or an open client's geosubmit item (geosubmit.ts). Pure data.
 */
export interface IntakeReport {
	id: string;
	channel: 'api' | 'geosubmit';
	/** `resident` for the form and native clients, `app` for stumbler measurements. */
	sourceKind: Extract<SourceKind, 'resident' | 'app'>;
	deviceKey: string;
	observedAt: string;
	positionSource: PositionSource;
	accuracyM: number | null;
	lon: number;
	lat: number;
	operator: string;
	technology: Technology | null;
	noService: boolean;
	signalBars: number | null;
	rsrpDbm: number | null;
	rssiDbm: number | null;
	indoor: boolean | null;
	floor: number | null;
	problem: Problem | null;
	note: string | null;
	contact: string | null;
	downloadMbps: number | null;
	uploadMbps: number | null;
	latencyMs: number | null;
}

/** The consent text a contact is stored with (shown by the form beside the contact field). */
export const CONSENT_TEXT =
	'Tôi đồng ý để cơ quan quản lý dùng thông tin liên hệ này chỉ để hỏi thêm về báo cáo, theo Nghị định 13/2023/NĐ-CP; tôi có thể xoá nó bằng mã theo dõi. / I agree that the authority may use this contact only to follow up this report (Decree 13/2023/ND-CP); I can delete it with the tracking code.';

export function intakeReportOfDraft(d: ReportDraft): IntakeReport {
	return {
		id: d.id.toLowerCase(),
		channel: 'api',
		sourceKind: 'resident',
		deviceKey: d.deviceKey,
		observedAt: d.observedAt,
		positionSource: d.positionSource,
		accuracyM: d.accuracyM,
		lon: d.lon,
		lat: d.lat,
		operator: d.operator,
		technology: d.technology,
		noService: d.noService,
		signalBars: d.noService && d.signalBars === null ? 0 : d.signalBars,
		rsrpDbm: d.rsrpDbm,
		rssiDbm: null,
		indoor: d.indoor,
		floor: d.floor,
		problem: d.problem,
		note: d.note,
		contact: d.contact,
		downloadMbps: d.speedTest?.downloadMbps ?? null,
		uploadMbps: d.speedTest?.uploadMbps ?? null,
		latencyMs: d.speedTest?.latencyMs ?? null
	};
}

/** Whether the report says anything about the mobile signal (a fiber-only report may not). */
export function hasMobileReading(r: Pick<IntakeReport, 'noService' | 'technology' | 'signalBars' | 'rsrpDbm' | 'rssiDbm' | 'downloadMbps' | 'uploadMbps'>): boolean {
	return r.noService || r.technology !== null || r.signalBars !== null || r.rsrpDbm !== null || r.rssiDbm !== null || r.downloadMbps !== null || r.uploadMbps !== null;
}
