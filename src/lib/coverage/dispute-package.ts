import { cellToBoundary, cellToLatLng } from 'h3-js';
import type { DisputeFlag } from './payload';
import type { SignalClass } from '../signal/classes';

/**
 * The evidence package an operator answers (issue 12): its disputed cells as GeoJSON and CSV, and a
 * cover sheet in Vietnamese (with English) saying what it is, when it was made and by which rule.
 * Pure. Only aggregates of cells that passed the dispute gates (≥ k distinct reporters): no report,
 * no exact position, no reporter.
 */

/** One disputed cell of the package. */
export interface DisputeRecord {
	cell: string;
	operator: string;
	technology: string;
	flags: DisputeFlag[];
	/** Inside the operator's declared map (null: it published none for the technology). */
	declaredCovered: boolean | null;
	/** Share of the cell's res-11 centres inside the declared map. */
	declaredShare: number | null;
	predictedClass: SignalClass | null;
	predictedDbm: number | null;
	measuredClass: SignalClass | null;
	confidence: number;
	reports: number;
	reporters: number;
	medianDbm: number | null;
	p10Dbm: number | null;
	deadShare: number;
	firstObserved: string;
	lastObserved: string;
}

/** What the cover sheet states: who, when, the rules in force and the figures. */
export interface PackageInfo {
	operator: string;
	operatorName: string;
	generatedAt: string;
	/** The province (or provinces) the data covers. */
	area: string;
	/** True when the database holds the synthetic demo (the sheet says so). */
	synthetic: boolean;
	rules: { minReporters: number; minDays: number; minHoursApart: number; minConfidence: number; declaredMinShare: number; windowDays: number };
}

export const CSV_COLUMNS = [
	'cell',
	'centre_lat',
	'centre_lng',
	'operator',
	'technology',
	'flags',
	'declared_covered',
	'declared_share',
	'predicted_class',
	'predicted_dbm',
	'measured_class',
	'confidence',
	'reports',
	'reporters',
	'median_dbm',
	'p10_dbm',
	'dead_share',
	'first_observed',
	'last_observed'
] as const;

const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));

/** The cell's centre, to 5 decimals (~1 m): a cell's, not anyone's position. */
function centre(cell: string): [number, number] {
	const [lat, lng] = cellToLatLng(cell);
	return [Math.round(lat * 1e5) / 1e5, Math.round(lng * 1e5) / 1e5];
}

function csvValues(r: DisputeRecord): string[] {
	const [lat, lng] = centre(r.cell);
	return [
		r.cell,
		String(lat),
		String(lng),
		r.operator,
		r.technology,
		r.flags.join('+'),
		text(r.declaredCovered),
		text(r.declaredShare),
		text(r.predictedClass),
		text(r.predictedDbm),
		text(r.measuredClass),
		String(r.confidence),
		String(r.reports),
		String(r.reporters),
		text(r.medianDbm),
		text(r.p10Dbm),
		String(r.deadShare),
		r.firstObserved,
		r.lastObserved
	];
}

/** The records as CSV (RFC 4180, a header row; no value needs quoting: codes, numbers and dates only). */
export function disputeCsv(records: readonly DisputeRecord[]): string {
	return [CSV_COLUMNS.join(','), ...records.map((r) => csvValues(r).join(','))].join('\r\n') + '\r\n';
}

