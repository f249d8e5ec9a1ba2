import { describe, expect, it } from 'vitest';
import { compareWithOfficial, villageStatus, type VillageCell } from './villages';

const cell = (h3: string, cls: VillageCell['class'], households = 10): VillageCell => ({ h3, class: cls, source: cls ? 'measured' : null, households });

describe('villageStatus', () => {
	it('is trắng sóng when the centre has no usable signal, whatever the rest', () => {
		const centre = cell('c', 'dead');
		const v = villageStatus(centre, [centre, cell('a', 'good'), cell('b', 'good')], { minHouseholds: 5 });
		expect(v.status).toBe('trang_song');
		expect(v.centreClass).toBe('dead');
		expect(villageStatus(cell('c', null), [], { minHouseholds: 5 }).status).toBe('trang_song');
		expect(villageStatus(cell('c', 'poor'), [], { minHouseholds: 5 }).status).toBe('trang_song');
	});

	it('is lõm sóng when the centre is served but a cluster of households is not', () => {
		const centre = cell('c', 'fair');
		const v = villageStatus(centre, [centre, cell('a', 'good'), cell('b', 'dead', 6), cell('d', 'poor', 2)], { minHouseholds: 5 });
		expect(v.status).toBe('lom_song');
		expect(v.unservedCells).toEqual(['b', 'd']);
		expect(v.unservedHouseholds).toBe(8);
		expect(v.households).toBe(28);
	});

	it('is có sóng when served everywhere people live, or the unserved households are too few', () => {
		const centre = cell('c', 'good');
		expect(villageStatus(centre, [centre, cell('a', 'fair'), cell('e', 'dead', 0)], { minHouseholds: 5 }).status).toBe('co_song');
		expect(villageStatus(centre, [centre, cell('b', 'dead', 4)], { minHouseholds: 5 }).status).toBe('co_song');
		expect(villageStatus(centre, [centre, cell('b', 'dead', 4)], { minHouseholds: 0 }).status).toBe('lom_song');
	});
});

describe('compareWithOfficial', () => {
	it('lists agreements and disagreements and counts them by status pair', () => {
		const result = compareWithOfficial([
			{ id: 1, name: 'Bản A', official: 'trang_song', ours: 'trang_song' },
			{ id: 2, name: 'Bản B', official: 'lom_song', ours: 'co_song' },
			{ id: 3, name: 'Bản C', official: null, ours: 'co_song' },
			{ id: 4, name: 'Bản D', official: 'co_song', ours: 'trang_song' }
		]);
		expect(result.agreements).toBe(1);
		expect(result.disagreements).toBe(2);
		expect(result.rows.filter((r) => !r.agrees).map((r) => r.name)).toEqual(['Bản B', 'Bản D']);
		expect(result.matrix.lom_song.co_song).toBe(1);
		expect(result.matrix.co_song.trang_song).toBe(1);
	});
});
