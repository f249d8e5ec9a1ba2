import { describe, expect, it } from 'vitest';
import { issuesToCsv } from './issues-csv';

describe('issuesToCsv', () => {
	it('writes a BOM, a header and one quoted-as-needed line per issue; numbers stay numbers, formulas are defused', () => {
		const csv = issuesToCsv([
			{ row: 4, line: 5, column: 'rsrp', value: '-20', reason: 'is outside -140…-44 dBm' },
			{ row: 7, line: 8, column: 'name', value: '=HYPERLINK("x")', reason: 'says "hi", twice' },
			{ row: null, line: null, column: null, value: null, reason: 'the file is empty' }
		]);
		expect(csv.split('\r\n')).toEqual([
			'\uFEFFrow,line,column,value,reason',
			'4,5,rsrp,-20,is outside -140…-44 dBm',
			`7,8,name,"'=HYPERLINK(""x"")","says ""hi"", twice"`,
			',,,,the file is empty',
			''
		]);
	});
});