/** The records as a GeoJSON FeatureCollection of cell polygons, the cover sheet as a foreign member. */
export function disputeGeoJson(records: readonly DisputeRecord[], info: PackageInfo): string {
	const features = records.map((r) => {
		// GeoJSON order ([lng, lat]) and closed: h3-js repeats the first vertex.
		const ring = cellToBoundary(r.cell, true);
		const values = csvValues(r);
		const properties: Record<string, string | number | boolean | null> = {};
		CSV_COLUMNS.forEach((c, i) => (properties[c] = values[i] === '' ? null : values[i]));
		Object.assign(properties, {
			centre_lat: Number(properties.centre_lat),
			centre_lng: Number(properties.centre_lng),
			declared_covered: r.declaredCovered,
			declared_share: r.declaredShare,
			predicted_dbm: r.predictedDbm,
			confidence: r.confidence,
			reports: r.reports,
			reporters: r.reporters,
			median_dbm: r.medianDbm,
			p10_dbm: r.p10Dbm,
			dead_share: r.deadShare
		});
		return { type: 'Feature', geometry: { type: 'Polygon', coordinates: [ring] }, properties };
	});
	return JSON.stringify({ type: 'FeatureCollection', coverSheet: { vi: coverSheet(records, info, 'vi'), en: coverSheet(records, info, 'en') }, features });
}

function countsByTechnology(records: readonly DisputeRecord[]): { technology: string; declared: number; predicted: number; unexpected: number }[] {
	const by = new Map<string, { technology: string; declared: number; predicted: number; unexpected: number }>();
	for (const r of records) {
		const c = by.get(r.technology) ?? { technology: r.technology, declared: 0, predicted: 0, unexpected: 0 };
		for (const f of r.flags) c[f]++;
		by.set(r.technology, c);
	}
	return [...by.values()].sort((a, b) => a.technology.localeCompare(b.technology));
}

/** The measurement period the records span (ISO days), or null for none. */
function periodOf(records: readonly DisputeRecord[]): [string, string] | null {
	const firsts = records.map((r) => r.firstObserved).filter(Boolean).sort();
	const lasts = records.map((r) => r.lastObserved).filter(Boolean).sort();
	return firsts.length ? [firsts[0], lasts[lasts.length - 1]] : null;
}

