/**
 * Reads one numeric cell. Empty, "-", "NA" and "null" are missing (null). A decimal comma
 * ("-95,5") is read only when the file declares it; otherwise it is an error, because "1,234"
 * could mean one thousand or one point two.
 */
export function parseNumberCell(raw: string, { decimalComma = false } = {}): { value: number | null } | { error: string } {
	const text = raw.trim();
	if (text === '' || text === '-' || /^(na|n\/a|null|nan)$/i.test(text)) return { value: null };
	if (/^[+-]?\d+,\d+$/.test(text)) {
		if (!decimalComma) return { error: 'has a decimal comma; declare it with --decimal-comma (or save the file with decimal points)' };
		return { value: Number(text.replace(',', '.')) };
	}
	const value = Number(text);
	if (!Number.isFinite(value) || !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) return { error: 'is not a number' };
	return { value };
}

const TZ_VIETNAM = '+07:00';

/**
 * Reads a timestamp: ISO 8601 (a zone, else Vietnam time), "YYYY-MM-DD HH:mm[:ss]",
 * G-NetTrack's "YYYY.MM.DD_HH.mm.ss" (local, Vietnam time), or Unix seconds/milliseconds.
 */
export function parseTimestampCell(raw: string): { value: Date } | { error: string } {
	const text = raw.trim();
	let iso: string | null = null;
	let m: RegExpMatchArray | null;
	if ((m = text.match(/^(\d{4})\.(\d{2})\.(\d{2})_(\d{2})\.(\d{2})\.(\d{2})$/))) iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${TZ_VIETNAM}`;
	else if ((m = text.match(/^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$/))) iso = `${m[1]}T${m[2]}${m[3] ?? TZ_VIETNAM}`;
	else if (/^\d{10}$/.test(text)) return { value: new Date(Number(text) * 1000) };
	else if (/^\d{13}$/.test(text)) return { value: new Date(Number(text)) };
	if (iso === null) return { error: 'is not a date and time (use ISO 8601, "YYYY-MM-DD HH:mm:ss" or Unix seconds)' };
	const value = new Date(iso);
	if (Number.isNaN(value.getTime())) return { error: 'is not a valid date and time' };
	return { value };
}
