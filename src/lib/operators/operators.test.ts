import { describe, expect, it } from 'vitest';
import { findOperatorByMccMnc } from './operators';

describe('findOperatorByMccMnc', () => {
	it.each([
		[452, 1, 'mobifone'],
		[452, 2, 'vnpt'],
		['452', '04', 'viettel'],
		[452, 5, 'vietnamobile'],
		[452, 7, 'gmobile'],
		[452, 9, undefined],
		[262, 1, undefined]
	] as const)('%s-%s → %s', (mcc, mnc, code) => expect(findOperatorByMccMnc(mcc, mnc)?.code).toBe(code));
});
