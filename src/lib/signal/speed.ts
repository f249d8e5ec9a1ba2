import { DEFAULT_SETTINGS, type Settings } from '../settings/definitions';

/**
 * Speed classes of a cell's measured download/upload medians: at or above the national 4G target
 * (40 Mbps down, commune level, VNNIC i-Speed), above the FCC-style 5/1 Mbps floor, or below it
 * (DOMAIN.md). Thresholds are settings.
 */
export const SPEED_CLASSES = ['meets_target', 'above_floor', 'below_floor'] as const;
export type SpeedClass = (typeof SPEED_CLASSES)[number];

/** The speed class of medians in Mbps; null without a download median. Upload only gates the floor. */
export function classifySpeed(downloadMbps: number | null, uploadMbps: number | null, s: Settings = DEFAULT_SETTINGS): SpeedClass | null {
	if (downloadMbps === null || !Number.isFinite(downloadMbps)) return null;
	const belowFloor = downloadMbps < s['speed.floor_download_mbps'] || (uploadMbps !== null && uploadMbps < s['speed.floor_upload_mbps']);
	if (belowFloor) return 'below_floor';
	return downloadMbps >= s['speed.target_download_mbps'] ? 'meets_target' : 'above_floor';
}
