/** Nearest-rank percentile of ascending `sorted` samples. */
export function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Times `run` `count` times after a short warm-up: p50, p95 (ms) and operations per second. */
export async function timeRuns(count: number, run: () => Promise<unknown>): Promise<{ p50: number; p95: number; perS: number }> {
	for (let i = 0; i < Math.min(5, count); i++) await run();
	const times: number[] = [];
	const t0 = performance.now();
	for (let i = 0; i < count; i++) {
		const t = performance.now();
		await run();
		times.push(performance.now() - t);
	}
	const total = performance.now() - t0;
	times.sort((a, b) => a - b);
	return { p50: percentile(times, 50), p95: percentile(times, 95), perS: (count / total) * 1000 };
}

/** Prints a table: one row per label, one column per database. */
export function printTable(title: string, columns: string[], rows: [string, string[]][]): void {
	const width = Math.max(...rows.map(([label]) => label.length));
	console.log(`\n${title}`);
	console.log(`${''.padEnd(width)}  ${columns.map((c) => c.padStart(16)).join('  ')}`);
	for (const [label, cells] of rows) console.log(`${label.padEnd(width)}  ${cells.map((c) => c.padStart(16)).join('  ')}`);
}
