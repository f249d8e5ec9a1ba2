import { H3HexagonLayer } from '@deck.gl/geo-layers';
import { CollisionFilterExtension, DataFilterExtension, type CollisionFilterExtensionProps, type DataFilterExtensionProps } from '@deck.gl/extensions';
import { GeoJsonLayer, IconLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Feature, MultiPolygon, Point, Polygon } from 'geojson';
import { SIGNAL_CLASS_RGB } from '../../signal/classes';
import { ARCHIPELAGOS, type Archipelago } from './archipelagos';
import { DEAD_ZONE_RGB, hexToRgb, PROPOSAL_STAGE_LINE_RGB, proposalStage, SITE_TYPE_RGB, VILLAGE_STATUS_RGB } from './colors';
import { densityFill, fiberFill } from './choropleth';
import { cellResolutionForZoom, cellsForZoom, disputedResolutionForZoom } from './zoom';
import type { FusedSource } from '../../coverage/fusion';
import type { BestMapCell, CommuneCollection, CommuneProps, DeadZoneCollection, DeadZoneProps, DisputedMapCell, FiberCommuneCollection, FiberCommuneProps, LayerVisibility, MeasuredCell, PopulationMapCell, PredictedMapCell, ProposalMapSite, ReportCollection, ReportProps, TowerCollection, TowerProps, VillageCollection, VillageProps } from './types';

type Rgb = [number, number, number];

export interface CoverageLayerInput {
	communes: CommuneCollection | null;
	towers: TowerCollection | null;
	reports: ReportCollection | null;
	/** Measured cells by H3 resolution; the layer shows the one that suits `zoom`. */
	reportCells: Partial<Record<number, MeasuredCell[]>> | null;
	/** Predicted cells by H3 resolution, likewise. */
	predictedCells?: Partial<Record<number, PredictedMapCell[]>> | null;
	/** Fused best-estimate cells by H3 resolution. */
	bestCells?: Partial<Record<number, BestMapCell[]>> | null;
	/** Disputed cells by H3 resolution (8 zoomed out, 9 in). */
	disputedCells?: Partial<Record<number, DisputedMapCell[]>> | null;
	deadZones?: DeadZoneCollection | null;
	villages?: VillageCollection | null;
	/** Communes with their fiber figures, for the choropleth. */
	fiberCommunes?: FiberCommuneCollection | null;
	/** Population cells by H3 resolution (7 zoomed out, 8 in). */
	populationCells?: Partial<Record<number, PopulationMapCell[]>> | null;
	/** Proposed sites the caller may see, with the cells each would cover. */
	proposals?: readonly ProposalMapSite[] | null;
	zoom: number;
	/** The view's box [west, south, east, north]; layers wholly outside it are not created. */
	viewBounds?: [number, number, number, number] | null;
	visible: LayerVisibility;
	selectedCode: string | null;
	operatorRgb: Record<string, Rgb>;
	/** Measured cells below this confidence are hidden (0: none) — on the GPU, nothing rebuilt. */
	minConfidence?: number;
	/** Only this operator's towers are drawn ('' or absent: every operator's) — on the GPU too. */
	towerOperator?: string;
	/** The language the archipelagos' names are written in (they are always drawn). */
	lang?: 'vi' | 'en';
}

export { cellResolutionForZoom, cellsForZoom, disputedResolutionForZoom };

/**
 * How large towers are drawn: small at province scale, where hundreds of sites would otherwise
 * pile into one blot, growing to full size from zoom 11 (a multiplier of the icons' pixel size,
 * applied as deck.gl's `sizeScale` so zooming rebuilds no attribute).
 */
export function towerIconScale(zoom: number): number {
	return Math.max(0.45, Math.min(1, 0.45 + (zoom - 8) * (0.55 / 3)));
}

/** The colour of a cell with evidence too thin to class (no usable signal value). */
export const NOT_ENOUGH_EVIDENCE_RGB: Rgb = [150, 150, 150];

/**
 * A measured cell's fill: its class colour, or grey without a class; opacity grows with confidence
 * (from 30 % at none to 85 % at full), so thin or stale evidence reads as faint.
 */
