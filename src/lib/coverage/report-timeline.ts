/**
 * Reports over time for a public page: counts per month, never a month that fewer than k distinct
 * reporters made. A month below k is merged into the months after it until the bucket has k
 * reporters (a remainder at the end joins the last bucket), so every bucket stands for ≥ k people
 * and the buckets still add up to the total. The k is the public map's (PUBLIC_MIN_REPORTERS): the
 * same rule that keeps a report cell off the public map keeps a lone resident's month off this chart.
 */

/** One reporter's reports of one kind in one month (`YYYY-MM`). */
export interface MonthReporterCount {
	month: string;
	reporter: string;
	/** resident, drive_test, import… (signal_reports.source_kind). */
	kind: string;
	reports: number;
}

export interface TimelineBucket {
	/** First and last month (`YYYY-MM`) of the bucket; equal for a single month. */
	from: string;
	to: string;
	reports: number;
	reporters: number;
	/** Reports per source kind. */
	byKind: Record<string, number>;
}

interface Open {
	from: string;
	to: string;
	reporters: Set<string>;
	byKind: Record<string, number>;
}

const close = (b: Open): TimelineBucket => ({
	from: b.from,
	to: b.to,
	reports: Object.values(b.byKind).reduce((s, n) => s + n, 0),
	reporters: b.reporters.size,
	byKind: b.byKind
});

function merge(into: Open, other: Open): Open {
	for (const r of other.reporters) into.reporters.add(r);
	for (const [kind, n] of Object.entries(other.byKind)) into.byKind[kind] = (into.byKind[kind] ?? 0) + n;
	into.to = other.to;
	return into;
}

/**
 * Buckets of consecutive months, oldest first, each with at least `minReporters` distinct
 * reporters. Empty when all the reports together come from fewer than `minReporters` people.
 */
export function reportTimeline(rows: readonly MonthReporterCount[], minReporters: number): TimelineBucket[] {
	if (!(minReporters >= 1)) throw new RangeError(`minReporters must be ≥ 1, got ${minReporters}`);
	const months = new Map<string, Open>();
	for (const r of rows) {
		if (!/^\d{4}-\d{2}$/.test(r.month)) throw new RangeError(`month must be YYYY-MM, got "${r.month}"`);
		const m = months.get(r.month) ?? months.set(r.month, { from: r.month, to: r.month, reporters: new Set(), byKind: {} }).get(r.month)!;
		m.reporters.add(r.reporter);
		m.byKind[r.kind] = (m.byKind[r.kind] ?? 0) + r.reports;
	}
	const done: Open[] = [];
	let pending: Open | null = null;
	for (const month of [...months.keys()].sort()) {
		pending = pending ? merge(pending, months.get(month)!) : months.get(month)!;
		if (pending.reporters.size >= minReporters) {
			done.push(pending);
			pending = null;
		}
	}
	if (pending) {
		// Too few at the end: fold into the last bucket, or show nothing if there is none.
		if (done.length === 0) return [];
		merge(done[done.length - 1], pending);
	}
	return done.map(close);
}
