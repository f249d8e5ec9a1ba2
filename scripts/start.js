// Starts the built app (adapter-node's handler) on plain HTTP.
//
// adapter-node assumes HTTPS unless told otherwise, which makes SvelteKit refuse every form post
// made over plain http. This server speaks plain HTTP, so a request's protocol is what a reverse
// proxy says in X-Forwarded-Proto, else http. ORIGIN, when set, still wins (adapter-node).
import http from 'node:http';
import process from 'node:process';

process.env.PROTOCOL_HEADER ||= 'x-forwarded-proto';
// Uploads on /import stream to disk; adapter-node's default 512 kB body limit would refuse them.
process.env.BODY_SIZE_LIMIT ||= '300M';
const protocolHeader = process.env.PROTOCOL_HEADER.toLowerCase();
const { handler } = await import('../build/handler.js');

const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || '0.0.0.0';
const server = http.createServer((req, res) => {
	if (!req.headers[protocolHeader]) req.headers[protocolHeader] = 'http';
	handler(req, res);
});
server.listen({ port, host }, () => console.log(`Listening on http://${host}:${port}`));

let stopping = false;
function shutdown() {
	if (stopping) return;
	stopping = true;
	server.close(() => {
		// Same event adapter-node emits, so hooks can close the database.
		process.emit('sveltekit:shutdown', 'SIGTERM');
	});
	server.closeIdleConnections();
	setTimeout(() => server.closeAllConnections(), Number(process.env.SHUTDOWN_TIMEOUT || 30) * 1000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
