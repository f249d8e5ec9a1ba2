/** A mobile network operator as the app knows it. */
export interface Operator {
	code: string;
	name: string;
	/** PLMN ids "MCC-MNC" (ITU-T E.212; Vietnam's MCC is 452). */
	mccMnc: string[];
	/** Display colour "#rrggbb", distinct from the signal-class ramp. */
	color: string;
}

/** Vietnam's mobile operators and their network codes (MIC numbering plan). */
export const VIETNAM_OPERATORS: readonly Operator[] = [
	{ code: 'viettel', name: 'Viettel', mccMnc: ['452-04'], color: '#e4002b' },
	{ code: 'vnpt', name: 'VNPT / VinaPhone', mccMnc: ['452-02'], color: '#0072bc' },
	{ code: 'mobifone', name: 'MobiFone', mccMnc: ['452-01'], color: '#7b3fa0' },
	{ code: 'vietnamobile', name: 'Vietnamobile', mccMnc: ['452-05'], color: '#f7941d' },
	{ code: 'gmobile', name: 'Gmobile', mccMnc: ['452-07'], color: '#6d6e71' }
];

/** The operator with a PLMN id, or undefined. */
export function findOperatorByMccMnc(mcc: number | string, mnc: number | string): Operator | undefined {
	const id = `${String(mcc).padStart(3, '0')}-${String(mnc).padStart(2, '0')}`;
	return VIETNAM_OPERATORS.find((o) => o.mccMnc.includes(id));
}
