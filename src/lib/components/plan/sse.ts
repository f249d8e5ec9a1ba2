/**
 * Reads server-sent events from a fetch response (EventSource cannot POST): calls `on(event, data)`
 * for each complete event as it arrives. Resolves when the stream ends.
 */
export async function readEvents(response: Response, on: (event: string, data: unknown) => void): Promise<void> {
	if (!response.body) return;
	const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
	let buffer = '';
	for (;;) {
		const { value, done } = await reader.read();
		if (done) break;
		buffer += value;
		let end: number;
		while ((end = buffer.indexOf('\n\n')) >= 0) {
			const block = buffer.slice(0, end);
			buffer = buffer.slice(end + 2);
			let event = 'message';
			const data: string[] = [];
			for (const line of block.split('\n')) {
				if (line.startsWith('event: ')) event = line.slice(7);
				else if (line.startsWith('data: ')) data.push(line.slice(6));
			}
			if (data.length > 0) on(event, JSON.parse(data.join('\n')));
		}
	}
}