export function measuredCellFill(c: Pick<MeasuredCell, 'class' | 'confidence'>): [number, number, number, number] {
	const rgb = c.class ? SIGNAL_CLASS_RGB[c.class] : NOT_ENOUGH_EVIDENCE_RGB;
	return [...rgb, Math.round(77 + 140 * Math.max(0, Math.min(1, c.confidence)))];
}

/**
 * A predicted cell's look: a pale fill and a strong outline in its class colour, so a prediction
 * never reads as evidence (measured cells are filled) and both can be shown together.
 */
export const predictedCellFill = (c: Pick<PredictedMapCell, 'class'>): [number, number, number, number] => [...SIGNAL_CLASS_RGB[c.class], 70];
export const predictedCellLine = (c: Pick<PredictedMapCell, 'class'>): [number, number, number, number] => [...SIGNAL_CLASS_RGB[c.class], 230];

/**
 * A fused cell's fill: its class colour, more opaque the stronger the source that decided — the
 * cell's own confident measurements, then its parent's, then the prediction, then the operator's
 * declared map — so evidence reads as solid and claims as faint.
 */
export const BEST_SOURCE_ALPHA: Record<FusedSource, number> = { measured: 215, 'measured-parent': 165, predicted: 105, declared: 55 };
export const bestCellFill = (c: Pick<BestMapCell, 'class' | 'decidedBy'>): [number, number, number, number] => [...SIGNAL_CLASS_RGB[c.class], BEST_SOURCE_ALPHA[c.decidedBy]];

/** Disputed cells are outlined: magenta where a claim (declared or predicted) is contradicted, blue for unexpected coverage. */
export const DISPUTED_RGB: Rgb = [196, 0, 150];
export const UNEXPECTED_RGB: Rgb = [0, 110, 220];
export const disputedCellLine = (c: Pick<DisputedMapCell, 'flags'>): [number, number, number, number] => [...(c.flags.some((f) => f !== 'unexpected') ? DISPUTED_RGB : UNEXPECTED_RGB), 255];


export { DEAD_ZONE_RGB, VILLAGE_STATUS_RGB, hexToRgb };

/** A village's outline: blue where the province's register says otherwise, white elsewhere. */
export const villageLine = (v: Pick<VillageProps, 'agreesWithOfficial'>): [number, number, number, number] => (v.agreesWithOfficial === false ? [0, 90, 200, 255] : [255, 255, 255, 230]);


/** A triangle mast symbol, inline so nothing is fetched; `mask` lets deck.gl tint it per operator. */
const TOWER_ICON = {
	id: 'tower',
	url: `data:image/svg+xml;charset=utf-8,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><path d="M32 4 L60 58 L4 58 Z" fill="#fff"/></svg>')}`,
	width: 64,
	height: 64,
	anchorY: 40,
	mask: true
};

/**
 * Filters that change what is drawn without touching the data: deck.gl's DataFilterExtension
 * hides objects in the shader, so a filter change uploads two numbers, not new attributes.
 */
const confidenceFilter = new DataFilterExtension({ filterSize: 1 });
const operatorFilter = new DataFilterExtension({ filterSize: 0, categorySize: 1 });

/**
 * The coverage map's deck.gl layers: cheap descriptors rebuilt on every change and matched by
 * their stable ids. Radii are in screen pixels so points stay visible at province zoom.
 */
