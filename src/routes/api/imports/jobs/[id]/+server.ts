import { error } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db';
import { getJob, watchJob, type JobState } from '$lib/server/import/jobs';
import { importActor } from '$lib/server/import/request';

/**
 * Server-sent events of one import job: its state at once, then every change, until it ends.
 * Fed from memory on the server running the job, from the job's row on any other (jobs.ts); a
 * page that reloads reconnects here, to whichever server, and gets the current state first.
 */
export async function GET({ params, locals, request }) {
	const { accountId } = importActor(locals.user);
	const db = await getDatabase();
	const initial = await getJob(db, params.id, accountId);
	if (!initial) error(404, 'no such import job (finished jobs are kept for an hour)');
	const encoder = new TextEncoder();
	let stop = () => {};
	const stream = new ReadableStream<Uint8Array>({
		start(controller) {
			const send = (state: JobState) => {
				try {
					controller.enqueue(encoder.encode(`event: ${state.status === 'running' ? 'progress' : 'end'}\ndata: ${JSON.stringify(state)}\n\n`));
					if (state.status !== 'running') {
						stop();
						controller.close();
					}
				} catch {
					stop();
				}
			};
			const unwatch = initial.status === 'running' ? watchJob(db, params.id, accountId, send) : () => {};
			// A comment line now and then keeps proxies (nginx's proxy_read_timeout) from closing a quiet stream.
			const keepAlive = setInterval(() => {
				try {
					controller.enqueue(encoder.encode(': keep-alive\n\n'));
				} catch {
					stop();
				}
			}, 15_000);
			stop = () => (unwatch(), clearInterval(keepAlive));
			request.signal.addEventListener('abort', () => stop());
			send(initial);
		},
		cancel: () => stop()
	});
	return new Response(stream, { headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' } });
}
