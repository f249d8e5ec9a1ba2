import { describe, expect, it } from 'vitest';
import { describeSkipped, explainSkipped, importOutcome, previewWarnings } from './explain';

describe('explainSkipped', () => {
	it('groups other countries and words them', () => {
		const e = explainSkipped({ 'MCC 310': 50, 'MCC 208': 140, 'MCC 234': 8 })!;
		expect(e).toEqual({ total: 198, otherCountryMccs: [208, 234, 310], otherCountryRows: 198, other: [] });
		expect(describeSkipped(e)).toBe('198 rows skipped: MCC 208, 234, 310 are not Vietnam (452)');
		expect(describeSkipped(explainSkipped({ 'MCC 208': 1, 'empty pixel': 3 })!)).toBe('4 rows skipped: MCC 208 is not Vietnam (452); empty pixel (3)');
		expect(explainSkipped({})).toBeNull();
	});
});

describe('importOutcome', () => {
	it.each([
		[{ status: 'committed', inserted: 3, updated: 0, duplicate: 0, skipped: 0 }, 'wrote'],
		[{ status: 'committed', inserted: 0, updated: 2, duplicate: 5, skipped: 0 }, 'wrote'],
		[{ status: 'committed', inserted: 0, updated: 0, duplicate: 5, skipped: 0 }, 'all-duplicate'],
		[{ status: 'committed', inserted: 0, updated: 0, duplicate: 0, skipped: 198 }, 'all-skipped'],
		[{ status: 'committed', inserted: 0, updated: 0, duplicate: 0, skipped: 0 }, 'nothing'],
		[{ status: 'rejected', inserted: 0, updated: 0, duplicate: 0, skipped: 0 }, 'rejected']
	] as const)('%j → %s', (counts, outcome) => expect(importOutcome(counts)).toBe(outcome));
});

describe('previewWarnings', () => {
	const ocid = ['radio', 'mcc', 'net', 'lon', 'lat'];
	const columnOf = (f: string) => ({ mcc: 'mcc', lat: 'lat', lon: 'lon' })[f as 'mcc'] ?? null;
	it('warns when no sample row has MCC 452, listing what they have', () => {
		expect(previewWarnings(ocid, [['GSM', '208', '1', '2.3', '48.8'], ['LTE', '310', '1', '-74', '40.7']], columnOf)).toEqual([{ kind: 'no-vietnam-mcc', sampleRows: 2, mccs: [208, 310] }]);
		expect(previewWarnings(ocid, [['GSM', '208', '1', '2.3', '48.8'], ['LTE', '452', '4', '106.2', '22.6']], columnOf)).toEqual([]);
	});
	it('warns when no sample position is in Vietnam', () => {
		const header = ['lat', 'lon', 'rsrp'];
		const of = (f: string) => ({ latitude: 'lat', longitude: 'lon' })[f as 'latitude'] ?? null;
		expect(previewWarnings(header, [['48.8', '2.3', '-90']], of)).toEqual([{ kind: 'no-position-in-vietnam', sampleRows: 1 }]);
		expect(previewWarnings(header, [['22.6', '106.2', '-90']], of)).toEqual([]);
		expect(previewWarnings(header, [['106.2', '22.6', '-90']], of)).toEqual([]); // swapped: the import names that itself
	});
});
