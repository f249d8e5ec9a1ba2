/**
 * Every deployment setting an analysis rests on: its default, its bounds and where the default
 * comes from (see ../shared/DOMAIN.md). Admins change them on /admin/settings or with
 * `npm run cli -- settings set KEY VALUE`; later issues add theirs here. Pure: no I/O.
 */
export interface SettingDefinition {
	key: string;
	kind: 'number' | 'integer';
	default: number;
	min: number;
	max: number;
	unit: string;
	/** What it does, in English and Vietnamese. */
	en: string;
	vi: string;
	/** Where the default comes from; "unverified" where DOMAIN.md says so. */
	source: string;
	/** What 0 means, when 0 is allowed beside min…max (e.g. "the technology's band"). */
	zeroMeans?: string;
}

/** Operators whose band may differ from their technology's (the three with national networks). */
const BAND_OPERATORS = { viettel: 'Viettel', vnpt: 'VNPT', mobifone: 'MobiFone' } as const;
type BandOperator = keyof typeof BAND_OPERATORS;

/**
 * One operator's band for a technology: 0 (the default unless `mhz` is given) takes the
 * technology's band, `propagation.<tech>.freq_mhz`.
 */
function operatorBand<T extends '2G' | '3G' | '4G' | '5G', O extends BandOperator>(tech: T, op: O, mhz = 0, source = 'The technology’s band until an operator’s own is known (0)') {
	return {
		key: `propagation.${tech}.freq_mhz.${op}` as const,
		kind: 'number',
		default: mhz,
		min: 150,
		max: 6000,
		unit: 'MHz',
		en: `${tech} band of ${BAND_OPERATORS[op]} (0: the ${tech} band)`,
		vi: `Băng tần ${tech} của ${BAND_OPERATORS[op]} (0: băng tần ${tech} chung)`,
		source,
		zeroMeans: `propagation.${tech}.freq_mhz`
	} as const;
}

const RSRP_SOURCE = 'LTE/NR design practice: about −105 dBm is the outdoor cell-edge target; below about −115 dBm a data session rarely holds (DOMAIN.md, "signal levels"; reporting range 3GPP TS 36.133 §9.1.4)';
const RSSI_SOURCE = "VNPT's 2G RxLev / 3G RSCP drive-test legend: ≥ −75 very good, −85…−75 good, −95…−85 average, < −95 poor (DOMAIN.md)";

