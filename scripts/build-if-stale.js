// `npm start` builds only when the sources changed since the last build (README: a warm start
// takes seconds, not a rebuild). The build leaves a stamp: a hash of every file the bundle is made
// from; a start whose hash differs, or finds no build, builds first.
//
//   node scripts/build-if-stale.js --stamp   writes the stamp (run by `npm run build`)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = path.join(root, 'build', '.source-hash');
const INPUTS = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'tsconfig.json', 'package.json', 'package-lock.json'];

function* files(entry) {
	const full = path.join(root, entry);
	if (!existsSync(full)) return;
	if (statSync(full).isDirectory()) {
		for (const name of readdirSync(full).sort()) yield* files(path.join(entry, name));
	} else yield entry;
}

/** A hash of the build's inputs (names and contents). */
export function sourceHash() {
	const hash = createHash('sha256');
	for (const input of INPUTS) {
		for (const file of files(input)) {
			// Tests beside the code are not part of the bundle.
			if (/\.test\.ts$/.test(file)) continue;
			hash.update(file).update('\0').update(readFileSync(path.join(root, file))).update('\0');
		}
	}
	return hash.digest('hex');
}

/** Builds (`npm run build`) unless build/ was made from the current sources. */
export async function ensureBuild() {
	if (process.env.PHU_SONG_SKIP_BUILD_CHECK === '1') return;
	const current = sourceHash();
	const built = existsSync(path.join(root, 'build', 'handler.js')) && existsSync(STAMP) ? readFileSync(STAMP, 'utf8').trim() : null;
	if (built === current) return;
	console.log(built ? 'Sources changed since the last build: building…' : 'No build yet: building (about 30 s, once)…');
	const result = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
	if (result.status !== 0) {
		console.error('The build failed; see above.');
		process.exit(result.status ?? 1);
	}
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url) && process.argv.includes('--stamp')) {
	writeFileSync(STAMP, sourceHash() + '\n');
}