export function coverageLayers(input: CoverageLayerInput) {
	const { communes, towers, reports, reportCells, predictedCells, bestCells, disputedCells, deadZones, villages, zoom, visible, selectedCode, operatorRgb } = input;
	const grey: Rgb = [120, 120, 120];
	// Only the layers shown are handed to deck.gl: a hidden layer would still be initialised — its
	// shaders compiled, which in software WebGL costs more than its data — on the first frame.
	return [
		// Context under everything: fiber by commune, then households per km².
		new GeoJsonLayer<FiberCommuneProps>({
			id: 'fiber-communes',
			data: input.fiberCommunes ?? { type: 'FeatureCollection', features: [] },
			visible: visible.fiber,
			pickable: true,
			filled: true,
			stroked: false,
			getFillColor: (f) => fiberFill(f.properties.fiber)
		}),
		new H3HexagonLayer<PopulationMapCell>({
			id: 'population-cells',
			data: cellsForZoom(input.populationCells, cellResolutionForZoom(zoom)),
			visible: visible.population,
			pickable: true,
			extruded: false,
			stroked: false,
			getHexagon: (c) => c.h3,
			getFillColor: (c) => densityFill(c.householdsPerKm2)
		}),
		new GeoJsonLayer<CommuneProps>({
			id: 'communes',
			data: communes ?? { type: 'FeatureCollection', features: [] },
			visible: visible.communes,
			filled: true,
			stroked: true,
			// Under the fiber choropleth the commune is picked there, with its fiber figures.
			pickable: !visible.fiber,
			// The selected commune is outlined, not filled: a tint would change the cells' colours under it;
			// the same over a choropleth, whose colours are the message.
			getFillColor: (f) => (f.properties.code === selectedCode || visible.fiber || visible.population ? [255, 255, 255, 0] : [255, 255, 255, 70]),
			getLineColor: (f) => (f.properties.code === selectedCode ? [180, 90, 0, 255] : [70, 80, 90, 200]),
			getLineWidth: (f) => (f.properties.code === selectedCode ? 3 : 1),
			lineWidthUnits: 'pixels',
			updateTriggers: { getFillColor: [selectedCode, visible.fiber, visible.population], getLineColor: selectedCode, getLineWidth: selectedCode }
		}),
		// Under the measured cells: evidence is drawn over what the model expects.
		new H3HexagonLayer<PredictedMapCell>({
			id: 'predicted-cells',
			data: cellsForZoom(predictedCells, cellResolutionForZoom(zoom)),
			visible: visible.predicted,
			pickable: true,
			extruded: false,
			stroked: true,
			getHexagon: (c) => c.h3,
			getFillColor: predictedCellFill,
			getLineColor: predictedCellLine,
			lineWidthUnits: 'pixels',
			getLineWidth: 1.5
		}),
		new H3HexagonLayer<BestMapCell>({
			id: 'best-cells',
			data: cellsForZoom(bestCells, cellResolutionForZoom(zoom)),
			visible: visible.best,
			pickable: true,
			extruded: false,
			stroked: false,
			getHexagon: (c) => c.h3,
			getFillColor: bestCellFill
		}),
		new H3HexagonLayer<MeasuredCell, DataFilterExtensionProps<MeasuredCell>>({
			id: 'report-cells',
			data: cellsForZoom(reportCells, cellResolutionForZoom(zoom)),
			visible: visible.reportCells,
			extensions: [confidenceFilter],
			getFilterValue: (c) => c.confidence,
			// Always on: [0, 1] keeps every cell (switching filterEnabled off did not reach the sublayers).
			filterRange: [input.minConfidence ?? 0, 1],
			pickable: true,
			extruded: false,
			stroked: true,
			getHexagon: (c) => c.h3,
			getFillColor: measuredCellFill,
			getLineColor: [255, 255, 255, 120],
			lineWidthUnits: 'pixels',
			getLineWidth: 0.5
		}),
		// Over the coverage layers, outlines only: what is under them stays readable.
		new H3HexagonLayer<DisputedMapCell>({
			id: 'disputed-cells',
			data: cellsForZoom(disputedCells, disputedResolutionForZoom(zoom)),
			visible: visible.disputed,
			pickable: true,
			extruded: false,
			filled: true,
			stroked: true,
			getHexagon: (c) => c.h3,
			getFillColor: [255, 255, 255, 1],
			getLineColor: disputedCellLine,
			lineWidthUnits: 'pixels',
			getLineWidth: 2.5
		}),
		new GeoJsonLayer<DeadZoneProps>({
			id: 'dead-zones',
			data: deadZones ?? { type: 'FeatureCollection', features: [] },
			visible: visible.deadZones,
			pickable: true,
			filled: true,
			stroked: true,
			getFillColor: [...DEAD_ZONE_RGB, 110],
			getLineColor: [...DEAD_ZONE_RGB, 255],
			lineWidthUnits: 'pixels',
			getLineWidth: 2
		}),
		new ScatterplotLayer<Feature<Point, VillageProps>>({
			id: 'villages',
			data: villages?.features ?? [],
			visible: visible.villages,
			pickable: true,
			stroked: true,
			radiusUnits: 'pixels',
			getRadius: 5,
			lineWidthUnits: 'pixels',
			getLineWidth: (f) => (f.properties.agreesWithOfficial === false ? 2.5 : 1.2),
			getPosition: (f) => f.geometry.coordinates as [number, number],
			getFillColor: (f) => [...VILLAGE_STATUS_RGB[f.properties.status], 235] as [number, number, number, number],
			getLineColor: (f) => villageLine(f.properties)
		}),
		new ScatterplotLayer<Feature<Point, ReportProps>>({
			id: 'reports',
			data: reports?.features ?? [],
			visible: visible.reports,
			pickable: true,
			radiusUnits: 'pixels',
			getRadius: 2.5,
			getPosition: (f) => f.geometry.coordinates as [number, number],
			getFillColor: (f) => [...SIGNAL_CLASS_RGB[f.properties.signalClass ?? 'dead'], 210] as [number, number, number, number]
		}),
		// Towers are triangles with a dark halo, so they never read as report dots of the same hue.
		new IconLayer<Feature<Point, TowerProps>, DataFilterExtensionProps<Feature<Point, TowerProps>>>({
			id: 'towers-halo',
			data: towers?.features ?? [],
			visible: visible.towers,
			...towerFilter(input.towerOperator, operatorRgb),
			getIcon: () => TOWER_ICON,
			getPosition: (f) => f.geometry.coordinates as [number, number],
			getSize: 19,
			sizeScale: towerIconScale(zoom),
			sizeUnits: 'pixels',
			getColor: [20, 25, 30, 230]
		}),
		new IconLayer<Feature<Point, TowerProps>, DataFilterExtensionProps<Feature<Point, TowerProps>>>({
			id: 'towers',
			data: towers?.features ?? [],
			visible: visible.towers,
			...towerFilter(input.towerOperator, operatorRgb),
			pickable: true,
			getIcon: () => TOWER_ICON,
			getPosition: (f) => f.geometry.coordinates as [number, number],
			getSize: 13,
			sizeScale: towerIconScale(zoom),
			sizeUnits: 'pixels',
			getColor: (f) => operatorRgb[f.properties.operator] ?? grey
		}),
		...proposalLayers(input.proposals ?? [], visible.proposals, operatorRgb),
		new TextLayer<Feature<Polygon | MultiPolygon, CommuneProps>, CollisionFilterExtensionProps<Feature<Polygon | MultiPolygon, CommuneProps>>>({
			id: 'commune-labels',
			data: communes?.features ?? [],
			visible: visible.communes,
			// Vietnamese needs more than ASCII: build the glyph atlas from the text itself.
			characterSet: 'auto',
			fontFamily: 'system-ui, "Noto Sans", "DejaVu Sans", sans-serif',
			getText: (f) => f.properties.name,
			getPosition: (f) => f.properties.label,
			// Names that would overlap give way, the more populous commune keeping its label.
			extensions: [new CollisionFilterExtension()],
			collisionEnabled: true,
			getCollisionPriority: (f) => Math.log10(1 + (f.properties.population ?? 0)),
			collisionTestProps: { sizeScale: 1.15 },
			getSize: 12,
			getColor: [35, 45, 55],
			outlineWidth: 2,
			outlineColor: [255, 255, 255, 230],
			fontSettings: { sdf: true },
			sizeUnits: 'pixels'
		}),
		// Drawn whenever in view (every national view); left out elsewhere, sparing their shaders.
		...(archipelagosInView(input.viewBounds) ? archipelagoLayers(input.lang ?? 'vi') : [])
	].filter((layer) => layer.props.visible);
}