/** The cover sheet, plain text, in Vietnamese or English. */
export function coverSheet(records: readonly DisputeRecord[], info: PackageInfo, lang: 'vi' | 'en'): string {
	const period = periodOf(records);
	const r = info.rules;
	const counts = countsByTechnology(records);
	if (lang === 'vi') {
		return [
			`PHỦ SÓNG — HỒ SƠ BẰNG CHỨNG VÙNG TRANH CHẤP VỀ VÙNG PHỦ SÓNG`,
			`Doanh nghiệp: ${info.operatorName} (${info.operator})`,
			`Địa bàn: ${info.area}`,
			`Thời điểm lập: ${info.generatedAt}`,
			info.synthetic ? `LƯU Ý: cơ sở dữ liệu này chứa dữ liệu minh hoạ TỔNG HỢP (không phải số đo thật).` : '',
			``,
			`1. Nội dung`,
			`Danh sách các ô lưới H3 độ phân giải 9 (~0,1 km²) nơi số đo của người dân và đo kiểm cho thấy sóng yếu hoặc mất sóng, trong khi bản đồ vùng phủ doanh nghiệp công bố (QCVN 81) hoặc dự báo truyền sóng của Phủ Sóng cho rằng có sóng. Cũng liệt kê các ô "có sóng bất ngờ" (đo được sóng tốt nơi dự báo không có trạm phủ — có thể thiếu trạm trong danh sách).`,
			`Tổng số ô: ${records.length}.`,
			...counts.map((c) => `  - ${c.technology}: trái bản đồ công bố ${c.declared}, trái dự báo ${c.predicted}, có sóng bất ngờ ${c.unexpected}`),
			period ? `Thời gian đo: từ ${period[0]} đến ${period[1]}.` : 'Không có ô nào.',
			``,
			`2. Quy tắc`,
			`- Một ô được coi là nằm trong bản đồ công bố khi hơn ${Math.round(r.declaredMinShare * 100)} % trong 49 tâm ô con độ phân giải 11 nằm trong vùng công bố (quy tắc FCC 5G Fund, 47 CFR §54.1012).`,
			`- Một ô bị coi là tranh chấp khi chính số đo của ô (không lấy từ ô cha) có ít nhất ${r.minReporters} người báo khác nhau, trong ít nhất ${r.minDays} ngày khác nhau, có hai lần đo yếu/mất sóng cách nhau ít nhất ${r.minHoursApart} giờ trong ngày, độ tin cậy ≥ ${r.minConfidence}, và cho kết quả "yếu" hoặc "mất sóng".`,
			`- Chỉ tính số đo trong ${r.windowDays} ngày gần nhất.`,
			``,
			`3. Dữ liệu`,
			`- disputes.csv và disputes.geojson: mỗi dòng là một ô và một công nghệ; chỉ có số liệu tổng hợp (số báo cáo, số người báo, trung vị và phân vị 10 % của mức tín hiệu dBm, tỷ lệ mất sóng, khoảng thời gian). Không có báo cáo riêng lẻ, vị trí chính xác hay thông tin cá nhân.`,
			`- Cột flags: declared = trái bản đồ công bố; predicted = trái dự báo; unexpected = có sóng bất ngờ.`,
			`- median_dbm / p10_dbm = −200 nghĩa là không có dịch vụ (mất sóng hoàn toàn).`,
			``,
			`4. Đề nghị`,
			`Đề nghị doanh nghiệp kiểm tra các ô trên và phản hồi cho Sở Khoa học và Công nghệ: xác nhận và lập kế hoạch khắc phục, hoặc gửi số đo kiểm của doanh nghiệp để đối chiếu.`
		]
			.filter((l, i, all) => l !== '' || all[i - 1] !== '')
			.join('\n');
	}
	return [
		`PHỦ SÓNG — EVIDENCE PACKAGE: DISPUTED COVERAGE`,
		`Operator: ${info.operatorName} (${info.operator})`,
		`Area: ${info.area}`,
		`Generated: ${info.generatedAt}`,
		info.synthetic ? `NOTE: this database holds SYNTHETIC demo data (not real measurements).` : '',
		``,
		`1. What this is`,
		`H3 resolution-9 cells (~0.1 km²) where residents' reports and drive tests say poor or no signal while the operator's published coverage map (QCVN 81) or Phủ Sóng's propagation prediction says served; also cells with unexpected coverage (measured served where no predicted site reaches — a site missing from the inventory?).`,
		`Cells: ${records.length}.`,
		...counts.map((c) => `  - ${c.technology}: against the declared map ${c.declared}, against the prediction ${c.predicted}, unexpected coverage ${c.unexpected}`),
		period ? `Measurements from ${period[0]} to ${period[1]}.` : 'No cells.',
		``,
		`2. Rules`,
		`- A cell is inside the declared map when more than ${Math.round(r.declaredMinShare * 100)} % of its 49 resolution-11 centres lie inside it (FCC 5G Fund rule, 47 CFR §54.1012).`,
		`- A cell is disputed when its own measurements (never its parent's) have at least ${r.minReporters} distinct reporters, on at least ${r.minDays} distinct days, two failing reports at least ${r.minHoursApart} hours apart in time of day, confidence ≥ ${r.minConfidence}, and say poor or dead.`,
		`- Only measurements of the last ${r.windowDays} days count.`,
		``,
		`3. Data`,
		`- disputes.csv and disputes.geojson: one row per cell and technology, aggregates only (reports, reporters, median and 10th-percentile dBm, dead share, period). No individual report, exact position or personal data.`,
		`- flags: declared = contradicts the declared map; predicted = contradicts the prediction; unexpected = unexpected coverage.`,
		`- median_dbm / p10_dbm = −200 means no service at all.`,
		``,
		`4. Requested`,
		`Please check these cells and answer the Department of Science and Technology: confirm and plan a fix, or send your own drive-test results for comparison.`
	]
		.filter((l, i, all) => l !== '' || all[i - 1] !== '')
		.join('\n');
}