export const SETTING_DEFINITIONS = [
	{ key: 'signal.rsrp.good_dbm', kind: 'number', default: -90, min: -140, max: -44, unit: 'dBm', en: '4G/5G: RSRP at or above this is good', vi: '4G/5G: RSRP từ mức này trở lên là tốt', source: RSRP_SOURCE },
	{ key: 'signal.rsrp.fair_dbm', kind: 'number', default: -105, min: -140, max: -44, unit: 'dBm', en: '4G/5G: RSRP at or above this is fair (the cell-edge target)', vi: '4G/5G: RSRP từ mức này trở lên là khá (mục tiêu biên ô)', source: RSRP_SOURCE },
	{ key: 'signal.rsrp.poor_dbm', kind: 'number', default: -115, min: -140, max: -44, unit: 'dBm', en: '4G/5G: RSRP at or above this is poor; below it, dead', vi: '4G/5G: RSRP từ mức này trở lên là yếu; thấp hơn là mất sóng', source: RSRP_SOURCE },
	{ key: 'signal.rssi.good_dbm', kind: 'number', default: -75, min: -120, max: -20, unit: 'dBm', en: '2G/3G: RSSI/RSCP at or above this is good', vi: '2G/3G: RSSI/RSCP từ mức này trở lên là tốt', source: RSSI_SOURCE },
	{ key: 'signal.rssi.fair_dbm', kind: 'number', default: -85, min: -120, max: -20, unit: 'dBm', en: '2G/3G: RSSI/RSCP at or above this is fair', vi: '2G/3G: RSSI/RSCP từ mức này trở lên là khá', source: RSSI_SOURCE },
	{ key: 'signal.rssi.poor_dbm', kind: 'number', default: -95, min: -120, max: -20, unit: 'dBm', en: '2G/3G: RSSI/RSCP at or above this is poor; below it, dead', vi: '2G/3G: RSSI/RSCP từ mức này trở lên là yếu; thấp hơn là mất sóng', source: RSSI_SOURCE },
	{ key: 'signal.bars.good', kind: 'integer', default: 4, min: 0, max: 5, unit: 'bars', en: 'Handset bars at or above this are good', vi: 'Số vạch sóng từ mức này trở lên là tốt', source: 'Bars are the coarsest evidence: 4–5 of 5 read as good, 2–3 fair, 1 poor, 0 dead (judgement; unverified)' },
	{ key: 'signal.bars.fair', kind: 'integer', default: 2, min: 0, max: 5, unit: 'bars', en: 'Handset bars at or above this are fair', vi: 'Số vạch sóng từ mức này trở lên là khá', source: 'as signal.bars.good' },
	{ key: 'signal.bars.poor', kind: 'integer', default: 1, min: 0, max: 5, unit: 'bars', en: 'Handset bars at or above this are poor; 0 is dead', vi: 'Số vạch sóng từ mức này trở lên là yếu; 0 vạch là mất sóng', source: 'as signal.bars.good' },
	{ key: 'speed.target_download_mbps', kind: 'number', default: 40, min: 1, max: 10_000, unit: 'Mbps', en: 'National 4G target: median download at or above this meets it', vi: 'Mục tiêu quốc gia 4G: tốc độ tải xuống trung vị từ mức này là đạt', source: 'National target: 4G download ≥ 40 Mbps at district and commune level, measured with VNNIC i-Speed (DOMAIN.md)' },
	{ key: 'speed.floor_download_mbps', kind: 'number', default: 5, min: 0.1, max: 1000, unit: 'Mbps', en: 'Floor: median download below this fails', vi: 'Ngưỡng tối thiểu: tải xuống trung vị dưới mức này là không đạt', source: 'FCC 4G challenge floor 5/1 Mbps (47 U.S.C. §642; DOMAIN.md)' },
	{ key: 'speed.floor_upload_mbps', kind: 'number', default: 1, min: 0.1, max: 1000, unit: 'Mbps', en: 'Floor: median upload below this fails', vi: 'Ngưỡng tối thiểu: tải lên trung vị dưới mức này là không đạt', source: 'FCC 4G challenge floor 5/1 Mbps (47 U.S.C. §642; DOMAIN.md)' },
	{ key: 'measured.confidence_reporters', kind: 'integer', default: 3, min: 1, max: 100, unit: 'reporters', en: 'Confidence reaches its reporter part at this many distinct reporters (k)', vi: 'Độ tin cậy đạt phần người báo khi có chừng này người báo khác nhau (k)', source: 'Same k as the public k-anonymity rule (PUBLIC_MIN_REPORTERS, 3); FCC challenge gates count several independent tests (DOMAIN.md)' },
	{ key: 'measured.confidence_spread_days', kind: 'number', default: 1, min: 0, max: 365, unit: 'days', en: 'Evidence spread over more than this many days gets full time-spread credit', vi: 'Bằng chứng trải dài hơn chừng này ngày được tính đủ phần độ trải thời gian', source: 'FCC gates want failing tests at different times (≥ 4 h apart; DOMAIN.md); one day is our coarser equivalent (unverified)' },
	{ key: 'measured.half_life_days', kind: 'number', default: 180, min: 1, max: 3650, unit: 'days', en: 'Confidence halves for every this many days since the last report', vi: 'Độ tin cậy giảm một nửa sau mỗi chừng này ngày kể từ báo cáo cuối', source: 'Networks change over months (new sites, refarming); half a year is our default (unverified)' },
	{ key: 'measured.window_days', kind: 'integer', default: 365, min: 7, max: 3650, unit: 'days', en: 'Reports older than this leave the measured layer (a daily job retires them)', vi: 'Báo cáo cũ hơn chừng này ngày không còn tính vào lớp đo đạc', source: 'One year keeps seasonal effects and drops superseded networks (unverified)' },
	{ key: 'measured.weight.drive_test', kind: 'number', default: 2, min: 0, max: 100, unit: '×', en: 'Weight of a drive-test measurement beside a resident report (1)', vi: 'Trọng số của một phép đo kiểm lưu động so với một báo cáo của người dân (1)', source: 'Calibrated drive-test equipment is more reliable than a handset report (judgement; unverified)' },
	{ key: 'measured.weight.app', kind: 'number', default: 1, min: 0, max: 100, unit: '×', en: 'Weight of a measurement app reading beside a resident report (1)', vi: 'Trọng số của một phép đo bằng ứng dụng so với một báo cáo của người dân (1)', source: 'An app reads RSRP from the modem, like a resident report with a value (judgement; unverified)' }	,
	// Link budgets for predictions (src/lib/propagation/link-budget.ts). Bands are Vietnam's usual
	// ones per technology; powers are per reference signal (LTE/NR), pilot (3G) or BCCH carrier (2G).
	{ key: 'propagation.2G.freq_mhz', kind: 'number', default: 900, min: 150, max: 6000, unit: 'MHz', en: '2G band (downlink centre)', vi: 'Băng tần 2G (tâm đường xuống)', source: 'GSM 900 is the band Vietnamese operators run 2G on (judgement; unverified per operator)' },
	{ key: 'propagation.3G.freq_mhz', kind: 'number', default: 2100, min: 150, max: 6000, unit: 'MHz', en: '3G band (downlink centre)', vi: 'Băng tần 3G (tâm đường xuống)', source: 'UMTS band 1 (2100 MHz), licensed to the three operators in 2009 (judgement; unverified)' },
	{ key: 'propagation.4G.freq_mhz', kind: 'number', default: 1800, min: 150, max: 6000, unit: 'MHz', en: '4G band (downlink centre)', vi: 'Băng tần 4G (tâm đường xuống)', source: 'LTE band 3 (1800 MHz), the main 4G band in Vietnam since 2016 (judgement; unverified per operator)' },
	{ key: 'propagation.5G.freq_mhz', kind: 'number', default: 3500, min: 150, max: 6000, unit: 'MHz', en: '5G band (downlink centre)', vi: 'Băng tần 5G (tâm đường xuống)', source: 'Mid-band 5G (n77/n78, 3.3–3.8 GHz; Viettel also n41 at 2.6 GHz) (judgement; unverified)' },
	operatorBand('2G', 'viettel'),
	operatorBand('2G', 'vnpt'),
	operatorBand('2G', 'mobifone'),
	operatorBand('3G', 'viettel'),
	operatorBand('3G', 'vnpt'),
	operatorBand('3G', 'mobifone'),
	operatorBand('4G', 'viettel'),
	operatorBand('4G', 'vnpt'),
	operatorBand('4G', 'mobifone'),
	operatorBand('5G', 'viettel', 2550, 'Viettel’s 5G block of the March 2024 auction is 2500–2600 MHz (n41); its centre (press reports; unverified, not in DOMAIN.md)'),
	operatorBand('5G', 'vnpt', 3750, 'VNPT’s 5G block of the March 2024 auction is 3700–3800 MHz (n78); its centre (press reports; unverified, not in DOMAIN.md)'),
	operatorBand('5G', 'mobifone'),
	{ key: 'propagation.2G.tx_dbm', kind: 'number', default: 43, min: 0, max: 70, unit: 'dBm', en: '2G BCCH carrier power at the antenna port', vi: 'Công suất sóng mang BCCH 2G tại cổng anten', source: '20 W per carrier, a common macro GSM setting (judgement; unverified)' },
	{ key: 'propagation.3G.tx_dbm', kind: 'number', default: 33, min: 0, max: 70, unit: 'dBm', en: '3G pilot (CPICH) power', vi: 'Công suất kênh hoa tiêu 3G (CPICH)', source: 'CPICH ≈ 10 % of a 20 W carrier, the usual UMTS planning value (judgement; unverified)' },
	{ key: 'propagation.4G.tx_dbm', kind: 'number', default: 15.2, min: -20, max: 50, unit: 'dBm', en: '4G reference-signal power per resource element (RSRP is per element)', vi: 'Công suất tín hiệu tham chiếu 4G trên mỗi phần tử tài nguyên', source: '40 W (46 dBm) over 1200 subcarriers of 20 MHz: 46 − 10·log₁₀ 1200 = 15.2 dBm (3GPP TS 36.213 §5.2 defines RS EPRE)' },
	{ key: 'propagation.5G.tx_dbm', kind: 'number', default: 14.3, min: -20, max: 50, unit: 'dBm', en: '5G SSB power per resource element (SS-RSRP)', vi: 'Công suất SSB 5G trên mỗi phần tử tài nguyên', source: '80 W (49 dBm) over 3276 subcarriers of 100 MHz at 30 kHz: 49 − 10·log₁₀ 3276 = 13.8 dBm, +0.5 dB SSB boost (judgement; unverified)' },
	{ key: 'propagation.antenna_gain_dbi', kind: 'number', default: 17, min: 0, max: 30, unit: 'dBi', en: 'Site antenna gain (sectors taken as omni where azimuths are unknown)', vi: 'Độ lợi anten trạm (coi như vô hướng khi chưa biết góc phương vị)', source: 'A typical 65° macro sector panel is 15–18 dBi (judgement; unverified)' },
	{ key: 'propagation.cable_loss_db', kind: 'number', default: 3, min: 0, max: 20, unit: 'dB', en: 'Feeder and connector loss', vi: 'Suy hao cáp và đầu nối', source: 'About 3 dB for a feeder run to a mast-top panel (judgement; unverified; 0–1 dB with remote radio heads)' },
	{ key: 'propagation.default_height_m', kind: 'number', default: 30, min: 5, max: 200, unit: 'm', en: 'Antenna height of a tower whose height is not known', vi: 'Độ cao anten của trạm chưa có số liệu độ cao', source: 'Rural Vietnamese masts are mostly 30–45 m (judgement; unverified); also Hata’s lowest valid base height' },
	{ key: 'propagation.mobile_height_m', kind: 'number', default: 1.5, min: 1, max: 10, unit: 'm', en: 'Handset height above ground', vi: 'Độ cao máy cầm tay so với mặt đất', source: 'A handset held at the ear or chest, the usual 1.5 m of Hata and COST-231' },
	{ key: 'propagation.range_km', kind: 'number', default: 20, min: 1, max: 60, unit: 'km', en: 'Farthest distance from a tower a prediction is made', vi: 'Khoảng cách xa nhất từ trạm được dự báo', source: 'Hata and COST-231 are fitted up to 20 km (DOMAIN.md)' },
	{ key: 'propagation.urban_density', kind: 'number', default: 3000, min: 1, max: 100_000, unit: 'people/km²', en: 'Population density from which a cell counts as urban (small/medium city)', vi: 'Mật độ dân số từ đó một ô được coi là đô thị', source: 'Settlement-pattern thresholds of the kind the EU degree of urbanisation uses (1500/km² urban centre, 300/km² town) scaled for Vietnamese towns (judgement; unverified)' },
	{ key: 'propagation.calibration_min_confidence', kind: 'number', default: 0.5, min: 0, max: 1, unit: '', en: 'Measured cells this confident or more calibrate the predictions', vi: 'Ô đo đạc có độ tin cậy từ mức này trở lên được dùng để hiệu chỉnh dự báo', source: 'Half of full confidence: at least two reporters over more than a day, or three on one day, reasonably recent (src/lib/coverage/measured.ts confidenceOf; judgement)' },
	{ key: 'declared.min_share', kind: 'number', default: 0.5, min: 0, max: 0.99, unit: '', en: 'A declared map covers a res-9 cell when more than this share of its 49 res-11 centres lie inside it', vi: 'Bản đồ công bố phủ một ô res-9 khi hơn tỷ lệ này trong 49 tâm ô res-11 của nó nằm bên trong', source: 'FCC 5G Fund, 47 CFR §54.1012: a res-9 cell is covered when a substantial majority of its res-11 descendants are (DOMAIN.md); "most" = more than half is our reading (no figure is given)' },
	{ key: 'fusion.measured_min_confidence', kind: 'number', default: 0.5, min: 0, max: 1, unit: '', en: 'Measurements this confident or more decide a cell’s best estimate (else its res-8 parent’s, then the prediction)', vi: 'Số đo có độ tin cậy từ mức này trở lên quyết định ước tính tốt nhất của ô (nếu không thì ô cha res-8, rồi đến dự báo)', source: 'Half of full confidence, as for calibration: two reporters over more than a day, or three on one day, reasonably recent (judgement)' },
	{ key: 'dispute.min_reporters', kind: 'integer', default: 3, min: 1, max: 100, unit: 'reporters', en: 'A dispute needs at least this many distinct reporters in the cell', vi: 'Một tranh chấp cần ít nhất chừng này người báo khác nhau trong ô', source: 'FCC challenge gates count several independent tests (DOMAIN.md); the same k as the public rule' },
	{ key: 'dispute.min_days', kind: 'integer', default: 2, min: 1, max: 365, unit: 'days', en: 'A dispute needs reports on at least this many distinct days', vi: 'Một tranh chấp cần báo cáo trong ít nhất chừng này ngày khác nhau', source: 'One bad afternoon is not a coverage gap: FCC challenges want failing tests at different times (DOMAIN.md); different days is our reading (judgement)' },
	{ key: 'dispute.min_hours_apart', kind: 'integer', default: 4, min: 0, max: 23, unit: 'hours', en: 'A dispute needs two failing reports at least this many hours apart in time of day (Vietnam time)', vi: 'Một tranh chấp cần hai báo cáo mất/yếu sóng cách nhau ít nhất chừng này giờ trong ngày (giờ Việt Nam)', source: 'FCC challenge gate: ≥ 2 failing tests ≥ 4 hours apart in time of day (DA 22-241, from memory: unverified; DOMAIN.md)' },
	{ key: 'dispute.min_confidence', kind: 'number', default: 0.5, min: 0, max: 1, unit: '', en: 'A dispute needs measurements at least this confident (recent enough)', vi: 'Một tranh chấp cần số đo có độ tin cậy ít nhất chừng này (đủ gần đây)', source: 'As fusion.measured_min_confidence: old evidence does not contradict a current map (judgement)' },
	{ key: 'propagation.suburban_density', kind: 'number', default: 300, min: 0, max: 100_000, unit: 'people/km²', en: 'Population density from which a cell counts as suburban (else open/rural)', vi: 'Mật độ dân số từ đó một ô được coi là ven đô (dưới mức này là nông thôn)', source: 'EU degree of urbanisation: 300 people/km² marks towns and suburbs (judgement; unverified)' },
	{ key: 'households.people_per_household', kind: 'number', default: 3.5, min: 1, max: 10, unit: 'people', en: 'People per household, where only people are counted (a population raster without commune households)', vi: 'Số người mỗi hộ, khi chỉ có số dân (lưới dân số mà xã không có số hộ)', source: '2019 Population and Housing Census: about 3.5 people per household nationally (GSO; unverified)' },
	{ key: 'households.settled_radius_km', kind: 'number', default: 0.5, min: 0, max: 5, unit: 'km', en: 'Without a population raster, a commune’s households live in the cells this near a village or public site', vi: 'Khi không có lưới dân số, hộ của xã ở trong các ô gần thôn hoặc cơ sở công cộng trong bán kính này', source: 'About a hamlet’s reach: res-9 cells are ~0.3 km apart (judgement; unverified)' },
	{ key: 'deadzone.open_report_days', kind: 'integer', default: 90, min: 1, max: 3650, unit: 'days', en: 'Residents’ reports this recent count as open in a dead zone', vi: 'Báo cáo của người dân trong chừng này ngày được tính là còn mở trong vùng lõm', source: 'A quarter: how often provinces review their dead-zone list (judgement; unverified)' },
	{ key: 'village.radius_km', kind: 'number', default: 1, min: 0.1, max: 10, unit: 'km', en: 'A village’s households live within this distance of its centre (villages imported as points)', vi: 'Hộ của một thôn ở trong khoảng cách này tính từ trung tâm thôn (thôn nhập dưới dạng điểm)', source: 'Upland villages spread about 1 km around their cultural house (judgement; unverified)' },
	{ key: 'village.lom_min_households', kind: 'number', default: 5, min: 0, max: 1000, unit: 'households', en: 'A served village is lõm sóng when its unserved cells hold at least this many households', vi: 'Thôn có sóng ở trung tâm là lõm sóng khi các ô không có sóng chứa ít nhất chừng này hộ', source: '“Clusters of households without signal” (Báo Tuyên Quang, Jan 2026; DOMAIN.md); the size of a cluster is our judgement (unverified)' },
	{ key: 'stale.after_days', kind: 'integer', default: 180, min: 7, max: 3650, unit: 'days', en: 'A populated cell whose last report is older than this has no recent evidence', vi: 'Ô có dân mà báo cáo gần nhất cũ hơn chừng này ngày là chưa có bằng chứng gần đây', source: 'The measured confidence half-life (measured.half_life_days): older evidence counts for half (judgement)' },
	{ key: 'priority.remote_km', kind: 'number', default: 5, min: 0.5, max: 50, unit: 'km', en: 'Priority: an unserved cell farther than this from every tower is remote', vi: 'Ưu tiên: ô chưa có sóng cách mọi trạm xa hơn mức này là vùng xa', source: 'Judgement (unverified): far from existing sites a gap needs new backhaul and power, which operators rarely fund commercially (Decision 2269/QĐ-TTg funds remote, border and especially difficult communes; DOMAIN.md)' },
	{ key: 'priority.remote_weight', kind: 'number', default: 1, min: 0, max: 10, unit: '×', en: 'Priority: extra weight of a remote unserved household (score = unserved + weight × remote unserved)', vi: 'Ưu tiên: trọng số thêm cho hộ chưa có sóng ở vùng xa (điểm = hộ chưa có sóng + trọng số × hộ vùng xa chưa có sóng)', source: 'Judgement (unverified): 1 counts a remote household twice; 0 ranks by unserved households alone' },
	{ key: 'planning.small_cell.height_m', kind: 'number', default: 12, min: 3, max: 60, unit: 'm', en: 'Planning: antenna height of a new small cell', vi: 'Quy hoạch: độ cao anten của trạm nhỏ (small cell) mới', source: 'Small cells go on poles and roofs, 6–15 m (judgement; unverified). Hata is fitted from 30 m: below it the prediction extrapolates' },
	{ key: 'planning.small_cell.tx_dbm', kind: 'number', default: 6.2, min: -20, max: 50, unit: 'dBm', en: 'Planning: 4G reference-signal power per resource element of a small cell', vi: 'Quy hoạch: công suất tín hiệu tham chiếu 4G trên mỗi phần tử tài nguyên của trạm nhỏ', source: '5 W (37 dBm) per port over 1200 subcarriers of 20 MHz: 37 − 10·log₁₀ 1200 = 6.2 dBm (as propagation.4G.tx_dbm; 5 W is a common outdoor small-cell rating, judgement; unverified)' },
	{ key: 'planning.small_cell.antenna_gain_dbi', kind: 'number', default: 5, min: 0, max: 30, unit: 'dBi', en: 'Planning: antenna gain of a small cell', vi: 'Quy hoạch: độ lợi anten của trạm nhỏ', source: 'Integrated omni small-cell antennas are 2–8 dBi (judgement; unverified)' },
	{ key: 'planning.small_cell.range_km', kind: 'number', default: 3, min: 0.2, max: 20, unit: 'km', en: 'Planning: farthest distance a small cell’s coverage is predicted', vi: 'Quy hoạch: khoảng cách xa nhất dự báo vùng phủ của trạm nhỏ', source: 'Beyond ~2 km a 5 W small cell is below the 4G floors on any terrain (judgement; unverified)' },
	{ key: 'planning.small_cell.cost', kind: 'number', default: 1, min: 0, max: 1000, unit: 'cost units', en: 'Planning: cost of a new small cell (the unit of the budget)', vi: 'Quy hoạch: chi phí một trạm nhỏ mới (đơn vị của ngân sách)', source: 'The budget’s unit: one small cell. Set both costs in money (e.g. million VND) for a budget in money (judgement)' },
	{ key: 'planning.small_cell.max_backhaul_km', kind: 'number', default: 1, min: 0, max: 50, unit: 'km', en: 'Planning: a small cell needs a fiber route or a tower (backhaul, power) within this distance', vi: 'Quy hoạch: trạm nhỏ cần tuyến cáp quang hoặc trạm (truyền dẫn, điện) trong khoảng cách này', source: 'A small cell has no microwave mast of its own; a short fiber drop or a tower’s link (judgement; unverified)' },
	{ key: 'planning.macro.height_m', kind: 'number', default: 35, min: 10, max: 200, unit: 'm', en: 'Planning: antenna height of a new macro tower', vi: 'Quy hoạch: độ cao anten của trạm vĩ mô (macro) mới', source: 'Rural Vietnamese masts are mostly 30–45 m (as propagation.default_height_m; judgement; unverified)' },
	{ key: 'planning.macro.cost', kind: 'number', default: 5, min: 0, max: 1000, unit: 'cost units', en: 'Planning: cost of a new macro tower, in small cells', vi: 'Quy hoạch: chi phí một trạm vĩ mô mới, tính theo trạm nhỏ', source: 'A new mast with power and microwave backhaul costs several small cells (judgement; unverified)' },
	{ key: 'planning.colocation_cost_share', kind: 'number', default: 0.4, min: 0, max: 1, unit: '', en: 'Planning: a site on another operator’s tower costs this share of a new one (infrastructure sharing)', vi: 'Quy hoạch: đặt thiết bị trên trạm của doanh nghiệp khác tốn tỷ lệ này so với xây mới (dùng chung hạ tầng)', source: 'Sharing saves the mast, land and power: most of a rural site’s cost (judgement; unverified)' },
	{ key: 'planning.weight.open_reporter', kind: 'number', default: 2, min: 0, max: 100, unit: 'households', en: 'Planning: extra demand weight per distinct resident reporting no signal in a cell (open reports)', vi: 'Quy hoạch: trọng số thêm cho mỗi người dân báo mất sóng trong ô (báo cáo còn mở)', source: 'A resident who reports is a household known to want service (judgement; unverified; 0 ignores reports)' },
	{ key: 'planning.weight.village', kind: 'number', default: 0.5, min: 0, max: 10, unit: '×', en: 'Planning: extra weight of a household in a village that is trắng or lõm sóng', vi: 'Quy hoạch: trọng số thêm cho hộ ở thôn trắng sóng hoặc lõm sóng', source: 'Provinces report and are judged on their trắng/lõm sóng villages (Báo Tuyên Quang, Jan 2026; DOMAIN.md); 0.5 is our judgement (unverified)' },
	{ key: 'planning.weight.facility', kind: 'number', default: 10, min: 0, max: 1000, unit: 'households', en: 'Planning: extra demand weight of a school, health station or commune office in an unserved cell', vi: 'Quy hoạch: trọng số thêm cho trường học, trạm y tế hoặc trụ sở xã trong ô chưa có sóng', source: 'Public services need signal first (Decision 2269/QĐ-TTg; DOMAIN.md); ten households is our judgement (unverified)' },
	{ key: 'proposal.verify_share', kind: 'number', default: 0.7, min: 0.05, max: 1, unit: '', en: 'A proposal on air is verified when this share of its target cells is measured at least fair with confidence, after it went on air', vi: 'Đề xuất đã phát sóng được xác nhận khi tỷ lệ này trong các ô mục tiêu được đo ít nhất ở mức khá với độ tin cậy, sau khi phát sóng', source: 'Issue 16: 70 % (a setting); measured confidence as fusion.measured_min_confidence' },
	{ key: 'reports.rate.device_per_minute', kind: 'integer', default: 10, min: 1, max: 10_000, unit: 'reports/min', en: 'Residents’ reports: at most this many a minute from one device (more are answered 429)', vi: 'Báo cáo của người dân: tối đa chừng này báo cáo mỗi phút từ một thiết bị (vượt quá bị từ chối 429)', source: 'Issue 17 default: a person reports a few places a minute at most (judgement)' },
	{ key: 'reports.rate.address_per_minute', kind: 'integer', default: 60, min: 1, max: 100_000, unit: 'reports/min', en: 'Residents’ reports: at most this many a minute from one network address (a village hall’s Wi-Fi or a carrier’s NAT is shared)', vi: 'Báo cáo của người dân: tối đa chừng này báo cáo mỗi phút từ một địa chỉ mạng (Wi-Fi nhà văn hoá hoặc NAT của nhà mạng dùng chung)', source: 'Issue 17 default (judgement)' },
	{ key: 'reports.speedtest_mb_per_minute', kind: 'integer', default: 30, min: 1, max: 10_000, unit: 'MB/min', en: 'Speed test: at most this many megabytes a minute to and from one network address (more are answered 429)', vi: 'Đo tốc độ: tối đa chừng này megabyte mỗi phút đi và đến một địa chỉ mạng (vượt quá bị từ chối 429)', source: 'A test moves about 1 MB (src/lib/reports/speed-test.ts): 30 lets a village hall’s residents test together on one Wi-Fi and bounds what a script can draw (judgement)' },
	{ key: 'reports.duplicate.radius_m', kind: 'number', default: 100, min: 0, max: 10_000, unit: 'm', en: 'A report from the same device about the same problem this near an earlier one is a duplicate', vi: 'Báo cáo cùng thiết bị, cùng vấn đề, gần báo cáo trước trong khoảng này là trùng lặp', source: 'Issue 17 default: 100 m, about a third of a res-9 cell (judgement)' },
	{ key: 'reports.duplicate.minutes', kind: 'integer', default: 60, min: 0, max: 10_080, unit: 'min', en: '… and observed within this many minutes of it', vi: '… và quan sát trong chừng này phút so với báo cáo trước', source: 'Issue 17 default: an hour (judgement)' },
	{ key: 'reports.travel.max_kmh', kind: 'number', default: 250, min: 10, max: 2000, unit: 'km/h', en: 'Spam: a device whose reports imply travel faster than this is held for moderation (impossible travel)', vi: 'Chống spam: thiết bị có báo cáo ngụ ý di chuyển nhanh hơn mức này bị giữ lại chờ kiểm duyệt', source: 'Faster than any road journey in Vietnam; a report sent from a plane is held, not lost (judgement)' },
	{ key: 'reports.burst.reports', kind: 'integer', default: 20, min: 1, max: 100_000, unit: 'reports', en: 'Spam: from this many reports from one address within the burst window, the rest are held for moderation', vi: 'Chống spam: từ chừng này báo cáo từ một địa chỉ trong khung thời gian, các báo cáo sau bị giữ lại chờ kiểm duyệt', source: 'A commune meeting may report together from one Wi-Fi: held, not refused (judgement)' },
	{ key: 'reports.burst.minutes', kind: 'integer', default: 10, min: 1, max: 1440, unit: 'min', en: 'Spam: the burst window for reports from one address', vi: 'Chống spam: khung thời gian tính đợt báo cáo dồn dập từ một địa chỉ', source: 'A meeting’s worth of time; a script sends far faster (judgement)' },
	{ key: 'reports.limited_days', kind: 'integer', default: 30, min: 0, max: 3650, unit: 'days', en: 'A device with a report rejected by a moderator within this many days has its new reports held (0: never)', vi: 'Thiết bị có báo cáo bị kiểm duyệt viên từ chối trong chừng này ngày thì báo cáo mới bị giữ lại (0: không áp dụng)', source: 'A month of scrutiny after a fake report, then trust again (judgement)' },
	{ key: 'reports.contact_retention_days', kind: 'integer', default: 180, min: 1, max: 3650, unit: 'days', en: 'Residents’ contacts are deleted this many days after their report (a daily job)', vi: 'Thông tin liên hệ của người dân bị xoá sau chừng này ngày kể từ khi báo cáo (tác vụ hằng ngày)', source: 'Nghị định 13/2023/NĐ-CP: keep personal data no longer than its purpose needs; half a year covers follow-up on a report (judgement)' },
] as const satisfies readonly SettingDefinition[];

