/** The columns of signal_reports a measurements import fills (all but the generated id). */
export const IMPORTED_COLUMNS = [
	'source_kind', 'operator_code', 'technology', 'rsrp_dbm', 'rssi_dbm', 'rsrq_db', 'sinr_db', 'signal_bars', 'no_service',
	'download_mbps', 'upload_mbps', 'latency_ms', 'observed_at', 'accuracy_m', 'h3_res9', 'reporter_key', 'synthetic',
	'import_id', 'dedupe_key', 'geom'
];
