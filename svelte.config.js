import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// precompress: gzip and brotli copies of the build files, so the report form's first load fits
		// its 100 kB budget on the wire (issue 18); scripts/start.js compresses the rendered pages.
		adapter: adapter({ out: 'build', precompress: true }),
		// The worker (src/service-worker.ts) is registered by the report form only, scoped to /report.
		serviceWorker: { register: false },
		// Content-Security-Policy of every page: SvelteKit adds a nonce (rendered pages) or hashes
		// (prerendered ones) for its own inline start-up script, so no other inline script runs.
		// MapLibre starts its worker from a blob: URL; deck.gl fetches its icon atlas from data: URLs;
		// Svelte and MapLibre set element styles, hence style-src 'unsafe-inline' (styles only).
		// hooks.server.ts widens connect-src/img-src when an online basemap style is configured.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'worker-src': ['self', 'blob:'],
				'child-src': ['self', 'blob:'],
				'connect-src': ['self', 'data:', 'blob:'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self', 'data:'],
				'style-src': ['self', 'unsafe-inline'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
