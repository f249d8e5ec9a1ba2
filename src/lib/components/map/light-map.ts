import type { Map as MaplibreMap } from 'maplibre-gl';
import { loadMapStyle } from './style';

/**
 * The light maps' common start (CommuneMap, PlanMap, PlanDrawMap: MapLibre alone, no deck.gl):
 * MapLibre loaded in the browser only, the offline style (or the configured basemap), zoom
 * buttons, a metric scale, the attribution, a canvas that can be read back (tests, print), and
 * `data-map-loaded` on the container once the first frame is drawn. `onLoad` adds the sources and
 * layers. Returns the dispose function for onMount.
 */
export function startLightMap(
	container: HTMLElement,
	o: {
		bounds: [number, number, number, number];
		padding?: number;
		maxZoom?: number;
		basemapStyleUrl?: string;
		attribution: string;
		scale?: boolean;
		doubleClickZoom?: boolean;
		onLoad: (map: MaplibreMap, maplibregl: typeof import('maplibre-gl')) => void | Promise<void>;
		onCreate?: (map: MaplibreMap) => void;
	}
): () => void {
	let disposed = false;
	let map: MaplibreMap | undefined;
	import('maplibre-gl').then(async (maplibregl) => {
		const style = await loadMapStyle(maplibregl, o.basemapStyleUrl, document.documentElement.lang);
		if (disposed) return;
		const created = new maplibregl.Map({
			container,
			style,
			bounds: o.bounds,
			// An undefined maxZoom is not 'no limit' to MapLibre: it makes the camera NaN.
			fitBoundsOptions: o.maxZoom === undefined ? { padding: o.padding ?? 20 } : { padding: o.padding ?? 20, maxZoom: o.maxZoom },
			doubleClickZoom: o.doubleClickZoom ?? true,
			attributionControl: { compact: true, customAttribution: o.attribution },
			canvasContextAttributes: { preserveDrawingBuffer: true }
		});
		created.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
		if (o.scale ?? true) created.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
		created.on('load', async () => {
			await o.onLoad(created, maplibregl);
			created.once('idle', () => container.setAttribute('data-map-loaded', 'true'));
		});
		map = created;
		o.onCreate?.(created);
	});
	return () => {
		disposed = true;
		map?.remove();
	};
}