export type SettingKey = (typeof SETTING_DEFINITIONS)[number]['key'];
export type Settings = Record<SettingKey, number>;

/** The definition of `key`, or undefined for an unknown key. */
export function findSetting(key: string): SettingDefinition | undefined {
	return SETTING_DEFINITIONS.find((d) => d.key === key);
}

/**
 * The values of the settings whose keys start with one of `prefixes`, as canonical text: what a
 * derived layer records to know whether the settings it rests on have changed since.
 */
export function settingsFingerprint(s: Settings, prefixes: readonly string[]): string {
	return Object.entries(s)
		.filter(([k]) => prefixes.some((p) => k.startsWith(p)))
		.sort(([a], [b]) => (a < b ? -1 : 1))
		.map(([k, v]) => `${k}=${v}`)
		.join(';');
}

/** Every setting at its default. */
export const DEFAULT_SETTINGS: Settings = Object.fromEntries(SETTING_DEFINITIONS.map((d) => [d.key, d.default])) as Settings;

/** A setting that cannot take a value, with a message naming the key and the rule. */
export class SettingError extends Error {
	constructor(
		readonly key: string,
		reason: string
	) {
		super(`${key}: ${reason}`);
		this.name = 'SettingError';
	}
}

/** Parses a value typed by a person ("−105", "-105", "2,5" refused) for `key`; throws {@link SettingError}. */
export function parseSettingValue(key: string, text: string): number {
	const d = findSetting(key);
	if (!d) throw new SettingError(key, `is not a setting (known: ${SETTING_DEFINITIONS.map((s) => s.key).join(', ')})`);
	const normalised = text.trim().replace(/^\u2212/, '-');
	const value = Number(normalised);
	if (normalised === '' || !Number.isFinite(value)) throw new SettingError(key, `must be a number, got "${text}"`);
	if (d.kind === 'integer' && !Number.isInteger(value)) throw new SettingError(key, `must be a whole number, got ${value}`);
	if (value === 0 && d.zeroMeans) return 0;
	if (value < d.min || value > d.max) throw new SettingError(key, `must be within ${d.min}…${d.max} ${d.unit}${d.zeroMeans ? ` (or 0 for ${d.zeroMeans})` : ''}, got ${value}`);
	return value;
}

