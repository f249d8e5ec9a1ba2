/**
 * CSV as the project writes it everywhere (RFC 4180): a field with a comma, quote or line break is
 * quoted, its quotes doubled; null and undefined are empty.
 */
export function csvField(v: unknown): string {
	const text = v === null || v === undefined ? '' : String(v);
	return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV with a header of `columns` (UTF-8 with a BOM, so Excel reads Vietnamese names right), CRLF line ends. */
export function rowsToCsv<R extends object>(rows: readonly R[], columns: readonly string[]): string {
	return '\uFEFF' + [columns.join(','), ...rows.map((r) => columns.map((k) => csvField((r as Record<string, unknown>)[k])).join(','))].join('\r\n') + '\r\n';
}
