import os from 'node:os';
import { sql } from 'drizzle-orm';
import type { Database } from './db/index';

/**
 * Periodic jobs that run once across every app server (issue 20): each server asks on its own
 * timer, and the first to ask after the interval claims the run by moving the job's lease forward
 * in one UPDATE (drizzle/0021, scheduled_runs), so two servers never run it together, and the
 * claim of a process that died lapses with its lease. A failed run does not count as done: the
 * next ask retries it.
 */

/** This process, as the runs table names it. */
const SERVER_ID = `${os.hostname()}:${process.pid}`;

export interface ScheduledJob {
	name: string;
	/** The least time between the end of a successful run and the start of the next. */
	everyMs: number;
	/** How long a claim holds: longer than a run can take. */
	leaseMs: number;
}

/** Claims the job's next run if it is due and nobody holds it; true when this process must run it. */
export async function claimRun(db: Database, job: ScheduledJob): Promise<boolean> {
	await db.rows(sql`insert into scheduled_runs (job) values (${job.name}) on conflict (job) do nothing`);
	const claimed = await db.rows(sql`
		update scheduled_runs
		set lease_until = now() + make_interval(secs => ${job.leaseMs / 1000}), last_started_at = now(), server = ${SERVER_ID}
		where job = ${job.name} and lease_until < now()
			and (last_finished_at is null or last_finished_at < now() - make_interval(secs => ${job.everyMs / 1000}))
		returning job`);
	return claimed.length > 0;
}

/** Ends this process's run: `succeeded` records it done, otherwise the next ask may retry at once. */
export async function endRun(db: Database, job: ScheduledJob, succeeded: boolean): Promise<void> {
	await db.rows(sql`
		update scheduled_runs set lease_until = '-infinity', last_finished_at = case when ${succeeded} then now() else last_finished_at end
		where job = ${job.name} and server = ${SERVER_ID}`);
}

/** Runs `work` if this process claims the run; returns whether it ran, or throws its error after releasing the claim. */
export async function runIfDue<T>(db: Database, job: ScheduledJob, work: () => Promise<T>): Promise<{ ran: true; result: T } | { ran: false }> {
	if (!(await claimRun(db, job))) return { ran: false };
	try {
		const result = await work();
		await endRun(db, job, true);
		return { ran: true, result };
	} catch (err) {
		await endRun(db, job, false).catch(() => {});
		throw err;
	}
}
