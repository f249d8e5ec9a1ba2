import { describe, expect, it } from 'vitest';
import { groupCellsIntoSites, type CellRecord } from './towers';

const cell = (operatorCode: string, technology: CellRecord['technology'], lng: number, lat: number, id: number): CellRecord => ({
	operatorCode,
	technology,
	lng,
	lat,
	cell: { radio: 'LTE', area: 1, cell: id, unit: 0, rangeM: 1000, samples: 5 }
});

describe('groupCellsIntoSites', () => {
	it('joins cells within ~11 m of one operator, keeps operators apart', () => {
		const sites = groupCellsIntoSites([
			cell('viettel', '4G', 106.25721, 22.66614, 1),
			cell('viettel', '2G', 106.25722, 22.66613, 2),
			cell('viettel', '4G', 106.25721, 22.66614, 3),
			cell('vnpt', '3G', 106.25721, 22.66614, 4),
			cell('viettel', '4G', 106.3, 22.7, 5)
		]);
		expect(sites.map((s) => [s.operatorCode, s.technologies, s.cells!.length])).toEqual([
			['viettel', ['2G', '4G'], 3],
			['vnpt', ['3G'], 1],
			['viettel', ['4G'], 1]
		]);
	});
});
