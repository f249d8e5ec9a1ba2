import { z } from 'zod';
import { findOperatorByMccMnc } from '../operators/operators';
import type { Technology } from '../signal/classes';
import type { IntakeReport } from './intake-report';
import { OBSERVED_MAX_AGE_DAYS } from './report-body';

/**
 * The Ichnaea (Mozilla Location Service) geosubmit v2 format that open stumbler apps speak
 * (NeoStumbler, Tower Collector's MLS-compatible upload): `POST /v2/geosubmit` with
 * `{"items": [...]}` (Ichnaea docs, "Geosubmit Version 2"). Each item's serving cell of a
 * Vietnamese network (MCC 452) becomes a measurement of its operator and technology; cells of
 * other countries are counted and skipped; Wi-Fi access points are never read beyond the schema.
 * Pure: the caller gives the device key and the time it is now, and hashes the ids.
 */

export const VIETNAM_MCC = 452;
/** Items per request: a stumbler uploads in batches of tens to a few hundred. */
export const GEOSUBMIT_MAX_ITEMS = 1000;

const RADIO_TECHNOLOGY: Record<string, Technology> = { gsm: '2G', wcdma: '3G', lte: '4G', nr: '5G' };

const cellTower = z
	.object({
		radioType: z.string().max(16).optional(),
		mobileCountryCode: z.number().int().min(0).max(999).optional(),
		mobileNetworkCode: z.number().int().min(0).max(999).optional(),
		locationAreaCode: z.number().int().min(0).optional(),
		cellId: z.number().int().min(0).optional(),
		signalStrength: z.number().min(-200).max(0).optional(),
		serving: z.union([z.number().int().min(0).max(1), z.boolean()]).optional()
	})
	.loose();

const item = z
	.object({
		timestamp: z.number().int().min(0).optional(),
		position: z
			.object({
				latitude: z.number().min(-90).max(90),
				longitude: z.number().min(-180).max(180),
				accuracy: z.number().min(0).max(100_000).optional(),
				source: z.string().max(16).optional()
			})
			.loose(),
		radioType: z.string().max(16).optional(),
		cellTowers: z.array(cellTower).max(100).optional(),
		// Present in the format; never stored (Wi-Fi is not what Phủ Sóng measures).
		wifiAccessPoints: z.array(z.unknown()).max(1000).optional()
	})
	.loose();

const body = z.object({ items: z.array(item).max(GEOSUBMIT_MAX_ITEMS, `at most ${GEOSUBMIT_MAX_ITEMS} items per request`) }).loose();

export type GeosubmitItem = z.output<typeof item>;

/** What a request held: the measurements to store, and how many items were skipped and why. */
export interface GeosubmitParse {
	reports: Omit<IntakeReport, 'id'>[];
	/** The canonical text of each report's item, for its content-hash id (same order). */
	contents: string[];
	skipped: { otherCountry: number; noServingCell: number; unknownNetwork: number; outOfTime: number };
}

export type GeosubmitCheck = { ok: true; parse: GeosubmitParse } | { ok: false; field: string; message: string };

/** The serving cell: the one marked serving, else the only one, else the strongest. */
function servingCell(towers: readonly z.output<typeof cellTower>[]): z.output<typeof cellTower> | undefined {
	const marked = towers.find((t) => t.serving === 1 || t.serving === true);
	if (marked) return marked;
	if (towers.some((t) => t.serving !== undefined)) return undefined;
	if (towers.length === 1) return towers[0];
	return [...towers].filter((t) => t.signalStrength !== undefined).sort((a, b) => b.signalStrength! - a.signalStrength!)[0];
}

export function parseGeosubmit(input: unknown, deviceKey: string, now: Date): GeosubmitCheck {
	const r = body.safeParse(input);
	if (!r.success) {
		const i = r.error.issues[0];
		const field = i.path.map((p, n) => (typeof p === 'number' ? `[${p}]` : `${n > 0 ? '.' : ''}${String(p)}`)).join('') || '(body)';
		return { ok: false, field, message: `${field}: ${i.message}` };
	}
	const out: GeosubmitParse = { reports: [], contents: [], skipped: { otherCountry: 0, noServingCell: 0, unknownNetwork: 0, outOfTime: 0 } };
	const oldest = now.getTime() - OBSERVED_MAX_AGE_DAYS * 86_400_000;
	for (const it of r.data.items) {
		const cell = servingCell(it.cellTowers ?? []);
		if (!cell) {
			out.skipped.noServingCell++;
			continue;
		}
		if (cell.mobileCountryCode !== VIETNAM_MCC) {
			out.skipped.otherCountry++;
			continue;
		}
		const operator = findOperatorByMccMnc(VIETNAM_MCC, cell.mobileNetworkCode ?? -1);
		const technology = RADIO_TECHNOLOGY[(cell.radioType ?? it.radioType ?? '').toLowerCase()];
		if (!operator || !technology) {
			out.skipped.unknownNetwork++;
			continue;
		}
		const at = it.timestamp ?? now.getTime();
		if (at > now.getTime() + 10 * 60_000 || at < oldest) {
			out.skipped.outOfTime++;
			continue;
		}
		// Signal strength is RSRP for LTE/NR (within its reporting range, else dropped) and RSSI otherwise.
		const strength = cell.signalStrength ?? null;
		const isRsrp = technology === '4G' || technology === '5G';
		const rsrp = isRsrp && strength !== null && strength >= -140 && strength <= -44 ? strength : null;
		const rssi = !isRsrp && strength !== null && strength >= -120 ? strength : null;
		out.reports.push({
			channel: 'geosubmit',
			sourceKind: 'app',
			deviceKey,
			observedAt: new Date(at).toISOString(),
			positionSource: 'gps',
			accuracyM: it.position.accuracy ?? null,
			lon: it.position.longitude,
			lat: it.position.latitude,
			operator: operator.code,
			technology,
			noService: false,
			signalBars: null,
			rsrpDbm: rsrp,
			rssiDbm: rssi,
			indoor: null,
			floor: null,
			problem: null,
			note: null,
			contact: null,
			downloadMbps: null,
			uploadMbps: null,
			latencyMs: null
		});
		// The id hashes what the item says about the cell (not its Wi-Fi): the same upload again is the same report.
		out.contents.push(JSON.stringify([at, it.position.latitude, it.position.longitude, it.position.accuracy ?? null, cell.mobileNetworkCode, cell.radioType ?? it.radioType, cell.locationAreaCode ?? null, cell.cellId ?? null, strength]));
	}
	return { ok: true, parse: out };
}
