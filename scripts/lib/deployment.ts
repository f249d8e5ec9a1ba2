/**
 * Pieces of the several-server layout (issue 20) that the deployment test and bench/national
 * share: nginx started with the documented configuration, and what a process has cost.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { freePort } from '../../tests/helpers/app-process';

const asRoot = process.getuid?.() === 0;

export interface Nginx {
	baseUrl: string;
	process: ChildProcess;
	accessLog: string;
}

/**
 * Debian's nginx (in the foreground, everything in `dir`) with deploy/nginx/phu-song.conf, its
 * lines marked `# @…` pointed at `apps` and a free port. Stopped by a step pushed on `cleanup`.
 */
export async function startNginx(dir: string, apps: { baseUrl: string }[], cleanup: (() => Promise<unknown>)[], { workers = 2 } = {}): Promise<Nginx> {
	const port = await freePort();
	const conf = await readFile(path.resolve('deploy/nginx/phu-song.conf'), 'utf8');
	const servers = apps.map((a) => `    server ${new URL(a.baseUrl).host} max_fails=1 fail_timeout=5s;`).join('\n');
	const site = conf
		.replace(/^.*# @app-servers\n(.*# @app-servers\n)*/m, `${servers}\n`)
		.replace(/^.*# @listen$/m, `    listen 127.0.0.1:${port};`)
		.replace(/\/var\/cache\/nginx\/phu-song(.*)# @cache-path$/m, `${path.join(dir, 'nginx-cache')}$1`);
	await writeFile(path.join(dir, 'phu-song.conf'), site);
	const accessLog = path.join(dir, 'nginx-access.log');
	const temp = (name: string) => `${name}_temp_path ${path.join(dir, 'nginx-tmp', name)};`;
	await mkdir(path.join(dir, 'nginx-tmp'), { recursive: true });
	await writeFile(
		path.join(dir, 'nginx.conf'),
		`${asRoot ? 'user root;\n' : ''}worker_processes ${workers};
daemon off;
pid ${path.join(dir, 'nginx.pid')};
error_log ${path.join(dir, 'nginx-error.log')} warn;
events { worker_connections 4096; }
http {
    log_format upstream '$status $request_method $uri upstream=$upstream_addr cache=$upstream_cache_status served_by="$upstream_http_x_served_by"';
    access_log ${accessLog} upstream;
    ${temp('client_body')} ${temp('proxy')} ${temp('fastcgi')} ${temp('uwsgi')} ${temp('scgi')}
    include ${path.join(dir, 'phu-song.conf')};
}
`
	);
	const child = spawn('nginx', ['-c', path.join(dir, 'nginx.conf'), '-p', dir], { stdio: ['ignore', 'inherit', 'inherit'] });
	cleanup.push(async () => child.kill('SIGTERM'));
	const baseUrl = `http://127.0.0.1:${port}`;
	for (let i = 0; ; i++) {
		if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}: ${await readFile(path.join(dir, 'nginx-error.log'), 'utf8').catch(() => '')}`);
		if (await fetch(`${baseUrl}/api/health`).then((r) => r.ok, () => false)) break;
		if (i > 100) throw new Error('nginx did not answer within 10 s');
		await new Promise((r) => setTimeout(r, 100));
	}
	return { baseUrl, process: child, accessLog };
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
export async function cpuSeconds(pid: number): Promise<number> {
	const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
	// Fields after the command name (which may hold spaces) start at index 2: utime is 14th, stime 15th.
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * CPU seconds of a process and everything it started, exited or not: its own time, its waited-for
 * children's (cutime, cstime: PostgreSQL's backends that ended) and its live children's.
 */
export async function treeCpuSeconds(pid: number): Promise<number> {
	const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	let total = (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / 100;
	for (const child of await childPids(pid)) total += await cpuSeconds(child);
	return total;
}

/** A process's peak resident memory (MB, VmHWM), from /proc (Linux). */
export async function peakRssMb(pid: number): Promise<number> {
	const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
	const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
	return kb / 1024;
}

/** The ids of a process's children (nginx's workers), from /proc (Linux). */
export async function childPids(pid: number): Promise<number[]> {
	const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
	return text.trim().split(/\s+/).filter(Boolean).map(Number);
}
