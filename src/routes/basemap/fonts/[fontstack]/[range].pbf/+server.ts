import { glyphRange } from '$lib/server/basemap';

// The basemap's glyphs (data/glyphs), empty for fonts and ranges not bundled.
export async function GET({ params }) {
	const body = await glyphRange(params.fontstack, params.range);
	return new Response(body, { headers: { 'content-type': 'application/x-protobuf', 'cache-control': 'public, max-age=604800' } });
}
