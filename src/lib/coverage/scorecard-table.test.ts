import { describe, expect, it } from 'vitest';
import { searchRows, sortRows } from './scorecard-table';

const rows = [
	{ commune_code: '01501', name: 'Đàm Thuỷ', priority_rank: 1, covered_share: 0.32 as number | null },
	{ commune_code: '01297', name: 'Nam Quang', priority_rank: 2, covered_share: null },
	{ commune_code: '01324', name: 'Cốc Pàng', priority_rank: 3, covered_share: 0.31 },
	{ commune_code: '01561', name: 'Vinh Quý', priority_rank: 4, covered_share: 0.31 }
];

describe('searchRows', () => {
	it('matches names without diacritics and codes', () => {
		expect(searchRows(rows, 'dam thuy').map((r) => r.commune_code)).toEqual(['01501']);
		expect(searchRows(rows, 'COC PANG').map((r) => r.commune_code)).toEqual(['01324']);
		expect(searchRows(rows, '0129').map((r) => r.commune_code)).toEqual(['01297']);
		expect(searchRows(rows, '  ')).toHaveLength(4);
		expect(searchRows(rows, null)).toHaveLength(4);
	});
});

describe('sortRows', () => {
	it('sorts numbers either way with missing values last and the rank breaking ties', () => {
		expect(sortRows(rows, 'covered_share', 'asc').map((r) => r.priority_rank)).toEqual([3, 4, 1, 2]);
		expect(sortRows(rows, 'covered_share', 'desc').map((r) => r.priority_rank)).toEqual([1, 3, 4, 2]);
	});

	it('sorts names in Vietnamese order', () => {
		expect(sortRows(rows, 'name', 'asc').map((r) => r.name)).toEqual(['Cốc Pàng', 'Đàm Thuỷ', 'Nam Quang', 'Vinh Quý']);
	});
});
