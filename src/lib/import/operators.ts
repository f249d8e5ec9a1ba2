import { findOperatorByMccMnc } from '../operators/operators';
import { toSearchKey } from '../text/search-key';

/** Operator names as they appear in handsets and app exports, folded, to operator codes. */
const NAMES: Record<string, string> = {
	viettel: 'viettel',
	'viettel mobile': 'viettel',
	vinaphone: 'vnpt',
	'vina phone': 'vnpt',
	vnpt: 'vnpt',
	'vnpt vinaphone': 'vnpt',
	mobifone: 'mobifone',
	'mobi fone': 'mobifone',
	vietnamobile: 'vietnamobile',
	'vietnam mobile': 'vietnamobile',
	gmobile: 'gmobile',
	beeline: 'gmobile',
	'452 01': 'mobifone',
	'452 02': 'vnpt',
	'452 04': 'viettel',
	'452 05': 'vietnamobile',
	'452 07': 'gmobile'
};

/** The operator code for a name ("VinaPhone", "Viettel Mobile", "452-04") or null. */
export function operatorFromName(name: string): string | null {
	return NAMES[toSearchKey(name)] ?? null;
}

/** The operator code for an MCC/MNC pair, or null. */
export function operatorFromMccMnc(mcc: number, mnc: number): string | null {
	return findOperatorByMccMnc(mcc, mnc)?.code ?? null;
}
