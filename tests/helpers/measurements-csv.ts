import { createWriteStream } from 'node:fs';
import { createRandom } from '../../src/lib/random/prng';

const HEADER = 'timestamp,lat,lon,operator,technology,rsrp,rsrq,sinr,dl_mbps,ul_mbps';

/** Writes `count` plausible rows around Cao Bằng, deterministically. */
export async function writeMeasurementsCsv(file: string, count: number): Promise<void> {
	const random = createRandom(2026);
	const out = createWriteStream(file);
	const operators = ['Viettel', 'VinaPhone', 'MobiFone'];
	out.write(`${HEADER}\n`);
	const t0 = Date.parse('2026-01-01T00:00:00Z');
	for (let i = 0; i < count; i++) {
		const line = [
			new Date(t0 + i * 1000).toISOString(),
			random.uniform(22.4, 23.1).toFixed(6),
			random.uniform(105.5, 106.8).toFixed(6),
			operators[i % 3],
			'LTE',
			Math.round(random.uniform(-125, -70)),
			Math.round(random.uniform(-19, -4)),
			Math.round(random.uniform(-5, 25)),
			random.uniform(0.5, 80).toFixed(1),
			random.uniform(0.1, 20).toFixed(1)
		].join(',');
		if (!out.write(`${line}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
	}
	await new Promise<void>((resolve) => out.end(() => resolve()));
}

