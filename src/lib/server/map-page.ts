import { VIETNAM_OPERATORS } from '../operators/operators';
import type { Bbox } from '../api/params';
import { communesExtent, VIETNAM_BBOX } from './communes';
import type { Database } from './db/index';
import { readDemoProvinces, type DemoInfo } from './meta';
import { readSettings } from './settings';
import { thresholdsFromSettings, type SignalThresholds } from '../signal/classes';

/** What the map page needs before it draws: where to look, what the data is, whose colours. */
export interface MapPageData {
	extent: Bbox;
	hasData: boolean;
	demo: DemoInfo[];
	operatorColors: Record<string, string>;
	operatorNames: Record<string, string>;
	/** The class floors in force, for the legend. */
	thresholds: SignalThresholds;
	/** The dispute gates in force, for the legend. */
	disputeGates: { reporters: number; days: number; hours: number };
	/** Days without a report after which a populated cell is stale (the download's note). */
	staleAfterDays: number;
	/** The measured layer's own window (days), the default of the map's time filter. */
	windowDays: number;
}

/** Gathers the map page's start-up facts in one place. */
export async function loadMapPage(db: Database): Promise<MapPageData> {
	const [extent, demo, settings] = await Promise.all([communesExtent(db, '2025'), readDemoProvinces(db), readSettings(db)]);
	return {
		extent: extent ?? VIETNAM_BBOX,
		hasData: extent !== null,
		demo: Object.values(demo),
		operatorColors: Object.fromEntries(VIETNAM_OPERATORS.map((o) => [o.code, o.color])),
		operatorNames: Object.fromEntries(VIETNAM_OPERATORS.map((o) => [o.code, o.name])),
		thresholds: thresholdsFromSettings(settings),
		disputeGates: { reporters: settings['dispute.min_reporters'], days: settings['dispute.min_days'], hours: settings['dispute.min_hours_apart'] },
		staleAfterDays: settings['stale.after_days'],
		windowDays: settings['measured.window_days']
	};
}
