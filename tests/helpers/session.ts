import { DEMO_ACCOUNTS } from '../../src/lib/server/demo-accounts';

export type Who = 'public' | 'operatorA' | 'operatorB' | 'commune' | 'planner' | 'admin';
export const EVERYONE: Who[] = ['public', 'operatorA', 'operatorB', 'commune', 'planner', 'admin'];

const EMAIL: Record<Exclude<Who, 'public'>, string> = {
	admin: 'admin@demo.phusong.vn',
	planner: 'planner@demo.phusong.vn',
	operatorA: 'viettel@demo.phusong.vn',
	operatorB: 'vnpt@demo.phusong.vn',
	commune: 'damthuy@demo.phusong.vn'
};

/** Signs in through the real /login form post and returns the session cookie ("name=value"). */
export async function signInAs(baseUrl: string, who: Exclude<Who, 'public'>): Promise<{ cookie: string; token: string; setCookie: string }> {
	const account = DEMO_ACCOUNTS.find((a) => a.email === EMAIL[who])!;
	const post = () =>
		fetch(`${baseUrl}/login`, {
			method: 'POST',
			redirect: 'manual',
			headers: { origin: baseUrl, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ email: account.email, password: account.password }),
			// A sign-in answers in well under a second; fetch itself would wait minutes.
			signal: AbortSignal.timeout(15_000)
		});
	// A pooled keep-alive connection the server closed just as it was reused ("other side closed",
	// seen once in CI), or one that never answers (seen after the 200 MB upload test: the request
	// hung until the test's timeout), is the client's race, not the app's: signing in again on a new
	// connection is harmless (an aborted request's socket is destroyed, not reused).
	const response = await post().catch((err: Error & { cause?: { code?: string } }) => {
		if (err.cause?.code === 'UND_ERR_SOCKET' || err.cause?.code === 'ECONNRESET' || err.name === 'TimeoutError') return post();
		throw err;
	});
	const setCookie = response.headers.get('set-cookie') ?? '';
	const match = /ps_session=([^;]+)/.exec(setCookie);
	if (response.status !== 303 || !match) throw new Error(`sign-in as ${who} failed: HTTP ${response.status}`);
	return { cookie: `ps_session=${match[1]}`, token: match[1], setCookie };
}
