import type { Technology } from '../signal/classes';
import type { ColumnMap, FieldSpec } from './columns';
import type { ImportIssue } from './issues';
import { operatorFromMccMnc, operatorFromName } from './operators';
import { RowReader } from './row-reader';
import { technologyFromName } from './technology';

/** The measurement fields, by their schema (camelCase) names, and the headers recognised for each. */
export const MEASUREMENT_FIELDS: readonly FieldSpec[] = [
	{ field: 'latitude', aliases: ['lat', 'latitude'], required: true },
	{ field: 'longitude', aliases: ['lon', 'lng', 'long', 'longitude'], required: true },
	{ field: 'observedAt', aliases: ['timestamp', 'time', 'observed_at', 'datetime', 'date_time'], required: true },
	{ field: 'rsrpDbm', aliases: ['rsrp', 'rsrp_dbm'], required: false },
	{ field: 'rsrqDb', aliases: ['rsrq', 'rsrq_db'], required: false },
	{ field: 'sinrDb', aliases: ['sinr', 'snr', 'sinr_db', 'rssnr'], required: false },
	{ field: 'rssiDbm', aliases: ['rssi', 'rssi_dbm'], required: false },
	{ field: 'mcc', aliases: ['mcc'], required: false },
	{ field: 'mnc', aliases: ['mnc'], required: false },
	{ field: 'operator', aliases: ['operator', 'operatorname', 'carrier', 'network_operator'], required: false },
	{ field: 'technology', aliases: ['technology', 'networkmode', 'network_type', 'networktype', 'tech', 'rat'], required: false },
	{ field: 'downloadMbps', aliases: ['dl_mbps', 'download_mbps', 'download'], required: false },
	{ field: 'uploadMbps', aliases: ['ul_mbps', 'upload_mbps', 'upload'], required: false },
	{ field: 'downloadKbps', aliases: ['dl_bitrate'], required: false },
	{ field: 'uploadKbps', aliases: ['ul_bitrate'], required: false },
	{ field: 'latencyMs', aliases: ['latency', 'latency_ms', 'ping', 'ping_ms'], required: false },
	{ field: 'accuracyM', aliases: ['accuracy', 'accuracy_m', 'gps_accuracy'], required: false }
];

/** G-NetTrack Pro exports start with these columns; bitrates there are in kbps. */
const GNETTRACK_HEADER = ['timestamp', 'longitude', 'latitude', 'speed', 'operatorname', 'cellid', 'networkmode', 'rsrp'];

/** Whether a header is a G-NetTrack Pro export. */
export function isGNetTrackHeader(header: readonly string[]): boolean {
	const h = header.map((c) => c.trim().toLowerCase());
	return GNETTRACK_HEADER.every((c, i) => h[i] === c);
}

/** One valid measurement. */
export interface MeasurementRecord {
	lng: number;
	lat: number;
	operatorCode: string;
	technology: Technology | null;
	rsrpDbm: number | null;
	rsrqDb: number | null;
	sinrDb: number | null;
	rssiDbm: number | null;
	downloadMbps: number | null;
	uploadMbps: number | null;
	latencyMs: number | null;
	accuracyM: number | null;
	observedAt: string;
}

// Ranges: 3GPP TS 36.133 §9.1 reporting ranges (RSRP −140…−44 dBm, RSRQ as the issue sets, SINR −23…40 dB).
const RSRP = { min: -140, max: -44, unit: 'dBm' };
const RSRQ = { min: -43, max: 20, unit: 'dB' };
const SINR = { min: -23, max: 40, unit: 'dB' };
const RSSI = { min: -120, max: -10, unit: 'dBm' };

/** Validates one measurement row. */
export function readMeasurement(
	values: readonly string[],
	columns: ColumnMap,
	where: { row: number; line: number },
	options: { decimalComma: boolean }
): { record: MeasurementRecord } | { issues: ImportIssue[] } {
	const r = new RowReader(values, columns, where, options);
	const position = r.position('latitude', 'longitude');
	const observedAt = r.required('observedAt', r.timestamp('observedAt'));

	let operatorCode: string | null = null;
	const name = r.raw('operator');
	const mcc = r.number('mcc');
	const mnc = r.number('mnc');
	if (name !== null) {
		operatorCode = operatorFromName(name);
		if (operatorCode === null && mcc !== null && mnc !== null) operatorCode = operatorFromMccMnc(mcc, mnc);
		if (operatorCode === null) r.fail('operator', 'unknown operator (expected Viettel, VinaPhone/VNPT, MobiFone, Vietnamobile, Gmobile or an MCC/MNC of 452)');
	} else if (mcc !== null && mnc !== null) {
		operatorCode = operatorFromMccMnc(mcc, mnc);
		if (operatorCode === null) r.fail('mnc', `unknown operator MCC ${mcc} MNC ${mnc}`, `${mcc}-${mnc}`);
	} else {
		r.fail(null, 'names no operator (an operator column, or mcc and mnc)', null);
	}

	let technology: Technology | null = null;
	const techName = r.raw('technology');
	if (techName !== null) {
		technology = technologyFromName(techName);
		if (technology === null) r.fail('technology', 'unknown technology (expected GSM/EDGE, UMTS/HSPA, LTE, 5G/NR)');
	}
	const rsrpDbm = r.number('rsrpDbm', RSRP);
	const rsrqDb = r.number('rsrqDb', RSRQ);
	const sinrDb = r.number('sinrDb', SINR);
	const rssiDbm = r.number('rssiDbm', RSSI);
	const kbps = (field: string) => {
		const v = r.number(field);
		return v === null ? null : v / 1000;
	};
	const downloadMbps = r.number('downloadMbps') ?? kbps('downloadKbps');
	const uploadMbps = r.number('uploadMbps') ?? kbps('uploadKbps');
	const latencyMs = r.number('latencyMs');
	const accuracyM = r.number('accuracyM');
	if (rsrpDbm === null && rssiDbm === null && !r.issues.some((i) => /rsrp|rssi/i.test(i.column ?? ''))) {
		r.fail(null, 'has no signal value (RSRP or RSSI)', null);
	}
	if (r.issues.length > 0 || !position) return { issues: r.issues };
	return {
		record: {
			lng: position[0],
			lat: position[1],
			operatorCode: operatorCode!,
			technology,
			rsrpDbm,
			rsrqDb,
			sinrDb,
			rssiDbm,
			downloadMbps,
			uploadMbps,
			latencyMs,
			accuracyM,
			observedAt: observedAt!.toISOString()
		}
	};
}
