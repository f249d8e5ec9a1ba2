import { error } from '@sveltejs/kit';
import { getJob, watchJob, type JobState } from '$lib/server/import/jobs';
import { importActor } from '$lib/server/import/request';

/**
 * Server-sent events of one import job: its state at once, then every change, until it ends.
 * Fed from memory; a page that reloads reconnects here and gets the current state first.
 */
export async function GET({ params, locals, request }) {
	const { accountId } = importActor(locals.user);
	const initial = getJob(params.id, accountId);
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
			stop = watchJob(params.id, send);
			request.signal.addEventListener('abort', () => stop());
			send(initial);
		},
		cancel: () => stop()
	});
	return new Response(stream, { headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' } });
}