/** The operator filter's props for a tower layer. */
function towerFilter(operator: string | undefined, operators: Record<string, unknown>): DataFilterExtensionProps<Feature<Point, TowerProps>> & { extensions: DataFilterExtension[] } {
	return { extensions: [operatorFilter], getFilterCategory: (f) => f.properties.operator, filterCategories: operator ? [operator] : Object.keys(operators) };
}

/** A proposal's covered cells, one row per cell, pointing back at the proposal (what a pick reports). */
export const proposalCellRows = (proposals: readonly ProposalMapSite[]) => proposals.flatMap((p) => p.targetCells.map((h3) => ({ h3, proposal: p })));

/**
 * Proposed sites over everything but labels: the cells each would cover outlined in its operator's
 * colour (the prediction the plan rests on), and the site as a dot in its type's colour, outlined
 * by stage (under way, on air, ended — ended ones faded).
 */
function proposalLayers(proposals: readonly ProposalMapSite[], visible: boolean, operatorRgb: Record<string, Rgb>) {
	const grey: Rgb = [120, 120, 120];
	return [
		new H3HexagonLayer<{ h3: string; proposal: ProposalMapSite }>({
			id: 'proposal-cells',
			data: proposalCellRows(proposals),
			visible,
			pickable: true,
			extruded: false,
			stroked: true,
			getHexagon: (c) => c.h3,
			getFillColor: (c) => [...(operatorRgb[c.proposal.operatorCode] ?? grey), 40] as [number, number, number, number],
			getLineColor: (c) => [...(operatorRgb[c.proposal.operatorCode] ?? grey), proposalStage(c.proposal.state) === 'ended' ? 90 : 230] as [number, number, number, number],
			lineWidthUnits: 'pixels',
			getLineWidth: 1.5
		}),
		new ScatterplotLayer<ProposalMapSite>({
			id: 'proposals',
			data: proposals as ProposalMapSite[],
			visible,
			pickable: true,
			stroked: true,
			radiusUnits: 'pixels',
			getRadius: (p) => (p.siteType === 'macro' ? 8 : 6),
			lineWidthUnits: 'pixels',
			getLineWidth: 2.5,
			getPosition: (p) => p.position,
			getFillColor: (p) => [...SITE_TYPE_RGB[p.siteType], proposalStage(p.state) === 'ended' ? 110 : 255] as [number, number, number, number],
			getLineColor: (p) => [...PROPOSAL_STAGE_LINE_RGB[proposalStage(p.state)], 255] as [number, number, number, number]
		})
	];
}

