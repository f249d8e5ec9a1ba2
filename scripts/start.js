// Starts the built app (adapter-node's handler) on plain HTTP.
//
// adapter-node assumes HTTPS unless told otherwise, which makes SvelteKit refuse every form post
// made over plain http. This server speaks plain HTTP, so a request's protocol is what a reverse
// proxy says in X-Forwarded-Proto, else http. ORIGIN, when set, still wins (adapter-node).
import http from 'node:http';
import process from 'node:process';
import compression from 'compression';
import { ensureBuild } from './build-if-stale.js';

process.env.PROTOCOL_HEADER ||= 'x-forwarded-proto';
// Uploads on /import stream to disk; adapter-node's default 512 kB body limit would refuse them.
process.env.BODY_SIZE_LIMIT ||= '300M';
const protocolHeader = process.env.PROTOCOL_HEADER.toLowerCase();
await ensureBuild();
const { handler } = await import('../build/handler.js');

/**
 * Headers every response carries, static files (`/_app/immutable/*`, served by adapter-node
 * before any hook runs) included. Pages replace the CSP with SvelteKit's full one (svelte.config.js);
 * everything else gets at least frame-ancestors, so nothing can be framed (OWASP Secure Headers).
 */
const SECURITY_HEADERS = {
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'same-origin',
	'x-frame-options': 'DENY',
	'content-security-policy': "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
};

/**
 * Rendered pages and JSON are compressed on the way out (build files come precompressed; answers
 * the app gzips itself say so and are left alone). Progress streams are not: a compressor holds
 * their events back. The report form's first load must fit 100 kB on the wire (issue 18).
 */
const compress = compression({
	threshold: 1024,
	filter: (req, res) => !/event-stream/.test(String(res.getHeader('content-type') ?? '')) && compression.filter(req, res)
});

const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || '0.0.0.0';
const server = http.createServer((req, res) => {
	if (!req.headers[protocolHeader]) req.headers[protocolHeader] = 'http';
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
	compress(req, res, () => handler(req, res));
});
server.listen({ port, host }, () => console.log(`Listening on http://${host}:${port}`));

let stopping = false;
function shutdown() {
	if (stopping) return;
	stopping = true;
	let closed = false;
	const closeDatabase = () => {
		if (closed) return;
		closed = true;
		// Same event adapter-node emits, so hooks close the database (and release the embedded folder's lock).
		process.emit('sveltekit:shutdown', 'SIGTERM');
	};
	server.close(closeDatabase);
	server.closeIdleConnections();
	// Long-lived answers (progress streams) would hold the close; give requests in flight a
	// moment, then end them, so the database and its lock are released within a second.
	const grace = Number(process.env.SHUTDOWN_GRACE_MS || 500);
	setTimeout(() => {
		server.closeAllConnections();
		closeDatabase();
	}, grace).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
