import type { ImportIssue } from './issues';

const cell = (v: string | number | null) => {
	const s = v === null ? '' : String(v);
	// Quote what CSV needs quoted, and defuse formulas spreadsheets would run (=, +, -, @);
	// plain numbers such as -20 dBm stay numbers.
	const safe = /^[=+\-@]/.test(s) && !/^[+-]?\d+(\.\d+)?$/.test(s) ? `'${s}` : s;
	return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** Import issues as CSV with a header, UTF-8 BOM first so spreadsheet programs read Vietnamese right. */
export function issuesToCsv(issues: readonly ImportIssue[]): string {
	const lines = ['row,line,column,value,reason', ...issues.map((i) => [i.row, i.line, i.column, i.value, i.reason].map(cell).join(','))];
	return `\uFEFF${lines.join('\r\n')}\r\n`;
}
