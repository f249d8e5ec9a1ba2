import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on the loopback interface in front of a real server (PostgreSQL here), to cut the
 * app off from its database and reconnect it, as a network fault or a server restart would.
 */
export interface TcpProxy {
	port: number;
	/** Stops accepting and drops every open connection (the database "goes away"). */
	cut(): Promise<void>;
	/** Listens again on the same port (the database "comes back"). */
	restore(): Promise<void>;
	close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
	const sockets = new Set<Socket>();
	let server: Server;
	let port = 0;
	const listen = () =>
		new Promise<void>((resolve, reject) => {
			server = createServer((client) => {
				const upstream = connect(targetPort, targetHost);
				for (const s of [client, upstream]) {
					sockets.add(s);
					s.on('close', () => sockets.delete(s));
					s.on('error', () => {});
				}
				client.pipe(upstream).pipe(client);
				client.on('close', () => upstream.destroy());
				upstream.on('close', () => client.destroy());
			});
			server.once('error', reject);
			server.listen(port, '127.0.0.1', () => {
				port = (server.address() as { port: number }).port;
				resolve();
			});
		});
	const stop = () =>
		new Promise<void>((resolve) => {
			server.close(() => resolve());
			for (const s of sockets) s.destroy();
		});
	await listen();
	return { port, cut: stop, restore: listen, close: stop };
}

/** A listener that accepts connections and never answers: a hung server. */
export async function startSilentListener(): Promise<{ port: number; close: () => Promise<void> }> {
	const sockets = new Set<Socket>();
	const server = createServer((s) => {
		sockets.add(s);
		s.on('error', () => {});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	return {
		port: (server.address() as { port: number }).port,
		close: () =>
			new Promise<void>((resolve) => {
				for (const s of sockets) s.destroy();
				server.close(() => resolve());
			})
	};
}