/** Whether any part of Hoàng Sa or Trường Sa (with their labels, a degree around) is in the view; unknown: yes. */
export function archipelagosInView(bounds: [number, number, number, number] | null | undefined): boolean {
	if (!bounds) return true;
	const [w, s, e, n] = bounds;
	return ARCHIPELAGOS.some(({ area: [aw, as, ae, an] }) => w <= ae + 1 && e >= aw - 1 && s <= an + 1 && n >= as - 1);
}

/**
 * Hoàng Sa and Trường Sa, on every map at every scale (src/lib/components/map/archipelagos.ts):
 * the islands as dots, each archipelago's name with its province under it.
 */
export function archipelagoLayers(lang: 'vi' | 'en') {
	const islands = ARCHIPELAGOS.flatMap((a) => a.islands.map((i) => ({ ...i, archipelago: a.key })));
	return [
		new ScatterplotLayer<(typeof islands)[number]>({
			id: 'archipelago-islands',
			data: islands,
			getPosition: (i) => i.position,
			getRadius: 3,
			radiusUnits: 'pixels',
			radiusMinPixels: 2,
			getFillColor: [70, 80, 90, 230]
		}),
		new TextLayer<Archipelago>({
			id: 'archipelago-labels',
			data: ARCHIPELAGOS as Archipelago[],
			characterSet: 'auto',
			fontFamily: 'system-ui, "Noto Sans", "DejaVu Sans", sans-serif',
			getText: (a) => `${a.name[lang]}\n(${a.province[lang]})`,
			getPosition: (a) => a.label,
			getSize: 13,
			getColor: [30, 40, 50],
			fontWeight: 600,
			outlineWidth: 2,
			outlineColor: [255, 255, 255, 230],
			fontSettings: { sdf: true },
			sizeUnits: 'pixels',
			updateTriggers: { getText: lang }
		})
	];
}
