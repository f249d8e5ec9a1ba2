/** One thing wrong with an input file, located so a person can find it. */
export interface ImportIssue {
	/** 1-based data row (the header is not counted); null for whole-file problems. */
	row: number | null;
	/** 1-based line of the file the row ends on. */
	line: number | null;
	column: string | null;
	value: string | null;
	reason: string;
}

/** A problem with the whole file (encoding, header, delimiter): nothing can be imported. */
export class ImportFileError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ImportFileError';
	}
}

/** Formats an issue as one line: "row 3 (line 4), column rsrp = "-20": outside −140…−44 dBm". */
export function describeIssue(issue: ImportIssue): string {
	const where = issue.row === null ? (issue.line === null ? 'file' : `line ${issue.line}`) : `row ${issue.row} (line ${issue.line})`;
	const what = issue.column ? `, column ${issue.column}${issue.value !== null ? ` = "${issue.value.slice(0, 60)}"` : ''}` : '';
	return `${where}${what}: ${issue.reason}`;
}
