/** "3 days", "5 h", "12 min" since `since` (ISO), in the page's language: a proposal's time in its state. */
export function inState(since: string, now: string, i18n: { t: (key: 'proposals.days' | 'proposals.hours' | 'proposals.minutes', o: { n: string }) => string; n: (x: number) => string }): string {
	const ms = Math.max(0, Date.parse(now) - Date.parse(since));
	if (ms >= 86_400_000) return i18n.t('proposals.days', { n: i18n.n(Math.floor(ms / 86_400_000)) });
	if (ms >= 3_600_000) return i18n.t('proposals.hours', { n: i18n.n(Math.floor(ms / 3_600_000)) });
	return i18n.t('proposals.minutes', { n: i18n.n(Math.floor(ms / 60_000)) });
}