/**
 * Rules across settings: class floors must descend (good ≥ fair ≥ poor); speed floor ≤ target;
 * suburban density ≤ urban density. Returns the first broken
 * rule as a {@link SettingError}, or null.
 */
export function checkSettings(s: Settings): SettingError | null {
	for (const family of ['signal.rsrp', 'signal.rssi'] as const) {
		const [g, f, p] = (['good_dbm', 'fair_dbm', 'poor_dbm'] as const).map((c) => s[`${family}.${c}` as SettingKey]);
		if (!(g >= f && f >= p)) return new SettingError(`${family}.*`, `floors must descend: good ${g} ≥ fair ${f} ≥ poor ${p}`);
	}
	const [g, f, p] = (['good', 'fair', 'poor'] as const).map((c) => s[`signal.bars.${c}` as SettingKey]);
	if (!(g >= f && f >= p)) return new SettingError('signal.bars.*', `floors must descend: good ${g} ≥ fair ${f} ≥ poor ${p}`);
	if (s['speed.floor_download_mbps'] > s['speed.target_download_mbps']) return new SettingError('speed.floor_download_mbps', 'must not exceed speed.target_download_mbps');
	if (s['propagation.suburban_density'] > s['propagation.urban_density']) return new SettingError('propagation.suburban_density', 'must not exceed propagation.urban_density');
	return null;
}
