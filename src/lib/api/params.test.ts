import { describe, expect, it } from 'vitest';
import { findControlCharacterParam, ParamError, readParam } from './params';

const params = (query: string) => new URLSearchParams(query);

describe('readParam', () => {
	it.each([
		['bbox=105.2,22.3,106.9,23.2', 'bbox', [105.2, 22.3, 106.9, 23.2]],
		['bbox= 105 , 22 , 106 , 23 ', 'bbox', [105, 22, 106, 23]],
		['zoom=12', 'zoom', 12],
		['limit=500', 'limit', 500],
		['set=pre2025', 'set', 'pre2025'],
		['q=%C4%90am%20Thuy', 'q', 'Đam Thuy'],
		['res=7', 'res', 7],
		['operator=Viettel', 'operator', 'viettel'],
		['operator=%20VNPT%20', 'operator', 'vnpt'],
		['name=%C4%90o%20s%C3%B3ng.csv', 'name', 'Đo sóng.csv'],
		['coverageRes=9', 'coverageRes', 9],
		['technology=4G', 'technology', '4G'],
		['source=measured', 'source', 'measured']
	] as const)('%s → %j', (query, name, expected) => {
		expect(readParam(params(query), name)).toEqual(expected);
	});

	it.each([
		['bbox=1,2,3', 'bbox', /bbox: must be "west,south,east,north"/],
		['bbox=a,b,c,d', 'bbox', /bbox: must be "west,south,east,north"/],
		['bbox=1,2,,4', 'bbox', /bbox: must be/],
		['bbox=106,23,105,22', 'bbox', /bbox: west must be less than east/],
		['bbox=-200,0,10,10', 'bbox', /bbox: longitudes must be within/],
		['zoom=3.5', 'zoom', /zoom: must be a whole number/],
		['zoom=40', 'zoom', /zoom: must be at most 22/],
		['limit=0', 'limit', /limit: must be at least 1/],
		['limit=999999', 'limit', /limit: must be at most 50000/],
		['set=2030', 'set', /set: must be "2025" or "pre2025"/],
		['q=', 'q', /q: must not be empty/],
		['res=9', 'res', /res: must be 6, 7 or 8/],
		['', 'bbox', /bbox: is required/],
		['operator=%00', 'operator', /operator: must be one of viettel, vnpt/],
		['operator=orange', 'operator', /operator: must be one of/],
		['name=..%2Fetc%2Fpasswd', 'name', /name: must be a plain file name/],
		['name=a%00.csv', 'name', /name: must be a plain file name/]
	] as const)('%s is refused naming %s', (query, name, message) => {
		expect(() => readParam(params(query), name)).toThrow(ParamError);
		expect(() => readParam(params(query), name)).toThrow(message);
	});

	it('falls back only when the parameter is absent', () => {
		expect(readParam(params(''), 'zoom', 8)).toBe(8);
		expect(() => readParam(params('zoom=x'), 'zoom', 8)).toThrow(/zoom/);
	});
});

describe('findControlCharacterParam', () => {
	it.each([
		['operator=%00', 'operator'],
		['a=1&b=x%1Fy', 'b'],
		['%00=1', '\u0000'],
		['q=Đàm Thuỷ&next=/%0a/x', null],
		['', null]
	])('%s → %j', (query, expected) => expect(findControlCharacterParam(params(query))).toBe(expected));
});
