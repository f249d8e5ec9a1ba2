import type { Technology } from '../signal/classes';

/**
 * Radio technology from the names apps write. 5G NSA rows report the LTE anchor's RSRP; they stay
 * 5G here because that is what the handset used.
 */
export function technologyFromName(name: string): Technology | null {
	const t = name.trim().toUpperCase().replace(/[\s_-]+/g, '');
	if (['GSM', 'EDGE', 'GPRS', '2G'].includes(t)) return '2G';
	if (['UMTS', 'WCDMA', 'HSPA', 'HSPA+', 'HSDPA', 'HSUPA', 'HSPAP', '3G'].includes(t)) return '3G';
	if (['LTE', 'LTEA', 'LTE+', '4G', '4G+'].includes(t)) return '4G';
	if (['5G', 'NR', 'NRNSA', 'NRSA', '5GNSA', '5GSA'].includes(t)) return '5G';
	return null;
}
