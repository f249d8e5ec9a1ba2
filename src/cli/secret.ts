import { createInterface } from 'node:readline';

/**
 * Reads a secret: from a no-echo prompt on a terminal, else the first line of standard input
 * (`printf '%s\n' "$PASSWORD" | npm run cli -- user create …`). Never from argv, where it would
 * land in shell history and the process list.
 */
export async function readSecret(prompt: string): Promise<string> {
	const input = process.stdin;
	if (!input.isTTY) {
		const chunks: Buffer[] = [];
		for await (const chunk of input) chunks.push(Buffer.from(chunk));
		return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
	}
	const output = process.stderr;
	output.write(prompt);
	const rl = createInterface({ input, output, terminal: true });
	// Swallow the echo of typed characters.
	(rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
	return new Promise((resolve) => {
		rl.question('', (answer) => {
			rl.close();
			output.write('\n');
			resolve(answer);
		});
	});
}
