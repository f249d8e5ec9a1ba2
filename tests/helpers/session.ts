import { DEMO_ACCOUNTS } from '../../src/lib/server/demo-accounts';

export type Who = 'public' | 'operatorA' | 'operatorB' | 'planner' | 'admin';
export const EVERYONE: Who[] = ['public', 'operatorA', 'operatorB', 'planner', 'admin'];

const EMAIL: Record<Exclude<Who, 'public'>, string> = {
	admin: 'admin@demo.phusong.vn',
	planner: 'planner@demo.phusong.vn',
	operatorA: 'viettel@demo.phusong.vn',
	operatorB: 'vnpt@demo.phusong.vn'
};

/** Signs in through the real /login form post and returns the session cookie ("name=value"). */
export async function signInAs(baseUrl: string, who: Exclude<Who, 'public'>): Promise<{ cookie: string; token: string; setCookie: string }> {
	const account = DEMO_ACCOUNTS.find((a) => a.email === EMAIL[who])!;
	const response = await fetch(`${baseUrl}/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: baseUrl, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ email: account.email, password: account.password })
	});
	const setCookie = response.headers.get('set-cookie') ?? '';
	const match = /ps_session=([^;]+)/.exec(setCookie);
	if (response.status !== 303 || !match) throw new Error(`sign-in as ${who} failed: HTTP ${response.status}`);
	return { cookie: `ps_session=${match[1]}`, token: match[1], setCookie };
}
